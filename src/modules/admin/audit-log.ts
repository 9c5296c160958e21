import { and, desc, eq, inArray, like, lt, or, type SQL } from "drizzle-orm";
import { type AuditEntry, type VerifyResult, verifyAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { inTransaction, withTenant } from "../../platform/db/client.ts";
import { auditLog, tenants, users } from "../../platform/db/schema.ts";
import { dateFormat } from "../../platform/i18n/formats.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import { html, Layout, PageHeading, ScrollTable, SelectField, SubmitButton, type ViewContext } from "../../platform/ui/html.ts";
import { caseNumbersOf } from "../reports/index.ts";
import { auditPolicy, type TenantRef } from "./policy.ts";

/*
 * The audit log as people read it: each action in words, the object named (a person, a
 * municipality, a report by its case number), refusals marked as such. The stored entries keep
 * their stable keys; only this view translates them.
 */

export const AUDIT_PAGE_SIZE = 50;

/** Filters by the first part of the action key; "denied" is the refusals. */
export const AUDIT_CATEGORIES = {
  auth: ["auth.%"],
  reports: ["report.%", "evidence.%", "case.%"],
  people: ["person.%", "account.%"],
  tenant: ["tenant.%", "alliance.%"],
  denied: ["access.denied"],
} as const;
export type AuditCategory = keyof typeof AUDIT_CATEGORIES;

export function isAuditCategory(value: unknown): value is AuditCategory {
  return typeof value === "string" && Object.hasOwn(AUDIT_CATEGORIES, value);
}

export interface AuditRow {
  seq: number;
  at: Date;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  details: Record<string, unknown>;
}

export interface AuditPageData {
  entries: AuditRow[];
  verification: VerifyResult;
  /** user id → display name, for actors and for people named as objects. */
  names: Map<string, string>;
  /** tenant id → name. */
  tenantNames: Map<string, string>;
  /** report or evidence id → case number. */
  caseNumbers: Map<string, string>;
  /** The sequence number to continue from for older entries, or null at the beginning. */
  olderThan: number | null;
}

/** One page of a municipality's audit log, newest first, with what is needed to show it in words. */
export async function readAuditLog(
  platform: Platform,
  actor: Actor,
  tenant: TenantRef,
  options: { category?: AuditCategory | null; before?: number | null } = {},
): Promise<AuditPageData> {
  auditPolicy.authorize(actor, "read", tenant);
  const filters: SQL[] = [eq(auditLog.tenantId, tenant.id)];
  if (options.category) {
    const patterns = AUDIT_CATEGORIES[options.category].map((p) => (p.includes("%") ? like(auditLog.action, p) : eq(auditLog.action, p)));
    filters.push(or(...patterns) as SQL);
  }
  if (options.before) filters.push(lt(auditLog.seq, options.before));
  const { entries, verification } = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => ({
      entries: (await tx
        .select()
        .from(auditLog)
        .where(and(...filters))
        .orderBy(desc(auditLog.seq))
        .limit(AUDIT_PAGE_SIZE + 1)) as AuditRow[],
      verification: await verifyAudit(tx, tenant.id),
    }),
    actor.userId,
  );
  const more = entries.length > AUDIT_PAGE_SIZE;
  const page = entries.slice(0, AUDIT_PAGE_SIZE);

  const userIds = new Set<string>();
  const tenantIds = new Set<string>();
  const reportIds: string[] = [];
  const evidenceIds: string[] = [];
  for (const e of page) {
    if (e.actorId) userIds.add(e.actorId);
    if (typeof e.details?.assigneeId === "string") userIds.add(e.details.assigneeId);
    if (!e.objectId) continue;
    if (e.objectType === "user") userIds.add(e.objectId);
    else if (e.objectType === "tenant") tenantIds.add(e.objectId);
    else if (e.objectType === "report") reportIds.push(e.objectId);
    else if (e.objectType === "evidence") evidenceIds.push(e.objectId);
  }
  const uuids = (ids: Iterable<string>) => [...ids].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  const { names, tenantNames } = await inTransaction(platform.db, { userId: actor.userId }, async (tx) => {
    const u = userIds.size
      ? await tx
          .select({ id: users.id, name: users.displayName })
          .from(users)
          .where(inArray(users.id, uuids(userIds)))
      : [];
    const tn = tenantIds.size
      ? await tx
          .select({ id: tenants.id, name: tenants.name })
          .from(tenants)
          .where(inArray(tenants.id, uuids(tenantIds)))
      : [];
    return { names: new Map(u.map((r) => [r.id, r.name])), tenantNames: new Map(tn.map((r) => [r.id, r.name])) };
  });
  const found = await caseNumbersOf(platform, tenant.id, { reportIds, evidenceIds });
  const caseNumbers = new Map([...found.reports, ...found.evidence]);
  return { entries: page, verification, names, tenantNames, caseNumbers, olderThan: more ? page[page.length - 1].seq : null };
}

/** "report.foo_bar" → "Report foo bar": still readable when a key has no translation yet. */
function humanise(key: string): string {
  const words = key.replace(/[._]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The action of an entry in words; an unknown key is shown readable, with the key itself. */
export function describeAction(t: Translate, e: Pick<AuditEntry, "action" | "objectType" | "details">): string {
  if (e.action === "access.denied") {
    const area = t(`admin.audit.areas.${e.objectType}`, { defaultValue: humanise(e.objectType) });
    const verb = typeof e.details?.action === "string" ? e.details.action : "";
    const what = verb ? t(`admin.audit.verbs.${verb}`, { defaultValue: humanise(verb) }) : "";
    return t("admin.audit.denied", { area, what: what ? ` (${what})` : "" });
  }
  const known = t(`admin.audit.actions.${e.action}`, { defaultValue: "" });
  return known || t("admin.audit.unknownAction", { words: humanise(e.action), key: e.action });
}

/** Details worth a line of their own: roles, how someone signed in, why a factor was reset. */
export function describeDetails(t: Translate, e: Pick<AuditEntry, "action" | "details">, names: ReadonlyMap<string, string> = new Map()): string | null {
  const d = e.details ?? {};
  const parts: string[] = [];
  if (e.action === "case.assigned" && "assigneeId" in d)
    parts.push(typeof d.assigneeId === "string" ? t("admin.audit.assignedTo", { name: names.get(d.assigneeId) ?? "?" }) : t("admin.audit.assignedToNobody"));
  if (Array.isArray(d.roles))
    parts.push(d.roles.length ? d.roles.map((r) => t(`roles.${r}`, { defaultValue: String(r) })).join(", ") : t("admin.audit.noRoles"));
  if (typeof d.secondFactor === "string") parts.push(t(`admin.audit.secondFactor.${d.secondFactor}`, { defaultValue: d.secondFactor }));
  if (typeof d.reason === "string") parts.push(t(`admin.people.resetReasons.${d.reason}`, { defaultValue: d.reason }));
  if (typeof d.mode === "string" && e.action === "report.received") parts.push(t(`office.modes.${d.mode}`, { defaultValue: d.mode }));
  if (typeof d.channel === "string" && e.action === "report.received") parts.push(t(`office.channels.${d.channel}`, { defaultValue: d.channel }));
  return parts.length ? parts.join(" · ") : null;
}

/** The object of an entry in words: "Meldung MUS-2026-0001", "Person Sam Beispiel". */
export function describeObject(t: Translate, e: AuditRow, data: Pick<AuditPageData, "names" | "tenantNames" | "caseNumbers">): string {
  if (e.action === "access.denied") return t(`admin.audit.areas.${e.objectType}`, { defaultValue: humanise(e.objectType) });
  const kind = t(`admin.audit.objects.${e.objectType}`, { defaultValue: humanise(e.objectType) });
  const id = e.objectId ?? "";
  const caseNumber = data.caseNumbers.get(id) ?? (typeof e.details?.caseNumber === "string" ? e.details.caseNumber : null);
  const name =
    e.objectType === "user"
      ? data.names.get(id)
      : e.objectType === "tenant"
        ? data.tenantNames.get(id)
        : e.objectType === "report" || e.objectType === "evidence"
          ? caseNumber && t(e.objectType === "report" ? "admin.audit.caseNumber" : "admin.audit.evidenceOf", { caseNumber })
          : e.objectType === "case" && typeof e.details?.number === "string"
            ? t("admin.audit.caseNumber", { caseNumber: e.details.number })
            : // A paper of the advisory board: which meeting it was for (its title is not kept in the log).
              e.objectType === "board_document" && typeof e.details?.meetingOn === "string" && /^\d{4}-\d{2}-\d{2}$/.test(e.details.meetingOn)
              ? t("admin.audit.meetingOf", { date: e.details.meetingOn.split("-").reverse().join(".") })
              : null;
  return name ? `${kind} ${name}` : kind;
}

export function AuditPage({ ctx, tenantName, data, category }: { ctx: ViewContext; tenantName: string; data: AuditPageData; category: AuditCategory | null }) {
  const { t } = ctx;
  const { verification } = data;
  const fmt = dateFormat(ctx.lang === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "medium", timeZone: "Europe/Berlin" });
  const older = data.olderThan
    ? `/verwaltung/protokoll?${new URLSearchParams({ ...(category ? { bereich: category } : {}), vor: String(data.olderThan) })}`
    : null;
  return html`<${Layout} ctx=${ctx} title=${t("admin.audit.title")}>
    <${PageHeading} title=${t("admin.audit.title")} lead=${t("admin.audit.lead", { tenant: tenantName })} />
    <div class=${`kern-alert kern-alert--${verification.ok ? "success" : "danger"}`} role="status"><div class="kern-alert__header">
      <span class=${`kern-icon kern-icon--${verification.ok ? "success" : "danger"}`} aria-hidden="true"></span>
      <p class="kern-title">${verification.ok ? t("admin.audit.intact", { count: verification.entries }) : t("admin.audit.broken", { count: verification.problems.length })}</p>
    </div></div>
    <form method="get" action="/verwaltung/protokoll" class="komma-search">
      <${SelectField}
        name="bereich"
        label=${t("admin.audit.category")}
        value=${category ?? ""}
        options=${[{ value: "", label: t("admin.audit.categories.all") }, ...Object.keys(AUDIT_CATEGORIES).map((c) => ({ value: c, label: t(`admin.audit.categories.${c}`) }))]}
      />
      <${SubmitButton} label=${t("admin.audit.filter")} variant="secondary" />
    </form>
    ${
      data.entries.length === 0
        ? html`<p class="kern-body">${t("admin.audit.empty")}</p>`
        : html`<${ScrollTable} label=${t("admin.audit.title")}><table class="kern-table kern-table--small">
        <caption class="kern-sr-only">${t("admin.audit.title")}</caption>
        <thead class="kern-table__header"><tr class="kern-table__row">
          <th class="kern-table__header kern-table__header--numeric" scope="col">#</th>
          <th class="kern-table__header" scope="col">${t("admin.audit.time")}</th>
          <th class="kern-table__header" scope="col">${t("admin.audit.actor")}</th>
          <th class="kern-table__header" scope="col">${t("admin.audit.action")}</th>
          <th class="kern-table__header" scope="col">${t("admin.audit.object")}</th>
        </tr></thead>
        <tbody class="kern-table__body">
          ${data.entries.map((e) => {
            const details = describeDetails(t, e, data.names);
            return html`<tr class="kern-table__row">
              <td class="kern-table__cell kern-table__cell--numeric">${e.seq}</td>
              <td class="kern-table__cell">${fmt.format(e.at)}</td>
              <td class="kern-table__cell">${e.actorId ? (data.names.get(e.actorId) ?? "–") : t("admin.audit.system")}</td>
              <td class="kern-table__cell">${
                e.action === "access.denied" ? html`<strong>${describeAction(t, e)}</strong>` : describeAction(t, e)
              }${details && html`<br /><span class="kern-body kern-body--small">${details}</span>`}</td>
              <td class="kern-table__cell">${describeObject(t, e, data)}</td>
            </tr>`;
          })}
        </tbody></table><//>`
    }
    ${older && html`<p class="kern-body"><a class="kern-link" href=${older}>${t("admin.audit.older")}</a></p>`}
  <//>`;
}
