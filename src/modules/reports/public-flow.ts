import type { FastifyRequest } from "fastify";
import { clientNetwork } from "../../platform/http/client-network.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { fieldErrors } from "../../platform/http/errors.ts";
import { isPublicLanguage, type PublicLanguage, translator } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import type { FieldErrors, ViewContext } from "../../platform/ui/html.ts";
import type { TenantInfo } from "./commands.ts";
import { addFileEvidence, addUrlEvidence } from "./evidence-commands.ts";
import { type FormValues, urlEvidence, withScheme } from "./schemas.ts";
import { publicTenant } from "./tenants.ts";
import { type SpooledFile, spooledFileOf } from "./uploads.ts";

/*
 * What the public pages of a municipality share — the reporting flow (routes.ts) and the
 * anonymous mailbox (mailbox-routes.ts): reading a form, its language, the rate limits, and
 * taking evidence into a draft or a report.
 */

type Body = Record<string, unknown>;

/** Form fields and files of a urlencoded or multipart body, as plain values. */
export function readBody(body: unknown): { values: FormValues; files: SpooledFile[] } {
  const values: FormValues = {};
  const files: SpooledFile[] = [];
  for (const [key, raw] of Object.entries((body ?? {}) as Body)) {
    for (const item of Array.isArray(raw) ? raw : [raw]) {
      if (item && typeof item === "object" && "type" in item) {
        const part = item as { type: string; value?: unknown; filename?: string };
        if (part.type === "file") {
          const file = spooledFileOf(part);
          if (part.filename && file) files.push(file);
          continue;
        }
        addValue(values, key, String(part.value ?? ""));
      } else if (typeof item === "string") addValue(values, key, item);
    }
  }
  return { values, files };
}

function addValue(values: FormValues, key: string, value: string) {
  const prev = values[key];
  values[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
}

export const first = (v: FormValues[string]) => (Array.isArray(v) ? v[0] : v) ?? "";

/**
 * Rate limits and upload budgets count per client address. The counts are shared by every
 * process (platform.counters), which store only a keyed hash of it: no IP is ever stored.
 */
export function anonymousClientKey(request: FastifyRequest): string {
  return clientNetwork(request.ip);
}

export type PublicFlow = ReturnType<typeof publicFlow>;

export function publicFlow(platform: Platform, nav: NavProvider) {
  const maxFileMb = Math.round(platform.config.reportMaxFileBytes / (1024 * 1024));
  const limit = (max: number) => ({ config: { rateLimit: { max, timeWindow: "1 minute", keyGenerator: anonymousClientKey } } });

  const findTenant = (slug: string) => publicTenant(platform, slug);

  /** The view context in the flow's language (from the draft, a form field or ?sprache=). */
  function ctxIn(request: FastifyRequest, lang: PublicLanguage): ViewContext {
    request.lang = lang;
    request.t = translator(lang);
    // The municipality's privacy notice, linked from the footer of every page of the flow.
    const slug = (request.params as { slug?: string }).slug ?? "";
    const footerLinks = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) ? [{ href: `/${slug}/datenschutz`, label: request.t("footer.reportPrivacy") }] : [];
    return { ...viewContext(request, nav), maxFileMb, footerLinks };
  }

  function langOf(request: FastifyRequest, fallback?: string): PublicLanguage {
    const q = (request.query as Body).sprache;
    if (isPublicLanguage(q)) return q;
    if (isPublicLanguage(fallback)) return fallback;
    return isPublicLanguage(request.lang) ? request.lang : "de";
  }

  /**
   * The files and the link of an evidence form, into a draft or a report; whatever was chosen or
   * typed is taken, whichever button was pressed. `nothing` when neither was given.
   */
  async function takeEvidence(
    tenant: TenantInfo,
    owner: { draftToken: string } | { reportId: string },
    files: SpooledFile[],
    values: FormValues,
    ctx: ViewContext,
  ) {
    const errors: FieldErrors = {};
    const notices: string[] = [];
    const addedFiles: string[] = [];
    for (const file of files) {
      if (file.truncated || file.overBudget) {
        errors.file = ctx.t(`reports.evidence.problems.${file.overBudget ? "quotaExceeded" : "tooLarge"}`, { name: file.name, mb: maxFileMb });
        continue;
      }
      const result = await addFileEvidence(platform, tenant, owner, file);
      if (result.ok) addedFiles.push(file.name);
      else errors.file = ctx.t(`reports.evidence.problems.${result.problem}`, { name: file.name, mb: maxFileMb });
    }
    if (addedFiles.length > 0) notices.push(ctx.t("reports.evidence.uploaded", { name: addedFiles.join(", ") }));
    const url = withScheme(first(values.url));
    if (url) {
      const parsed = urlEvidence.safeParse({
        url,
        kind: first(values.urlKind) || "content",
        capturedAt: first(values.capturedAt) || undefined,
        capturedBy: first(values.capturedBy),
      });
      if (parsed.success) {
        await addUrlEvidence(platform, tenant, owner, parsed.data);
        notices.push(ctx.t("reports.evidence.urlAdded"));
      } else Object.assign(errors, fieldErrors(parsed.error, ctx.t));
    }
    return { errors, notice: notices.join(" ") || undefined, nothing: files.length === 0 && !url };
  }

  return { maxFileMb, limit, findTenant, ctxIn, langOf, takeEvidence };
}
