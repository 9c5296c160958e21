import { diffWordsWithSpace } from "diff";
import { and, desc, eq, isNotNull, ne, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { type Db, inTransaction, withTenant } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import { one, type Values } from "../../platform/http/form-values.ts";
import type { Platform } from "../../platform/platform.ts";
import type { TenantRef } from "./library.ts";
import { readsNetwork, strategyPolicy } from "./policy.ts";
import { STRATEGY_SECTIONS, type StrategySection, strategyVersions, VISIBILITIES, type Visibility } from "./schema.ts";
import type { TextChange } from "./versions.ts";

/*
 * The strategy concept of a municipality: situation, goals, fields of action, responsibilities,
 * resources and participation. Every save is a new version (with a note on what changed); any two
 * versions can be compared word by word; the admins publish a version for the own municipality,
 * the network or the public. Others read the latest version published for them.
 */

export interface StrategyInput {
  title: string;
  sections: Record<StrategySection, string>;
  note: string;
}

export interface StrategyVersion extends StrategyInput {
  version: number;
  savedAt: Date;
  visibility: Visibility | null;
  publishedAt: Date | null;
}

const SECTION_MAX = 20_000;

/** The form's title, sections and note, or the fields to fix. */
export function readStrategyForm(
  values: Values,
  t: (key: string) => string,
): { ok: true; input: StrategyInput; base: number } | { ok: false; errors: Record<string, string> } {
  const clean = (v: string) => v.replace(/\r\n?/g, "\n").replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === "\n" || c === "\t" ? c : ""));
  const title = clean(one(values.title)).replace(/\s+/g, " ").trim();
  const errors: Record<string, string> = {};
  if ([...title].length < 3 || [...title].length > 200) errors.title = t("errors.knowledge.strategyTitle");
  const sections = {} as Record<StrategySection, string>;
  for (const s of STRATEGY_SECTIONS) {
    sections[s] = clean(one(values[s])).trim();
    if (sections[s].length > SECTION_MAX) errors[s] = t("errors.knowledge.strategySection");
  }
  if (!errors.title && STRATEGY_SECTIONS.every((s) => sections[s] === "")) errors.situation = t("errors.knowledge.strategyEmpty");
  const note = clean(one(values.note)).replace(/\s+/g, " ").trim();
  if (note.length > 500) errors.note = t("errors.knowledge.strategyNote");
  const base = /^\d{1,9}$/.test(one(values.base)) ? Number(one(values.base)) : 0;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, input: { title, sections, note }, base };
}

/** Someone saved a newer version since the form was opened. */
export class StrategyChangedError extends Error {}

const columns = {
  version: strategyVersions.version,
  title: strategyVersions.title,
  situation: strategyVersions.situation,
  goals: strategyVersions.goals,
  fields: strategyVersions.fields,
  responsibilities: strategyVersions.responsibilities,
  resources: strategyVersions.resources,
  participation: strategyVersions.participation,
  note: strategyVersions.note,
  savedAt: strategyVersions.savedAt,
  visibility: strategyVersions.visibility,
  publishedAt: strategyVersions.publishedAt,
};
type VersionRow = { version: number; title: string; note: string; savedAt: Date; visibility: Visibility | null; publishedAt: Date | null } & Record<
  StrategySection,
  string
>;

function toVersion(row: VersionRow): StrategyVersion {
  return {
    version: row.version,
    title: row.title,
    sections: Object.fromEntries(STRATEGY_SECTIONS.map((s) => [s, row[s]])) as Record<StrategySection, string>,
    note: row.note,
    savedAt: row.savedAt,
    visibility: row.visibility,
    publishedAt: row.publishedAt,
  };
}

/** The number of the municipality's latest version, or null before the first. */
export async function latestVersionIn(tx: Db, tenantId: string): Promise<number | null> {
  const [latest] = await tx
    .select({ version: strategyVersions.version })
    .from(strategyVersions)
    .where(eq(strategyVersions.tenantId, tenantId))
    .orderBy(desc(strategyVersions.version))
    .limit(1);
  return latest?.version ?? null;
}

/**
 * The versions of the municipality's concept the actor reads, newest first: all of them for its
 * admins, who write it; for everyone else in the municipality the published ones only (a draft
 * does not circulate as if it were the concept).
 */
export async function strategyVersionsOf(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<StrategyVersion[]> {
  strategyPolicy.authorize(actor, "read", tenant);
  const drafts = strategyPolicy.can(actor, "write", tenant);
  const found = await withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      tx
        .select(columns)
        .from(strategyVersions)
        .where(and(eq(strategyVersions.tenantId, tenant.id), drafts ? undefined : isNotNull(strategyVersions.publishedAt)))
        .orderBy(desc(strategyVersions.version)),
    actor.userId,
  );
  return found.map(toVersion);
}

/** Saves the concept as a new version; `base` is the version the form was opened on (0: none yet). */
export async function saveStrategy(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  input: StrategyInput,
  base: number,
): Promise<number> {
  strategyPolicy.authorize(actor, "write", tenant);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      // One writer at a time per municipality: the latest version is read under a lock on the tenant's row.
      await tx.execute(sql`select 1 from tenants where id = ${tenant.id} for update`);
      const current = (await latestVersionIn(tx, tenant.id)) ?? 0;
      if (current !== base) throw new StrategyChangedError();
      const version = current + 1;
      await tx
        .insert(strategyVersions)
        .values({ tenantId: tenant.id, version, title: input.title, ...input.sections, note: input.note, savedBy: actor.userId, savedAt: now });
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "strategy.saved", objectType: "strategy", objectId: tenant.id, details: { version } },
        now,
      );
      return version;
    },
    actor.userId,
  );
}

/** Publishes the latest version for whom `visibility` says (a version is published once). */
export async function publishStrategy(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, version: number, visibility: Visibility) {
  strategyPolicy.authorize(actor, "write", tenant);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [latest] = await tx
        .select({ version: strategyVersions.version, publishedAt: strategyVersions.publishedAt })
        .from(strategyVersions)
        .where(eq(strategyVersions.tenantId, tenant.id))
        .orderBy(desc(strategyVersions.version))
        .limit(1)
        .for("update");
      if (!latest || latest.version !== version || latest.publishedAt) throw new StrategyChangedError();
      await tx
        .update(strategyVersions)
        .set({ visibility, publishedAt: now })
        .where(and(eq(strategyVersions.tenantId, tenant.id), eq(strategyVersions.version, version)));
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "strategy.published",
          objectType: "strategy",
          objectId: tenant.id,
          details: { version, visibility },
        },
        now,
      );
    },
    actor.userId,
  );
}

export const isVisibility = (v: string): v is Visibility => (VISIBILITIES as readonly string[]).includes(v);

/** What changed between two versions, per part (null: unchanged). */
export function compareVersions(
  before: StrategyVersion,
  after: StrategyVersion,
): { title: TextChange | null; sections: Record<StrategySection, TextChange | null> } {
  const change = (a: string, b: string): TextChange | null =>
    a === b ? null : diffWordsWithSpace(a, b).map((c) => ({ value: c.value, added: !!c.added, removed: !!c.removed }));
  return {
    title: change(before.title, after.title),
    sections: Object.fromEntries(STRATEGY_SECTIONS.map((s) => [s, change(before.sections[s], after.sections[s])])) as Record<
      StrategySection,
      TextChange | null
    >,
  };
}

export interface PublishedStrategy {
  tenantName: string;
  slug: string;
  version: StrategyVersion;
}

/**
 * The other municipalities' concepts published for the viewer (the latest such version of each):
 * public ones for everyone, network ones for the people of the network's municipalities.
 */
export async function publishedStrategies(
  platform: Pick<Platform, "db">,
  actor: Actor | null,
  viewer: TenantRef | null,
  slug?: string,
): Promise<PublishedStrategy[]> {
  const network = !!viewer && readsNetwork(actor);
  const read = async (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) => {
    const found = await tx
      .selectDistinctOn([strategyVersions.tenantId], { ...columns, tenantName: tenants.name, slug: tenants.slug })
      .from(strategyVersions)
      .innerJoin(tenants, eq(tenants.id, strategyVersions.tenantId))
      .where(
        and(
          isNotNull(strategyVersions.publishedAt),
          network ? ne(strategyVersions.visibility, "internal") : eq(strategyVersions.visibility, "public"),
          viewer ? ne(strategyVersions.tenantId, viewer.id) : undefined,
          slug ? eq(tenants.slug, slug) : undefined,
        ),
      )
      .orderBy(strategyVersions.tenantId, desc(strategyVersions.version));
    return found.map((r) => ({ tenantName: r.tenantName, slug: r.slug, version: toVersion(r) })).sort((a, b) => a.tenantName.localeCompare(b.tenantName, "de"));
  };
  return viewer ? withTenant(platform.db, viewer.id, read, actor?.userId) : inTransaction(platform.db, {}, read);
}

/** One municipality's concept as published for the viewer, or 404. */
export async function publishedStrategyOf(
  platform: Pick<Platform, "db">,
  actor: Actor | null,
  viewer: TenantRef | null,
  slug: string,
): Promise<PublishedStrategy> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 100) throw new NotFoundError();
  const [found] = await publishedStrategies(platform, actor, viewer, slug);
  if (!found) throw new NotFoundError();
  return found;
}
