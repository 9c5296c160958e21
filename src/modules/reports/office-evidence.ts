import { eq } from "drizzle-orm";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { users } from "../../platform/db/schema.ts";
import { AppError, fieldErrors } from "../../platform/http/errors.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import { withoutControlCharacters } from "../../platform/validation.ts";
import { checkCaseNumber, type TenantInfo } from "./commands.ts";
import { addFileEvidence, addUrlEvidence, type Custody } from "./evidence-commands.ts";
import { reportPolicy } from "./policy.ts";
import { reportByNumber } from "./repository.ts";
import { urlEvidence, withScheme } from "./schemas.ts";
import type { SpooledFile } from "./uploads.ts";

/*
 * Evidence the clearing office adds to a report — a screenshot it secured, a letter handed in —
 * with its chain of custody: who added it, where it came from, and when it was received (with
 * both checksums, like the reporter's own evidence). Every addition is in the audit log under
 * the officer's name.
 */

export interface OfficeEvidenceForm {
  source: string;
  url: string;
  capturedAt: string;
}

/** The form for evidence the office adds, only for a case of the municipality (else 404, as for a case one may not see). */
export async function checkOfficeEvidenceCase(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantInfo, caseNumber: string): Promise<void> {
  reportPolicy.authorize(actor, "reply", tenant);
  checkCaseNumber(caseNumber);
  const report = await withTenant(platform.db, tenant.id, (tx: Db) => reportByNumber(tx, tenant.id, caseNumber));
  if (!report) throw new AppError("not_found");
}

export async function addOfficeEvidence(
  platform: Platform,
  actor: Actor,
  tenant: TenantInfo,
  caseNumber: string,
  files: SpooledFile[],
  form: OfficeEvidenceForm,
  t: Translate,
): Promise<{ ok: true; added: number } | { ok: false; errors: Record<string, string> }> {
  reportPolicy.authorize(actor, "reply", tenant);
  checkCaseNumber(caseNumber);
  const found = await withTenant(platform.db, tenant.id, async (tx: Db) => {
    const report = await reportByNumber(tx, tenant.id, caseNumber);
    const [me] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, actor.userId));
    return { report, name: me?.name ?? "" };
  });
  if (!found.report) throw new AppError("not_found");
  const errors: Record<string, string> = {};
  const source = form.source.trim();
  if (source === "") errors.source = t("errors.officeEvidence.source");
  else if (source.length > 500 || !withoutControlCharacters(source)) errors.source = t("errors.officeEvidence.sourceLong");
  const url = withScheme(form.url);
  const link = url ? urlEvidence.safeParse({ url, kind: "content", capturedAt: form.capturedAt, capturedBy: "" }) : null;
  if (link && !link.success) Object.assign(errors, fieldErrors(link.error, t));
  if (files.length === 0 && !url) errors.file = t("errors.officeEvidence.nothing");
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const custody: Custody = { addedById: actor.userId, addedBy: found.name, source };
  const owner = { reportId: found.report.id };
  let added = 0;
  for (const file of files) {
    if (file.truncated || file.overBudget) {
      errors.file = t(`reports.evidence.problems.${file.overBudget ? "quotaExceeded" : "tooLarge"}`, {
        name: file.name,
        mb: Math.floor(platform.config.reportMaxFileBytes / 1_048_576),
      });
      continue;
    }
    const result = await addFileEvidence(platform, tenant, owner, { ...file, custody });
    if (result.ok) added++;
    else errors.file = t(`reports.evidence.problems.${result.problem}`, { name: file.name, mb: Math.floor(platform.config.reportMaxFileBytes / 1_048_576) });
  }
  if (link?.success) {
    await addUrlEvidence(platform, tenant, owner, { ...link.data, custody });
    added++;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, added };
}
