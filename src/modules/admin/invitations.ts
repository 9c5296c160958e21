import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { hashPassword } from "../../platform/auth/passwords.ts";
import { hashToken } from "../../platform/auth/sessions.ts";
import { type Actor, isNationalAdmin, type Role } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { invitations, memberships, users } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import type { CommandResult, TenantRow } from "./commands.ts";
import { peoplePolicy, rolesFor } from "./policy.ts";
import { askForRoles, splitRoles, tellNationalAdmins } from "./role-confirmations.ts";
import type { InvitationInput } from "./schemas.ts";

/*
 * Invitations are always pending until the invited person accepts them through the link in
 * their mail. Nothing is looked up about the address when inviting: the inviter gets the same
 * answer for a new address and for one that has an account anywhere, sees only what they typed,
 * and nobody is added to a municipality without their own consent.
 */

export const INVITATION_TTL_MS = 7 * 24 * 3_600_000;

export type InvitationRow = typeof invitations.$inferSelect;

export interface PendingInvitation {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  createdAt: Date;
  expiresAt: Date;
}

function inviteLink(platform: Platform, tenantSlug: string, token: string): string {
  return `${platform.config.publicUrl}/einladung/${tenantSlug}/${token}`;
}

async function mailInvitation(platform: Platform, tx: Db, tenant: TenantRow, email: string, displayName: string, token: string, t: Translate) {
  return platform.mailer.enqueue(tx, {
    to: email,
    subject: t("mail.invite.subject", { tenant: tenant.name }),
    text: t("mail.invite.body", { tenant: tenant.name, name: displayName, link: inviteLink(platform, tenant.slug, token) }),
  });
}

function checkRoles(tenant: TenantRow, roles: string[], t: Translate): string | null {
  const allowed = rolesFor(tenant.kind);
  return roles.every((r) => (allowed as readonly string[]).includes(r)) ? null : t("errors.roleNotHere");
}

/** Invites a person with roles: a pending invitation and a mail with its link, for any address. */
export async function invitePerson(
  platform: Platform,
  actor: Actor,
  tenant: TenantRow,
  input: InvitationInput,
  t: Translate,
): Promise<CommandResult<{ invitationId: string; expiresAt: Date; asked: Role[] }>> {
  peoplePolicy.authorize(actor, "invite", tenant);
  const roleError = checkRoles(tenant, input.roles, t);
  if (roleError) return { ok: false, errors: { roles: roleError } };
  // Roles that wait for a second person once the invitation is accepted (`role-confirmations.ts`).
  const { asked } = splitRoles(input.roles as Role[], [], isNationalAdmin(actor));
  const now = platform.clock.now();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const outcome = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      // Membership in this municipality is visible to its admins anyway; nothing beyond it is asked.
      const member = await tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.tenantId, tenant.id), eq(users.email, input.email)))
        .limit(1);
      if (member.length > 0) return { ok: false as const, errors: { email: t("errors.alreadyMember") } };
      // A new invitation to the same address replaces an open one.
      await tx
        .update(invitations)
        .set({ revokedAt: now })
        .where(and(eq(invitations.tenantId, tenant.id), eq(invitations.email, input.email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
      const [row] = await tx
        .insert(invitations)
        .values({
          tenantId: tenant.id,
          email: input.email,
          displayName: input.displayName,
          roles: input.roles,
          rolesAsked: asked,
          tokenHash: hashToken(token),
          invitedBy: actor.userId,
          expiresAt,
        })
        .returning({ id: invitations.id });
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "person.invited", objectType: "invitation", objectId: row.id, details: { roles: input.roles } },
        now,
      );
      const mailId = await mailInvitation(platform, tx, tenant, input.email, input.displayName, token, t);
      return { ok: true as const, value: { invitationId: row.id, expiresAt, asked }, mailId };
    },
    actor.userId,
  );
  if (!outcome.ok) return outcome;
  await platform.mailer.dispatch([outcome.mailId]);
  return { ok: true, value: outcome.value };
}

/** Open invitations of a municipality, as the inviters typed them. */
export async function listPendingInvitations(platform: Platform, actor: Actor, tenant: TenantRow): Promise<PendingInvitation[]> {
  peoplePolicy.authorize(actor, "invite", tenant);
  const now = platform.clock.now();
  const rows = await withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      tx
        .select()
        .from(invitations)
        .where(and(eq(invitations.tenantId, tenant.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now)))
        .orderBy(invitations.createdAt),
    actor.userId,
  );
  return rows.map((r) => ({ id: r.id, email: r.email, displayName: r.displayName, roles: r.roles as Role[], createdAt: r.createdAt, expiresAt: r.expiresAt }));
}

async function openInvitation(tx: Db, tenantId: string, id: string): Promise<InvitationRow> {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError("not_found");
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
  if (!row) throw new AppError("not_found");
  return row;
}

/** Sends an open invitation again with a new link (the old one stops working) and a new week. */
export async function resendInvitation(platform: Platform, actor: Actor, tenant: TenantRow, invitationId: string, t: Translate): Promise<PendingInvitation> {
  peoplePolicy.authorize(actor, "invite", tenant);
  const now = platform.clock.now();
  const token = randomBytes(32).toString("base64url");
  const { row, mailId } = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const open = await openInvitation(tx, tenant.id, invitationId);
      const [row] = await tx
        .update(invitations)
        .set({ tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) })
        .where(and(eq(invitations.tenantId, tenant.id), eq(invitations.id, open.id)))
        .returning();
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "person.invitation_resent", objectType: "invitation", objectId: row.id },
        now,
      );
      return { row, mailId: await mailInvitation(platform, tx, tenant, row.email, row.displayName, token, t) };
    },
    actor.userId,
  );
  await platform.mailer.dispatch([mailId]);
  return { id: row.id, email: row.email, displayName: row.displayName, roles: row.roles as Role[], createdAt: row.createdAt, expiresAt: row.expiresAt };
}

/** Withdraws an open invitation: its link stops working at once. */
export async function revokeInvitation(platform: Platform, actor: Actor, tenant: TenantRow, invitationId: string): Promise<void> {
  peoplePolicy.authorize(actor, "invite", tenant);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const open = await openInvitation(tx, tenant.id, invitationId);
      await tx
        .update(invitations)
        .set({ revokedAt: now })
        .where(and(eq(invitations.tenantId, tenant.id), eq(invitations.id, open.id)));
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "person.invitation_revoked", objectType: "invitation", objectId: open.id },
        now,
      );
    },
    actor.userId,
  );
}

export type InvitationForLink =
  | { state: "invalid" }
  /** No usable account for the address yet: the person makes one. */
  | { state: "new_account"; invitation: InvitationRow }
  /** The address has an account: the person signs in as it and accepts. */
  | { state: "existing_account"; invitation: InvitationRow; userId: string };

/** What the holder of an invitation link may do with it. */
export async function invitationForLink(platform: Platform, tenantId: string, token: string): Promise<InvitationForLink> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { state: "invalid" };
  const now = platform.clock.now();
  return withTenant(platform.db, tenantId, async (tx) => {
    const [invitation] = await tx
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.tenantId, tenantId),
          eq(invitations.tokenHash, hashToken(token)),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, now),
        ),
      );
    if (!invitation) return { state: "invalid" as const };
    const [user] = await tx.select({ id: users.id, status: users.status }).from(users).where(eq(users.email, invitation.email));
    if (user?.status === "disabled") return { state: "invalid" as const };
    if (user?.status === "active") return { state: "existing_account" as const, invitation, userId: user.id };
    return { state: "new_account" as const, invitation };
  });
}

/** Marks the invitation as used, once: a second use of the same link finds nothing. */
async function claim(tx: Db, invitation: InvitationRow, userId: string, now: Date): Promise<boolean> {
  const done = await tx
    .update(invitations)
    .set({ acceptedAt: now, acceptedBy: userId })
    .where(and(eq(invitations.tenantId, invitation.tenantId), eq(invitations.id, invitation.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
    .returning({ id: invitations.id });
  return done.length > 0;
}

/** The roles of the invitation are the person's; one that opens every case is asked for, as the inviter would have in the person's roles. */
async function join(platform: Platform, tx: Db, invitation: InvitationRow, person: { id: string; displayName: string }, now: Date): Promise<Joined> {
  const userId = person.id;
  const held = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, invitation.tenantId), eq(memberships.userId, userId)));
  const roles = invitation.roles as Role[];
  const asked = (invitation.rolesAsked as Role[]).filter((r) => roles.includes(r) && !held.some((h) => h.role === r));
  const fresh = roles.filter((r) => !held.some((h) => h.role === r) && !asked.includes(r));
  if (fresh.length > 0) await tx.insert(memberships).values(fresh.map((role) => ({ tenantId: invitation.tenantId, userId, role })));
  await appendAudit(
    tx,
    {
      tenantId: invitation.tenantId,
      actorId: userId,
      action: "person.joined",
      objectType: "invitation",
      objectId: invitation.id,
      details: { roles: invitation.roles },
    },
    now,
  );
  const told = await askForRoles(platform, tx, invitation.tenantId, person, asked, roles, invitation.invitedBy ?? userId);
  return { asked, fresh: told.asked, mails: told.mails, nobodyHere: told.nobodyHere };
}

/** What joining left to do after commit: mails to send, national admins to tell; and the roles that wait for a second person. */
interface Joined {
  asked: Role[];
  /** Of them, those asked for now (not before). */
  fresh: Role[];
  mails: string[];
  nobodyHere: boolean;
}

async function afterJoining(platform: Platform, tenantId: string, person: { displayName: string }, joined: Joined): Promise<{ asked: Role[] }> {
  await platform.mailer.dispatch(joined.mails);
  if (joined.nobodyHere) await tellNationalAdmins(platform, tenantId, person, joined.fresh);
  return { asked: joined.asked };
}

/** A person with an account accepts: the roles are theirs from now on (one that opens every case once confirmed). False: the link was used. */
export async function acceptInvitation(platform: Platform, invitation: InvitationRow, userId: string): Promise<false | { asked: Role[] }> {
  const now = platform.clock.now();
  const joined = await withTenant(
    platform.db,
    invitation.tenantId,
    async (tx) => {
      if (!(await claim(tx, invitation, userId, now))) return null;
      const [user] = await tx.select({ displayName: users.displayName }).from(users).where(eq(users.id, userId));
      const person = { id: userId, displayName: user?.displayName ?? invitation.displayName };
      return { person, joined: await join(platform, tx, invitation, person, now) };
    },
    userId,
  );
  return joined ? afterJoining(platform, invitation.tenantId, joined.person, joined.joined) : false;
}

/** A person without an account accepts by choosing their name and password. */
export async function acceptWithNewAccount(
  platform: Platform,
  invitation: InvitationRow,
  input: { displayName: string; password: string },
): Promise<false | { asked: Role[] }> {
  const now = platform.clock.now();
  const passwordHash = await hashPassword(input.password);
  const joined = await withTenant(platform.db, invitation.tenantId, async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.email, invitation.email));
    if (existing && existing.status !== "invited") return null;
    const [user] = existing
      ? await tx.update(users).set({ displayName: input.displayName, passwordHash, status: "active" }).where(eq(users.id, existing.id)).returning()
      : await tx.insert(users).values({ email: invitation.email, displayName: input.displayName, passwordHash, status: "active" }).returning();
    if (!(await claim(tx, invitation, user.id, now))) return null;
    const person = { id: user.id, displayName: input.displayName };
    return { person, joined: await join(platform, tx, invitation, person, now) };
  });
  return joined ? afterJoining(platform, invitation.tenantId, joined.person, joined.joined) : false;
}
