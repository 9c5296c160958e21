import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { withTenant } from "../../platform/db/client.ts";
import { fieldErrors } from "../../platform/http/errors.ts";
import { many, one, type Values } from "../../platform/http/form-values.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import { formatPolicy, type Viewer } from "./policy.ts";
import { AUDIENCES, type Audience, FORMAT_DIMENSIONS, MODES, type Mode, TOPICS, type Topic, trainingFormats } from "./schema.ts";
import { cleanLine, cleanText } from "./text.ts";

/*
 * The catalog: formats a tenant offers (the national level for the whole network, a
 * municipality for its own people), each with what it is about (topics, matched against the
 * needs assessment), whom it is for, how long it takes, online or on site, who leads it, and the
 * self-assessment dimensions and library practices it goes with.
 */

export type TenantKind = "national" | "model" | "platform";
export interface TenantRef {
  id: string;
  kind: TenantKind;
}

export interface FormatInput {
  title: string;
  summary: string;
  topics: Topic[];
  audience: Audience;
  minutes: number;
  mode: Mode;
  trainerName: string;
  dimensions: string[];
  practiceIds: string[];
}

export interface Format extends FormatInput {
  id: string;
  tenantId: string;
  tenantKind: TenantKind;
  tenantName: string;
  archived: boolean;
}

const columns = {
  id: trainingFormats.id,
  tenantId: trainingFormats.tenantId,
  title: trainingFormats.title,
  summary: trainingFormats.summary,
  topics: trainingFormats.topics,
  audience: trainingFormats.audience,
  minutes: trainingFormats.minutes,
  mode: trainingFormats.mode,
  trainerName: trainingFormats.trainerName,
  dimensions: trainingFormats.dimensions,
  practiceIds: trainingFormats.practiceIds,
  archived: trainingFormats.archived,
};

type FormatRowShape = { [K in keyof typeof columns]: (typeof columns)[K]["_"]["data"] };
const toFormat = (r: FormatRowShape, tenant: TenantRef & { name: string }): Format => ({
  ...r,
  topics: r.topics as Topic[],
  audience: r.audience as Audience,
  mode: r.mode as Mode,
  tenantKind: tenant.kind,
  tenantName: tenant.name,
});

const length = (min: number, max: number, message: string) => z.string().refine((s) => [...s].length >= min && [...s].length <= max, { message });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const formatSchema = z.object({
  title: length(3, 200, "errors.trainings.title"),
  summary: length(1, 2000, "errors.trainings.summary"),
  topics: z.array(z.enum(TOPICS, { error: "errors.trainings.topics" })).min(1, "errors.trainings.topics"),
  audience: z.enum(AUDIENCES, { error: "errors.trainings.audience" }),
  minutes: z.coerce
    .number({ error: "errors.trainings.minutes" })
    .int("errors.trainings.minutes")
    .min(15, "errors.trainings.minutes")
    .max(2880, "errors.trainings.minutes"),
  mode: z.enum(MODES, { error: "errors.trainings.mode" }),
  trainerName: length(0, 200, "errors.trainings.trainerName"),
  dimensions: z.array(z.enum(FORMAT_DIMENSIONS, { error: "errors.trainings.dimensions" })),
  practiceIds: z.array(z.string().regex(UUID, "errors.trainings.practices")).max(20, "errors.trainings.practices"),
});

/** A format from its form; every error at once, keyed by field. */
export function readFormatForm(values: Values, t: Translate): { ok: true; input: FormatInput } | { ok: false; errors: Record<string, string> } {
  const parsed = formatSchema.safeParse({
    title: cleanLine(one(values.title)),
    summary: cleanText(one(values.summary)),
    topics: [...new Set(many(values.topics))],
    audience: one(values.audience),
    // Digits only: "1e3" or "0x3c" are not what anyone typing a duration means.
    minutes: /^\d{1,5}$/.test(one(values.minutes).trim()) ? one(values.minutes).trim() : Number.NaN,
    mode: one(values.mode),
    trainerName: cleanLine(one(values.trainerName)),
    dimensions: [...new Set(many(values.dimensions))],
    practiceIds: [...new Set(many(values.practiceIds))],
  });
  if (parsed.success) return { ok: true, input: parsed.data };
  const errors = fieldErrors(parsed.error, t);
  // A list's errors point at the list, not at one of its entries.
  for (const key of Object.keys(errors)) {
    const list = key.split(".")[0];
    if (list !== key) {
      errors[list] ??= errors[key];
      delete errors[key];
    }
  }
  return { ok: false, errors };
}

/** The form's values for a stored format. */
export function formatFormValues(f: FormatInput): Values {
  return { ...f, minutes: String(f.minutes) };
}

type Tenants = Pick<Platform, "nationalTenant">;
type WithName = TenantRef & { name: string };

/** The tenants whose catalogs the viewer reads: their own municipality's and the national level's. */
export function catalogTenants(platform: Tenants, current: WithName): WithName[] {
  const national = { id: platform.nationalTenant.id, kind: "national" as const, name: platform.nationalTenant.name };
  return current.kind === "national" ? [national] : [current, national];
}

/** The formats of the catalogs the actor reads, national ones last; archived ones only for their keepers. */
export async function catalog(platform: Pick<Platform, "db"> & Tenants, actor: Actor, current: WithName, viewer: Viewer): Promise<Format[]> {
  const found: Format[] = [];
  for (const tenant of catalogTenants(platform, current)) {
    const rows = await withTenant(
      platform.db,
      tenant.id,
      (tx) => tx.select(columns).from(trainingFormats).where(eq(trainingFormats.tenantId, tenant.id)).orderBy(asc(trainingFormats.title)),
      actor.userId,
    );
    for (const r of rows) {
      const ref = { tenantId: tenant.id, tenantKind: tenant.kind, ...viewer };
      if (!formatPolicy.can(actor, "read", ref)) continue;
      if (r.archived && !formatPolicy.can(actor, "write", ref)) continue;
      found.push(toFormat(r, tenant));
    }
  }
  return found;
}

/** One format the actor may read, looked for in the catalogs they read; a missing or forbidden one is not found. */
export async function formatById(platform: Pick<Platform, "db"> & Tenants, actor: Actor, current: WithName, viewer: Viewer, id: string): Promise<Format> {
  if (!UUID.test(id)) throw new NotFoundError();
  for (const tenant of catalogTenants(platform, current)) {
    const [r] = await withTenant(
      platform.db,
      tenant.id,
      (tx) =>
        tx
          .select(columns)
          .from(trainingFormats)
          .where(and(eq(trainingFormats.tenantId, tenant.id), eq(trainingFormats.id, id))),
      actor.userId,
    );
    if (!r) continue;
    formatPolicy.authorize(actor, "read", { tenantId: tenant.id, tenantKind: tenant.kind, ...viewer });
    return toFormat(r, tenant);
  }
  throw new NotFoundError();
}

/** Formats of one tenant by id (for lists of sessions). */
export async function formatsOf(
  platform: Pick<Platform, "db">,
  tenantId: string,
  ids: string[],
): Promise<Map<string, { title: string; minutes: number; mode: Mode }>> {
  if (ids.length === 0) return new Map();
  const rows = await withTenant(platform.db, tenantId, (tx) =>
    tx
      .select({ id: trainingFormats.id, title: trainingFormats.title, minutes: trainingFormats.minutes, mode: trainingFormats.mode })
      .from(trainingFormats)
      .where(and(eq(trainingFormats.tenantId, tenantId), inArray(trainingFormats.id, ids))),
  );
  return new Map(rows.map((r) => [r.id, { title: r.title, minutes: r.minutes, mode: r.mode as Mode }]));
}

/** Adds a format to the actor's tenant's catalog. */
export async function createFormat(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  viewer: Viewer,
  input: FormatInput,
): Promise<string> {
  formatPolicy.authorize(actor, "write", { tenantId: tenant.id, tenantKind: tenant.kind, ...viewer });
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [row] = await tx
        .insert(trainingFormats)
        .values({ tenantId: tenant.id, ...input, createdBy: actor.userId, createdAt: now, updatedAt: now })
        .returning({ id: trainingFormats.id });
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "training.format_created", objectType: "training_format", objectId: row.id },
        now,
      );
      return row.id;
    },
    actor.userId,
  );
}

/** Changes a format of the actor's tenant (sessions already held keep pointing at it). */
export async function updateFormat(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  viewer: Viewer,
  id: string,
  input: FormatInput & { archived: boolean },
): Promise<void> {
  formatPolicy.authorize(actor, "write", { tenantId: tenant.id, tenantKind: tenant.kind, ...viewer });
  if (!UUID.test(id)) throw new NotFoundError();
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const changed = await tx
        .update(trainingFormats)
        .set({ ...input, updatedAt: now })
        .where(and(eq(trainingFormats.tenantId, tenant.id), eq(trainingFormats.id, id)))
        .returning({ id: trainingFormats.id });
      if (changed.length === 0) throw new NotFoundError();
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "training.format_changed", objectType: "training_format", objectId: id },
        now,
      );
    },
    actor.userId,
  );
}
