import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { isCalendarDate } from "../../platform/calendar.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { tenants, users } from "../../platform/db/schema.ts";
import type { Platform } from "../../platform/platform.ts";
import type { TenantRef } from "./catalog.ts";
import { findIdentifying } from "./deidentify.ts";
import { type CounselRef, counselOpenPolicy, counselPolicy } from "./policy.ts";
import { type CounselPhase, type CounselRole, trainingCounselMembers, trainingCounselNotes, trainingCounselRooms } from "./schema.ts";

/*
 * Collegial case counselling (kollegiale Fallberatung) across municipalities. A room lives at the
 * national level; people of the network's municipalities join through its link while the roles are
 * cast: one case presenter, one moderator, four to six consultants, one note-taker. The moderator
 * leads through the phases — casting, account, key question, method, consultation, closing — each
 * with a suggested time and guidance. The presenter's case enters only after the de-identification
 * step (the text they confirm is the text they were shown the findings of), and nothing comes from
 * a clearing case: it is typed anew. Case, key question and notes are sealed; only members read them.
 * A phase change is published to every process (`counsel.<room>`), which tells open pages (SSE).
 * This file holds the rooms and their members; `counsel-session.ts` what happens in a room.
 */

export const MAX_MEMBERS = 9;
export const CONSULTANTS = { min: 4, max: 6 } as const;
/** Suggested minutes per phase. */
export const PHASE_MINUTES: Record<Exclude<CounselPhase, "ended">, number> = {
  casting: 10,
  account: 15,
  key_question: 5,
  method: 5,
  consultation: 25,
  closing: 10,
};
export const METHODS = ["brainstorming", "headstand", "good_advice", "resonance", "perspectives"] as const;

/** The sealing contexts of a room's case, key question and notes. */
export const CASE = "training_counsel_rooms.case_text";
export const QUESTION = "training_counsel_rooms.key_question";
export const NOTE = "training_counsel_notes.body";
export const COUNSEL_SEALED = [
  { table: "training_counsel_rooms", tenantColumn: "tenant_id", idColumn: "id", column: "case_text", context: CASE },
  { table: "training_counsel_rooms", tenantColumn: "tenant_id", idColumn: "id", column: "key_question", context: QUESTION },
  { table: "training_counsel_notes", tenantColumn: "tenant_id", idColumn: "id", column: "body", context: NOTE },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const counselChannel = (roomId: string) => `counsel.${roomId}`;

export interface RoomMember {
  userId: string;
  name: string;
  tenantName: string;
  role: CounselRole | null;
}

export interface RoomView {
  id: string;
  title: string;
  startsAt: Date;
  phase: CounselPhase;
  phaseStartedAt: Date;
  method: string | null;
  hostId: string;
  members: RoomMember[];
  caseText: string | null;
  keyQuestion: string | null;
  notes: { id: string; phase: string; authorName: string; body: string; createdAt: Date }[];
  ref: CounselRef;
}

export type P = Pick<Platform, "db" | "clock" | "keyring" | "nationalTenant">;
const national = (platform: Pick<Platform, "nationalTenant">) => platform.nationalTenant.id;

/** Title (3–200 characters) and day and time it takes place. */
export function readRoomForm(values: { title: string; date: string; time: string }, now: Date, at: (date: string, time: string) => Date) {
  const title = values.title
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const errors: Record<string, string> = {};
  if ([...title].length < 3 || [...title].length > 200) errors.title = "errors.trainings.title";
  else if (findIdentifying(title).length > 0) errors.title = "errors.trainings.counselTitle";
  const okDate = /^(19|20|21)\d{2}-\d{2}-\d{2}$/.test(values.date) && isCalendarDate(values.date);
  const okTime = /^([01]\d|2[0-3]):[0-5]\d$/.test(values.time);
  if (!okDate) errors.date = "errors.trainings.date";
  if (!okTime) errors.time = "errors.trainings.time";
  const startsAt = okDate && okTime ? at(values.date, values.time) : null;
  if (startsAt && (startsAt.getTime() < now.getTime() - 86_400_000 || startsAt.getTime() > now.getTime() + 366 * 86_400_000))
    errors.date = "errors.trainings.counselDate";
  return Object.keys(errors).length > 0 || !startsAt ? { ok: false as const, errors } : { ok: true as const, title, startsAt };
}

/** Opens a room; the person opening it is its host and first member. Returns it with its link's token (shown once). */
export async function openRoom(platform: P, actor: Actor, home: TenantRef, input: { title: string; startsAt: Date }): Promise<{ id: string; token: string }> {
  counselOpenPolicy.authorize(actor, "open", home);
  const now = platform.clock.now();
  const token = randomBytes(24).toString("base64url");
  const id = await withTenant(
    platform.db,
    national(platform),
    async (tx) => {
      const [room] = await tx
        .insert(trainingCounselRooms)
        .values({
          tenantId: national(platform),
          title: input.title,
          startsAt: input.startsAt,
          tokenHash: platform.keyring.lookupHash("counsel", token),
          hostId: actor.userId,
          phaseStartedAt: now,
          createdAt: now,
        })
        .returning({ id: trainingCounselRooms.id });
      await tx
        .insert(trainingCounselMembers)
        .values({ tenantId: national(platform), roomId: room.id, userId: actor.userId, homeTenantId: home.id, joinedAt: now });
      await appendAudit(
        tx,
        { tenantId: national(platform), actorId: actor.userId, action: "training.counsel_opened", objectType: "training_counsel", objectId: room.id },
        now,
      );
      return room.id;
    },
    actor.userId,
  );
  return { id, token };
}

/** A new link for the room (the old one stops working); for its host while roles are cast. */
export async function renewRoomLink(platform: P, actor: Actor, room: RoomView): Promise<string> {
  counselPolicy.authorize(actor, "cast", room.ref);
  const token = randomBytes(24).toString("base64url");
  await withTenant(
    platform.db,
    national(platform),
    (tx) =>
      tx
        .update(trainingCounselRooms)
        .set({ tokenHash: platform.keyring.lookupHash("counsel", token) })
        .where(and(eq(trainingCounselRooms.tenantId, national(platform)), eq(trainingCounselRooms.id, room.id))),
    actor.userId,
  );
  return token;
}

async function membersOf(tx: Db, tenantId: string, roomId: string): Promise<RoomMember[]> {
  const rows = await tx
    .select({ userId: trainingCounselMembers.userId, name: users.displayName, tenantName: tenants.name, role: trainingCounselMembers.role })
    .from(trainingCounselMembers)
    .innerJoin(users, eq(users.id, trainingCounselMembers.userId))
    .innerJoin(tenants, eq(tenants.id, trainingCounselMembers.homeTenantId))
    .where(and(eq(trainingCounselMembers.tenantId, tenantId), eq(trainingCounselMembers.roomId, roomId)))
    .orderBy(asc(trainingCounselMembers.joinedAt));
  return rows.map((r) => ({ ...r, role: r.role as CounselRole | null }));
}

/** The room a link leads to (its title, phase, number of members), or null. */
export async function roomByToken(
  platform: P,
  actor: Actor,
  token: string,
): Promise<{ id: string; title: string; startsAt: Date; phase: CounselPhase; members: number; ref: CounselRef } | null> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  return withTenant(
    platform.db,
    national(platform),
    async (tx) => {
      const [room] = await tx
        .select()
        .from(trainingCounselRooms)
        .where(and(eq(trainingCounselRooms.tenantId, national(platform)), eq(trainingCounselRooms.tokenHash, platform.keyring.lookupHash("counsel", token))));
      if (!room) return null;
      const members = await membersOf(tx, national(platform), room.id);
      const mine = members.find((m) => m.userId === actor.userId);
      const phase = room.phase as CounselPhase;
      return {
        id: room.id,
        title: room.title,
        startsAt: room.startsAt,
        phase,
        members: members.length,
        ref: { tenantId: national(platform), member: !!mine, host: room.hostId === actor.userId, role: mine?.role ?? null, phase },
      };
    },
    actor.userId,
  );
}

/** Joins the room the link leads to, from the municipality the person works in (while roles are cast, up to nine people). */
export async function joinRoom(platform: P, actor: Actor, home: TenantRef, token: string): Promise<{ id: string; joined: boolean; full: boolean }> {
  const room = await roomByToken(platform, actor, token);
  if (!room) throw new NotFoundError();
  if (room.ref.member) return { id: room.id, joined: true, full: false };
  counselPolicy.authorize(actor, "join", room.ref);
  counselOpenPolicy.authorize(actor, "open", home);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    national(platform),
    async (tx) => {
      // One at a time per room, so that the tenth person finds it full.
      await tx.execute(sql`select 1 from training_counsel_rooms where tenant_id = ${national(platform)}::uuid and id = ${room.id}::uuid for update`);
      const members = await membersOf(tx, national(platform), room.id);
      if (members.length >= MAX_MEMBERS) return { id: room.id, joined: false, full: true };
      await tx
        .insert(trainingCounselMembers)
        .values({ tenantId: national(platform), roomId: room.id, userId: actor.userId, homeTenantId: home.id, joinedAt: now })
        .onConflictDoNothing();
      await appendAudit(
        tx,
        { tenantId: national(platform), actorId: actor.userId, action: "training.counsel_joined", objectType: "training_counsel", objectId: room.id },
        now,
      );
      return { id: room.id, joined: true, full: false };
    },
    actor.userId,
  );
}

/** The rooms the person is a member of, newest first. */
export async function myRooms(
  platform: P,
  actor: Actor,
): Promise<{ id: string; title: string; startsAt: Date; phase: CounselPhase; role: CounselRole | null }[]> {
  return withTenant(
    platform.db,
    national(platform),
    async (tx) =>
      (
        await tx
          .select({
            id: trainingCounselRooms.id,
            title: trainingCounselRooms.title,
            startsAt: trainingCounselRooms.startsAt,
            phase: trainingCounselRooms.phase,
            role: trainingCounselMembers.role,
          })
          .from(trainingCounselMembers)
          .innerJoin(
            trainingCounselRooms,
            and(eq(trainingCounselRooms.tenantId, trainingCounselMembers.tenantId), eq(trainingCounselRooms.id, trainingCounselMembers.roomId)),
          )
          .where(and(eq(trainingCounselMembers.tenantId, national(platform)), eq(trainingCounselMembers.userId, actor.userId)))
          .orderBy(sql`${trainingCounselRooms.startsAt} desc`)
      ).map((r) => ({ ...r, phase: r.phase as CounselPhase, role: r.role as CounselRole | null })),
    actor.userId,
  );
}

/** A room as its member sees it; for anyone else it does not exist. */
export async function roomById(platform: P, actor: Actor, id: string): Promise<RoomView> {
  if (!UUID.test(id)) throw new NotFoundError();
  const tenantId = national(platform);
  return withTenant(
    platform.db,
    tenantId,
    async (tx) => {
      const [room] = await tx
        .select()
        .from(trainingCounselRooms)
        .where(and(eq(trainingCounselRooms.tenantId, tenantId), eq(trainingCounselRooms.id, id)));
      if (!room) throw new NotFoundError();
      const members = await membersOf(tx, tenantId, id);
      const mine = members.find((m) => m.userId === actor.userId);
      const phase = room.phase as CounselPhase;
      const ref: CounselRef = { tenantId, member: !!mine, host: room.hostId === actor.userId, role: mine?.role ?? null, phase };
      counselPolicy.authorize(actor, "read", ref);
      const open = (v: string | null, context: string) => (v ? platform.keyring.openText(tx, tenantId, v, context) : Promise.resolve(null));
      const notes = await tx
        .select({
          id: trainingCounselNotes.id,
          phase: trainingCounselNotes.phase,
          authorName: users.displayName,
          body: trainingCounselNotes.body,
          createdAt: trainingCounselNotes.createdAt,
        })
        .from(trainingCounselNotes)
        .innerJoin(users, eq(users.id, trainingCounselNotes.authorId))
        .where(and(eq(trainingCounselNotes.tenantId, tenantId), eq(trainingCounselNotes.roomId, id)))
        .orderBy(asc(trainingCounselNotes.createdAt), asc(trainingCounselNotes.id));
      return {
        id,
        title: room.title,
        startsAt: room.startsAt,
        phase,
        phaseStartedAt: room.phaseStartedAt,
        method: room.method,
        hostId: room.hostId,
        members,
        caseText: await open(room.caseText, CASE),
        keyQuestion: await open(room.keyQuestion, QUESTION),
        notes: await Promise.all(notes.map(async (n) => ({ ...n, body: (await open(n.body, NOTE)) ?? "" }))),
        ref,
      };
    },
    actor.userId,
  );
}
