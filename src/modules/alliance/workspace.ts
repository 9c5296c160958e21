import { and, asc, desc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { authorizeCircle, eligiblePeople, memberIdsOf, type Person } from "./circles.ts";
import { circlePolicy, type TenantRef, workspacePolicy } from "./policy.ts";
import {
  type Attendance,
  allianceAttendance,
  allianceCircleMembers,
  allianceDecisions,
  allianceMeetings,
  alliancePartnerAccounts,
  alliancePartners,
  CIRCLES,
  type Circle,
} from "./schema.ts";
import { checkId, type DecisionInput, type MeetingInput } from "./schemas.ts";
import { type CircleDocument, documentsOf } from "./workspace-documents.ts";

/*
 * The alliance's workspace: two circles (the alliance, and the confidential strategy group inside
 * it), each with members from the administration and the partner organisations, meetings with
 * agenda, attendance, minutes and decisions. Only a circle's members see it; agenda, minutes and
 * decisions are sealed with the municipality's key. Who acts for which partner organisation is
 * kept here too: those people see their organisation's entry and the workspace, nothing else.
 */

type Deps = Pick<Platform, "db" | "keyring" | "clock">;
const SEALED = { agenda: "alliance_meetings.agenda", minutes: "alliance_meetings.minutes", decision: "alliance_decisions.text" } as const;

export interface MeetingSummary {
  id: string;
  circle: Circle;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  cancelled: boolean;
}

export interface CircleView {
  circle: Circle;
  members: Person[];
  meetings: MeetingSummary[];
  documents: CircleDocument[];
}

export interface Workspace {
  /** The circles the actor belongs to, with their members and meetings. */
  circles: CircleView[];
  /** For municipal admins: every circle's members and who could join, to manage membership. */
  management: { circle: Circle; members: Person[] }[] | null;
  candidates: Person[];
  /** The organisation the actor acts for, if a partner. */
  ownPartner: { id: string; name: string } | null;
  policies: Record<"open" | "manage", boolean>;
}

export async function workspace(platform: Pick<Platform, "db" | "keyring">, actor: Actor, tenant: TenantRef): Promise<Workspace> {
  workspacePolicy.authorize(actor, "open", tenant);
  const manage = workspacePolicy.can(actor, "manage", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const people = await eligiblePeople(tx, tenant.id);
      const byId = new Map(people.map((p) => [p.id, p]));
      const circles: CircleView[] = [];
      const management: { circle: Circle; members: Person[] }[] = [];
      for (const circle of CIRCLES) {
        const ids = await memberIdsOf(tx, tenant.id, circle);
        const members = ids.map((id) => byId.get(id)).filter((p): p is Person => !!p);
        management.push({ circle, members });
        if (!circlePolicy.can(actor, "view", { tenantId: tenant.id, tenantKind: tenant.kind, memberIds: ids })) continue;
        const meetings = await tx
          .select({
            id: allianceMeetings.id,
            circle: allianceMeetings.circle,
            title: allianceMeetings.title,
            startsAt: allianceMeetings.startsAt,
            endsAt: allianceMeetings.endsAt,
            place: allianceMeetings.place,
            cancelledAt: allianceMeetings.cancelledAt,
          })
          .from(allianceMeetings)
          .where(and(eq(allianceMeetings.tenantId, tenant.id), eq(allianceMeetings.circle, circle)))
          .orderBy(desc(allianceMeetings.startsAt));
        circles.push({
          circle,
          members,
          meetings: meetings.map(({ cancelledAt, ...m }) => ({ ...m, cancelled: cancelledAt !== null })),
          documents: await documentsOf(tx, platform.keyring, tenant.id, circle, { userId: actor.userId, manage }),
        });
      }
      const [own] = await tx
        .select({ id: alliancePartners.id, name: alliancePartners.name })
        .from(alliancePartnerAccounts)
        .innerJoin(
          alliancePartners,
          and(eq(alliancePartners.tenantId, alliancePartnerAccounts.tenantId), eq(alliancePartners.id, alliancePartnerAccounts.partnerId)),
        )
        .where(and(eq(alliancePartnerAccounts.tenantId, tenant.id), eq(alliancePartnerAccounts.userId, actor.userId)));
      return {
        circles,
        management: manage ? management : null,
        candidates: manage ? people : [],
        ownPartner: own ?? null,
        policies: workspacePolicy.serialize(actor, tenant),
      };
    },
    actor.userId,
  );
}

/** Adds a person to a circle or takes them out (municipal admins). */
export async function changeCircleMember(platform: Deps, actor: Actor, tenant: TenantRef, circle: Circle, userId: string, add: boolean): Promise<void> {
  workspacePolicy.authorize(actor, "manage", tenant);
  checkId(userId);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      if (add) {
        // Only someone who works in or with this municipality.
        if (!(await eligiblePeople(tx, tenant.id)).some((p) => p.id === userId)) throw new AppError("not_found");
        await tx.insert(allianceCircleMembers).values({ tenantId: tenant.id, circle, userId, addedAt: now }).onConflictDoNothing();
      } else {
        await tx
          .delete(allianceCircleMembers)
          .where(and(eq(allianceCircleMembers.tenantId, tenant.id), eq(allianceCircleMembers.circle, circle), eq(allianceCircleMembers.userId, userId)));
      }
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: add ? "alliance.circle.memberAdded" : "alliance.circle.memberRemoved",
          objectType: "user",
          objectId: userId,
          details: { circle },
        },
        now,
      );
    },
    actor.userId,
  );
}

/** Schedules a meeting of a circle (its members). Returns its id. */
export async function createMeeting(platform: Deps, actor: Actor, tenant: TenantRef, circle: Circle, input: MeetingInput): Promise<string> {
  workspacePolicy.authorize(actor, "open", tenant);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      await authorizeCircle(tx, actor, tenant, circle);
      const seal = await platform.keyring.sealer(tx, tenant.id);
      const [row] = await tx
        .insert(allianceMeetings)
        .values({
          tenantId: tenant.id,
          circle,
          title: input.title,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          place: input.place,
          link: input.link,
          agenda: input.agenda ? seal(input.agenda, SEALED.agenda) : null,
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: allianceMeetings.id });
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "alliance.meeting.created",
          objectType: "alliance_meeting",
          objectId: row.id,
          details: { circle },
        },
        now,
      );
      return row.id;
    },
    actor.userId,
  );
}

export interface Decision {
  id: string;
  text: string;
  owner: Person | null;
  due: string | null;
  done: boolean;
}

export interface Meeting extends MeetingSummary {
  link: string | null;
  agenda: string;
  minutes: string;
  sequence: number;
  updatedAt: Date;
  members: Person[];
  attendance: Map<string, Attendance>;
  decisions: Decision[];
}

/** A meeting with its agenda, minutes, attendance and decisions, for the circle's members only. */
export async function meeting(platform: Deps, actor: Actor, tenant: TenantRef, id: string): Promise<Meeting> {
  workspacePolicy.authorize(actor, "open", tenant);
  checkId(id);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [m] = await tx
        .select()
        .from(allianceMeetings)
        .where(and(eq(allianceMeetings.tenantId, tenant.id), eq(allianceMeetings.id, id)));
      if (!m) throw new AppError("not_found");
      const memberIds = await authorizeCircle(tx, actor, tenant, m.circle);
      const open = (value: string | null, context: string) => (value ? platform.keyring.openText(tx, tenant.id, value, context) : Promise.resolve(""));
      const people = new Map((await eligiblePeople(tx, tenant.id)).map((p) => [p.id, p]));
      const attendance = await tx
        .select({ userId: allianceAttendance.userId, status: allianceAttendance.status })
        .from(allianceAttendance)
        .where(and(eq(allianceAttendance.tenantId, tenant.id), eq(allianceAttendance.meetingId, id)));
      const decisions = await tx
        .select()
        .from(allianceDecisions)
        .where(and(eq(allianceDecisions.tenantId, tenant.id), eq(allianceDecisions.meetingId, id)))
        .orderBy(asc(allianceDecisions.createdAt));
      return {
        id: m.id,
        circle: m.circle,
        title: m.title,
        startsAt: m.startsAt,
        endsAt: m.endsAt,
        place: m.place,
        cancelled: m.cancelledAt !== null,
        link: m.link,
        agenda: await open(m.agenda, SEALED.agenda),
        minutes: await open(m.minutes, SEALED.minutes),
        sequence: m.sequence,
        updatedAt: m.updatedAt,
        members: memberIds.map((u) => people.get(u)).filter((p): p is Person => !!p),
        attendance: new Map(attendance.map((a) => [a.userId, a.status])),
        decisions: await Promise.all(
          decisions.map(async (d) => ({
            id: d.id,
            text: await open(d.text, SEALED.decision),
            owner: d.ownerId ? (people.get(d.ownerId) ?? null) : null,
            due: d.due,
            done: d.done,
          })),
        ),
      };
    },
    actor.userId,
  );
}

/**
 * Records who attended and the minutes (a member of the circle). `seen` is the meeting's state
 * the writer started from: if someone saved in between, nothing is overwritten and the answer is
 * a conflict, so that both texts can be brought together.
 */
export async function recordMinutes(
  platform: Deps,
  actor: Actor,
  tenant: TenantRef,
  id: string,
  minutes: string,
  attendance: Map<string, Attendance>,
  seen: string | null,
): Promise<void> {
  await changeMeeting(platform, actor, tenant, id, "alliance.meeting.minutes", async (tx, memberIds) => {
    const seal = await platform.keyring.sealer(tx, tenant.id);
    const [current] = await tx
      .select({ updatedAt: allianceMeetings.updatedAt })
      .from(allianceMeetings)
      .where(and(eq(allianceMeetings.tenantId, tenant.id), eq(allianceMeetings.id, id)))
      .for("update");
    if (seen !== null && current.updatedAt.toISOString() !== seen) throw new AppError("conflict");
    await tx
      .update(allianceMeetings)
      .set({ minutes: minutes ? seal(minutes, SEALED.minutes) : null, updatedAt: platform.clock.now() })
      .where(and(eq(allianceMeetings.tenantId, tenant.id), eq(allianceMeetings.id, id)));
    await tx.delete(allianceAttendance).where(and(eq(allianceAttendance.tenantId, tenant.id), eq(allianceAttendance.meetingId, id)));
    const known = [...attendance].filter(([userId]) => memberIds.includes(userId));
    if (known.length > 0) await tx.insert(allianceAttendance).values(known.map(([userId, status]) => ({ tenantId: tenant.id, meetingId: id, userId, status })));
  });
}

/**
 * Changes a meeting's title, time, place or agenda (a member of the circle). A change calendars
 * must know of counts the sequence up, so that the downloaded entry replaces the old one.
 */
export async function updateMeeting(platform: Deps, actor: Actor, tenant: TenantRef, id: string, input: MeetingInput): Promise<void> {
  await changeMeeting(platform, actor, tenant, id, "alliance.meeting.updated", async (tx) => {
    const seal = await platform.keyring.sealer(tx, tenant.id);
    const [m] = await tx
      .select()
      .from(allianceMeetings)
      .where(and(eq(allianceMeetings.tenantId, tenant.id), eq(allianceMeetings.id, id)));
    if (m.cancelledAt) throw new AppError("conflict");
    const calendarChanged =
      m.title !== input.title ||
      m.startsAt.getTime() !== input.startsAt.getTime() ||
      m.endsAt.getTime() !== input.endsAt.getTime() ||
      m.place !== input.place ||
      m.link !== input.link;
    await tx
      .update(allianceMeetings)
      .set({
        title: input.title,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        place: input.place,
        link: input.link,
        agenda: input.agenda ? seal(input.agenda, SEALED.agenda) : null,
        sequence: calendarChanged ? m.sequence + 1 : m.sequence,
        updatedAt: platform.clock.now(),
      })
      .where(and(eq(allianceMeetings.tenantId, tenant.id), eq(allianceMeetings.id, id)));
  });
}

/** Calls a meeting off: it stays on record, marked, and its calendar entry becomes a cancellation. */
export async function cancelMeeting(platform: Deps, actor: Actor, tenant: TenantRef, id: string): Promise<void> {
  await changeMeeting(platform, actor, tenant, id, "alliance.meeting.cancelled", async (tx) => {
    await tx
      .update(allianceMeetings)
      .set({ cancelledAt: platform.clock.now(), sequence: sql`${allianceMeetings.sequence} + 1`, updatedAt: platform.clock.now() })
      .where(and(eq(allianceMeetings.tenantId, tenant.id), eq(allianceMeetings.id, id), sql`${allianceMeetings.cancelledAt} is null`));
  });
}

/** Records a decision of the meeting: what, who sees to it (a member), by when. */
export async function addDecision(platform: Deps, actor: Actor, tenant: TenantRef, id: string, input: DecisionInput): Promise<void> {
  await changeMeeting(platform, actor, tenant, id, "alliance.decision.added", async (tx, memberIds) => {
    if (input.ownerId && !memberIds.includes(input.ownerId)) throw new AppError("validation_failed", undefined, { ownerId: "errors.alliance.owner" });
    const seal = await platform.keyring.sealer(tx, tenant.id);
    await tx.insert(allianceDecisions).values({
      tenantId: tenant.id,
      meetingId: id,
      text: seal(input.text, SEALED.decision),
      ownerId: input.ownerId,
      due: input.due,
      createdAt: platform.clock.now(),
    });
  });
}

/** Marks a decision done or open again. */
export async function setDecisionDone(platform: Deps, actor: Actor, tenant: TenantRef, id: string, decisionId: string, done: boolean): Promise<void> {
  checkId(decisionId);
  await changeMeeting(platform, actor, tenant, id, "alliance.decision.status", async (tx) => {
    const changed = await tx
      .update(allianceDecisions)
      .set({ done })
      .where(and(eq(allianceDecisions.tenantId, tenant.id), eq(allianceDecisions.meetingId, id), eq(allianceDecisions.id, decisionId)))
      .returning({ id: allianceDecisions.id });
    if (changed.length === 0) throw new AppError("not_found");
  });
}

/** A change to a meeting by a member of its circle, audited. */
async function changeMeeting(
  platform: Deps,
  actor: Actor,
  tenant: TenantRef,
  id: string,
  action: string,
  change: (tx: Db, memberIds: string[]) => Promise<void>,
): Promise<void> {
  workspacePolicy.authorize(actor, "open", tenant);
  checkId(id);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [m] = await tx
        .select({ circle: allianceMeetings.circle })
        .from(allianceMeetings)
        .where(and(eq(allianceMeetings.tenantId, tenant.id), eq(allianceMeetings.id, id)));
      if (!m) throw new AppError("not_found");
      const memberIds = await authorizeCircle(tx, actor, tenant, m.circle);
      await change(tx, memberIds);
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action, objectType: "alliance_meeting", objectId: id }, now);
    },
    actor.userId,
  );
}
