import { and, desc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { type Db, inTransaction, rows, withTenant } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { libraryPolicy, type PracticeRef, practicePolicy } from "./policy.ts";
import { type Dimension, type PracticeKind, type PracticeModule, practiceAdoptions, practiceFeedback, practices, type Visibility } from "./schema.ts";
import { type OriginUpdate, originUpdate } from "./versions.ts";

/*
 * The library's practices: written in a workspace, reviewed by the national level before they go
 * beyond it, read by the network or the public, adopted by another municipality as a copy of its
 * own (linked to its origin) and given feedback. Every change is in the audit log of the
 * practice's municipality; publishing, adopting and feedback are domain events, so that the
 * transfer — whose practice travelled to whom — can be shown.
 */

export interface TenantRef {
  id: string;
  kind: "national" | "model" | "platform";
}

export interface PracticeInput {
  kind: PracticeKind;
  title: string;
  summary: string;
  body: string;
  tags: string[];
  dimensions: Dimension[];
  modules: PracticeModule[];
  visibility: Visibility;
}

export interface Practice extends PracticeInput {
  id: string;
  tenantId: string;
  tenantName: string;
  tenantKind: TenantRef["kind"];
  status: "draft" | "in_review" | "published";
  version: number;
  publishedVersion: number | null;
  originId: string | null;
  originVersion: number | null;
  originTitle: string | null;
  originTenantName: string | null;
  reviewNote: string | null;
  updatedAt: Date;
  publishedAt: Date | null;
}

export interface PracticePage {
  practice: Practice;
  policies: Record<"read" | "edit" | "submit" | "review" | "adopt" | "feedback", boolean>;
  /** The viewer's copy, when their municipality adopted it. */
  copyId: string | null;
  /** The viewer's municipality's answer to "did it work?". */
  feedback: { score: number; text: string } | null;
  /** For the practice's own people and the national level: who adopted it, and what they said. */
  adoptions: { tenantName: string; adoptedAt: Date; score: number | null; text: string | null }[];
  /** On a copy: what its origin changed in later published versions, word by word. */
  originUpdate: OriginUpdate | null;
}

export const columns = {
  id: practices.id,
  tenantId: practices.tenantId,
  tenantName: tenants.name,
  tenantKind: tenants.kind,
  kind: practices.kind,
  title: practices.title,
  summary: practices.summary,
  body: practices.body,
  tags: practices.tags,
  dimensions: practices.dimensions,
  modules: practices.modules,
  visibility: practices.visibility,
  status: practices.status,
  version: practices.version,
  publishedVersion: practices.publishedVersion,
  originId: practices.originId,
  originVersion: practices.originVersion,
  originTitle: sql<string | null>`(select o.title from ${practices} o where o.id = ${practices.originId})`,
  originTenantName: sql<string | null>`(select t.name from ${practices} o join ${tenants} t on t.id = o.tenant_id where o.id = ${practices.originId})`,
  reviewNote: practices.reviewNote,
  updatedAt: practices.updatedAt,
  publishedAt: practices.publishedAt,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function loadPractice(tx: Db, id: string): Promise<Practice | undefined> {
  if (!UUID.test(id)) return undefined;
  const [row] = await tx.select(columns).from(practices).innerJoin(tenants, eq(tenants.id, practices.tenantId)).where(eq(practices.id, id));
  return row as Practice | undefined;
}

export function refOf(p: Practice, viewer: TenantRef | null, adoptedByViewer: boolean): PracticeRef {
  return {
    tenantId: p.tenantId,
    tenantKind: p.tenantKind,
    status: p.status,
    visibility: p.visibility,
    viewerTenantId: viewer?.id ?? null,
    viewerKind: viewer?.kind ?? null,
    adoptedByViewer,
  };
}

/** One practice as the viewer may see it (signed out: `viewer` null, public ones only). */
export async function practicePage(platform: Pick<Platform, "db">, actor: Actor | null, viewer: TenantRef | null, id: string): Promise<PracticePage> {
  return inTransaction(platform.db, { tenantId: viewer?.id ?? null, userId: actor?.userId ?? null }, async (tx) => {
    // The national level reads the practices waiting for its review (the database lets its tenant see them).
    const practice = await loadPractice(tx, id);
    if (!practice) throw new NotFoundError();
    const [copy] = viewer
      ? await tx
          .select({ copyId: practiceAdoptions.copyId })
          .from(practiceAdoptions)
          .where(and(eq(practiceAdoptions.tenantId, viewer.id), eq(practiceAdoptions.originId, practice.id)))
      : [];
    const ref = refOf(practice, viewer, !!copy);
    practicePolicy.authorize(actor, "read", ref);
    const [feedback] = viewer
      ? await tx
          .select({ score: practiceFeedback.score, text: practiceFeedback.text })
          .from(practiceFeedback)
          .where(and(eq(practiceFeedback.tenantId, viewer.id), eq(practiceFeedback.originId, practice.id)))
      : [];
    // Who adopted it: the practice's own municipality and the national level see it (the database holds the same line).
    const adoptions =
      viewer && (viewer.id === practice.tenantId || viewer.kind === "national") && libraryPolicy.can(actor, "open", viewer)
        ? await rows<{ tenantName: string; adoptedAt: Date; score: number | null; text: string | null }>(
            tx,
            sql`select t.name as "tenantName", a.adopted_at as "adoptedAt", f.score, f.text
                  from ${practiceAdoptions} a join ${tenants} t on t.id = a.tenant_id
                  left join ${practiceFeedback} f on f.tenant_id = a.tenant_id and f.origin_id = a.origin_id
                 where a.origin_id = ${practice.id} order by a.adopted_at`,
          )
        : [];
    return {
      practice,
      originUpdate: practice.originId && practice.originVersion ? await originUpdate(tx, practice.originId, practice.originVersion) : null,
      policies: practicePolicy.serialize(actor, ref),
      copyId: copy?.copyId ?? null,
      feedback: feedback ?? null,
      adoptions: adoptions.map((a) => ({ ...a, adoptedAt: new Date(a.adoptedAt) })),
    };
  });
}

/** The workspace's own practices (drafts, in review, published, adopted copies). */
export async function ownPractices(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<Practice[]> {
  libraryPolicy.authorize(actor, "open", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) =>
      (await tx
        .select(columns)
        .from(practices)
        .innerJoin(tenants, eq(tenants.id, practices.tenantId))
        .where(eq(practices.tenantId, tenant.id))
        .orderBy(desc(practices.updatedAt))) as Practice[],
    actor.userId,
  );
}

/** Writes a practice of the workspace (new, or a draft changed); returns its id. */
export async function savePractice(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  id: string | null,
  input: PracticeInput,
): Promise<string> {
  libraryPolicy.authorize(actor, "write", tenant);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      if (id) {
        const found = await loadPractice(tx, id);
        if (!found || found.tenantId !== tenant.id) throw new NotFoundError();
        practicePolicy.authorize(actor, "edit", refOf(found, tenant, false));
        // Only the draft that was checked: a practice published or submitted meanwhile is left as it is.
        const changed = await tx
          .update(practices)
          .set({ ...input, version: sql`${practices.version} + 1`, updatedAt: now })
          .where(and(eq(practices.tenantId, tenant.id), eq(practices.id, id), eq(practices.status, "draft"), eq(practices.version, found.version)))
          .returning({ id: practices.id });
        if (changed.length === 0) throw new PracticeChangedError();
        await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "practice.changed", objectType: "practice", objectId: id }, now);
        return id;
      }
      const [created] = await tx
        .insert(practices)
        .values({ ...input, tenantId: tenant.id, status: "draft", createdBy: actor.userId, createdAt: now, updatedAt: now })
        .returning({ id: practices.id });
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "practice.created", objectType: "practice", objectId: created.id }, now);
      return created.id;
    },
    actor.userId,
  );
}

/**
 * A draft goes on: for the workspace alone it is published at once; for the network or the public
 * it waits for the national level's review (model municipalities and the national level only).
 */
export async function submitPractice(platform: Pick<Platform, "db" | "clock" | "domainEvents">, actor: Actor, tenant: TenantRef, id: string) {
  const now = platform.clock.now();
  const result = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const found = await loadPractice(tx, id);
      if (!found || found.tenantId !== tenant.id) throw new NotFoundError();
      const ref = refOf(found, tenant, false);
      // The row as checked — a draft, with the visibility and version read — or nothing is changed.
      const asChecked = and(
        eq(practices.tenantId, tenant.id),
        eq(practices.id, id),
        eq(practices.status, "draft"),
        eq(practices.visibility, found.visibility),
        eq(practices.version, found.version),
      );
      if (found.visibility === "internal") {
        practicePolicy.authorize(actor, "edit", ref);
        const published = await tx
          .update(practices)
          .set({ status: "published", publishedVersion: found.version, publishedAt: now, reviewNote: null, updatedAt: now })
          .where(asChecked)
          .returning({ id: practices.id });
        if (published.length === 0) throw new PracticeChangedError();
        await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "practice.published", objectType: "practice", objectId: id }, now);
        return "published" as const;
      }
      practicePolicy.authorize(actor, "submit", ref);
      const submitted = await tx.update(practices).set({ status: "in_review", updatedAt: now }).where(asChecked).returning({ id: practices.id });
      if (submitted.length === 0) throw new PracticeChangedError();
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "practice.submitted", objectType: "practice", objectId: id }, now);
      return "in_review" as const;
    },
    actor.userId,
  );
  return result;
}

/** A published practice goes back to a draft of its workspace (to change it; others no longer find it until published again). */
export async function withdrawPractice(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, id: string): Promise<void> {
  libraryPolicy.authorize(actor, "write", tenant);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const found = await loadPractice(tx, id);
      if (!found || found.tenantId !== tenant.id || found.status === "draft") throw new NotFoundError();
      await tx
        .update(practices)
        .set({ status: "draft", updatedAt: now })
        .where(and(eq(practices.tenantId, tenant.id), eq(practices.id, id)));
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "practice.withdrawn", objectType: "practice", objectId: id }, now);
    },
    actor.userId,
  );
}

/** The practice changed since it was read (withdrawn, edited, submitted meanwhile): nothing was done (409). */
export class PracticeChangedError extends AppError {
  constructor() {
    super("conflict", "The practice changed meanwhile; read it again.");
  }
}
