import { and, eq } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import type { Sealer } from "../../platform/crypto/keyring.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import type { Platform } from "../../platform/platform.ts";
import { CASE, CONSULTANTS, counselChannel, METHODS, NOTE, type P, QUESTION, type RoomMember, type RoomView } from "./counsel.ts";
import { type Finding, findIdentifying } from "./deidentify.ts";
import { counselPolicy } from "./policy.ts";
import { COUNSEL_PHASES, type CounselRole, trainingCounselMembers, trainingCounselNotes, trainingCounselRooms } from "./schema.ts";
import { cleanText } from "./text.ts";

/*
 * What happens in a room of collegial case counselling once its members are in: the roles cast,
 * the phases the moderator leads through, the presenter's case (kept only once checked for what
 * identifies anyone), the key question, the method and the shared notes. Case, key question and
 * notes are sealed with the contexts `counsel.ts` names.
 */

/** What keeps the roles from being complete (empty when they are): one presenter, one moderator, four to six consultants, one note-taker, everyone with a role. */
export function castingGaps(members: readonly Pick<RoomMember, "role">[]): string[] {
  const count = (r: CounselRole) => members.filter((m) => m.role === r).length;
  const gaps: string[] = [];
  if (count("presenter") !== 1) gaps.push("presenter");
  if (count("moderator") !== 1) gaps.push("moderator");
  if (count("consultant") < CONSULTANTS.min || count("consultant") > CONSULTANTS.max) gaps.push("consultants");
  if (count("notetaker") !== 1) gaps.push("notetaker");
  if (members.some((m) => m.role === null)) gaps.push("everyone");
  return gaps;
}

/** Gives the members their roles (user id → role, or "" for none yet). */
export async function castRoles(platform: P, actor: Actor, room: RoomView, roles: Record<string, string>): Promise<void> {
  counselPolicy.authorize(actor, "cast", room.ref);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    room.ref.tenantId,
    async (tx) => {
      for (const m of room.members) {
        const given = roles[m.userId];
        if (given === undefined) continue;
        const role = (["presenter", "moderator", "consultant", "notetaker"] as const).find((r) => r === given) ?? null;
        await tx
          .update(trainingCounselMembers)
          .set({ role })
          .where(
            and(
              eq(trainingCounselMembers.tenantId, room.ref.tenantId),
              eq(trainingCounselMembers.roomId, room.id),
              eq(trainingCounselMembers.userId, m.userId),
            ),
          );
      }
      await appendAudit(
        tx,
        { tenantId: room.ref.tenantId, actorId: actor.userId, action: "training.counsel_cast", objectType: "training_counsel", objectId: room.id },
        now,
      );
    },
    actor.userId,
  );
}

/** What the current phase still needs before the next one (an i18n key), or null. */
export function advanceBlocker(room: Pick<RoomView, "phase" | "members" | "caseText" | "keyQuestion" | "method">): string | null {
  if (room.phase === "casting" && castingGaps(room.members).length > 0) return "trainings.counsel.needsRoles";
  if (room.phase === "account" && !room.caseText) return "trainings.counsel.needsCase";
  if (room.phase === "key_question" && !room.keyQuestion) return "trainings.counsel.needsQuestion";
  if (room.phase === "method" && !room.method) return "trainings.counsel.needsMethod";
  return null;
}

/** Moves on to the next phase (from the phase the page showed, so that two clicks do not skip one); every open page hears of it. */
export async function advance(
  platform: P & Pick<Platform, "broadcast">,
  actor: Actor,
  room: RoomView,
  from: string,
): Promise<{ ok: true } | { ok: false; why: string }> {
  counselPolicy.authorize(actor, "advance", room.ref);
  if (from !== room.phase) return { ok: true }; // someone else moved on already
  const blocker = advanceBlocker(room);
  if (blocker) return { ok: false, why: blocker };
  const next = COUNSEL_PHASES[COUNSEL_PHASES.indexOf(room.phase) + 1];
  const now = platform.clock.now();
  const moved = await withTenant(
    platform.db,
    room.ref.tenantId,
    async (tx) => {
      const done = await tx
        .update(trainingCounselRooms)
        .set({ phase: next, phaseStartedAt: now })
        .where(and(eq(trainingCounselRooms.tenantId, room.ref.tenantId), eq(trainingCounselRooms.id, room.id), eq(trainingCounselRooms.phase, room.phase)))
        .returning({ id: trainingCounselRooms.id });
      if (done.length > 0)
        await appendAudit(
          tx,
          { tenantId: room.ref.tenantId, actorId: actor.userId, action: "training.counsel_phase", objectType: "training_counsel", objectId: room.id },
          now,
        );
      return done.length > 0;
    },
    actor.userId,
  );
  if (moved) await platform.broadcast.publish(counselChannel(room.id), { phase: next });
  return { ok: true };
}

/**
 * A keyed fingerprint of a text checked for a person in a room, so that the text confirmed is the
 * text whose findings were shown to them (without the key, no one can make one for a text unseen).
 */
export const checkedMark = (platform: Pick<Platform, "keyring">, roomId: string, userId: string, text: string) =>
  platform.keyring.lookupHash("counsel-check", `${roomId}\n${userId}\n${text}`);

export type TellResult = { saved: true } | { saved: false; text: string; findings: Finding[]; mark: string; error: string | null };

/**
 * Runs `write` in the room's tenant transaction with the tenant's sealer, for the texts a room
 * keeps sealed (case, key question, notes).
 */
async function sealedWrite(platform: P, actor: Actor, room: RoomView, write: (tx: Db, seal: Sealer, now: Date) => Promise<unknown>): Promise<void> {
  const now = platform.clock.now();
  await withTenant(platform.db, room.ref.tenantId, async (tx) => write(tx, await platform.keyring.sealer(tx, room.ref.tenantId), now), actor.userId);
}

/** Writes sealed texts to the room (the case, the key question), with an audit entry where one is named. */
function sealInRoom(
  platform: P,
  actor: Actor,
  room: RoomView,
  values: (seal: Sealer) => Partial<typeof trainingCounselRooms.$inferInsert>,
  audit?: string,
): Promise<void> {
  return sealedWrite(platform, actor, room, async (tx, seal, now) => {
    await tx
      .update(trainingCounselRooms)
      .set(values(seal))
      .where(and(eq(trainingCounselRooms.tenantId, room.ref.tenantId), eq(trainingCounselRooms.id, room.id)));
    if (audit)
      await appendAudit(tx, { tenantId: room.ref.tenantId, actorId: actor.userId, action: audit, objectType: "training_counsel", objectId: room.id }, now);
  });
}

/**
 * The presenter's case. Sent first, it comes back with its findings marked; it is kept only once
 * the presenter confirms having checked that very text (an edited text is checked again).
 */
export async function tellCase(platform: P, actor: Actor, room: RoomView, raw: string, confirmed: boolean, mark: string): Promise<TellResult> {
  counselPolicy.authorize(actor, "tell", room.ref);
  const text = cleanText(raw);
  const findings = findIdentifying(text);
  const own = checkedMark(platform, room.id, actor.userId, text);
  if ([...text].length < 20 || [...text].length > 10_000) return { saved: false, text, findings, mark: own, error: "errors.trainings.counselCase" };
  // Sent again unchanged but not confirmed: say what is missing (a first sending is just the check).
  if (!confirmed) return { saved: false, text, findings, mark: own, error: mark === own ? "errors.trainings.counselConfirm" : null };
  if (mark !== own) return { saved: false, text, findings, mark: own, error: "errors.trainings.counselChanged" };
  await sealInRoom(platform, actor, room, (seal) => ({ caseText: seal(text, CASE) }), "training.counsel_case");
  return { saved: true };
}

/** The key question: short, and without anything the de-identification step flags. */
export async function askKeyQuestion(
  platform: P,
  actor: Actor,
  room: RoomView,
  raw: string,
): Promise<{ ok: true } | { ok: false; error: string; findings: Finding[] }> {
  counselPolicy.authorize(actor, "ask", room.ref);
  const text = cleanText(raw).replace(/\s+/g, " ");
  if ([...text].length < 5 || [...text].length > 500) return { ok: false, error: "errors.trainings.counselQuestion", findings: [] };
  const findings = findIdentifying(text);
  if (findings.length > 0) return { ok: false, error: "errors.trainings.counselQuestionIdentifies", findings };
  await sealInRoom(platform, actor, room, (seal) => ({ keyQuestion: seal(text, QUESTION) }));
  return { ok: true };
}

export async function chooseMethod(platform: P, actor: Actor, room: RoomView, method: string): Promise<boolean> {
  counselPolicy.authorize(actor, "method", room.ref);
  if (!(METHODS as readonly string[]).includes(method)) return false;
  await withTenant(
    platform.db,
    room.ref.tenantId,
    (tx) =>
      tx
        .update(trainingCounselRooms)
        .set({ method })
        .where(and(eq(trainingCounselRooms.tenantId, room.ref.tenantId), eq(trainingCounselRooms.id, room.id))),
    actor.userId,
  );
  return true;
}

/** A shared note in the current phase: refused (with the reason, or what it found) if empty, too long, or naming anyone. */
export async function addNote(platform: P, actor: Actor, room: RoomView, raw: string): Promise<true | string | Finding[]> {
  counselPolicy.authorize(actor, "note", room.ref);
  const body = cleanText(raw);
  if ([...body].length < 1 || [...body].length > 5000) return "errors.trainings.counselNote";
  const found = findIdentifying(body);
  if (found.length > 0) return found;
  await sealedWrite(platform, actor, room, (tx, seal, now) =>
    tx
      .insert(trainingCounselNotes)
      .values({ tenantId: room.ref.tenantId, roomId: room.id, phase: room.phase, authorId: actor.userId, body: seal(body, NOTE), createdAt: now }),
  );
  return true;
}
