import { and, eq, isNull } from "drizzle-orm";
import { withTenant } from "../../platform/db/client.ts";
import { notifications } from "../../platform/db/schema.ts";
import { one, type Values } from "../../platform/http/form-values.ts";
import { notifyMany, peopleWithRoles } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { BODY, chars, commentsOf, isRoundOpen, line, type RoundComment, type RoundRow, roundIn, SIGNATURE, text } from "./comment-round.ts";
import { municipalityOfLink } from "./links.ts";
import { roundComments, roundGroups, STRATEGY_SECTIONS, type StrategySection, strategyVersions } from "./schema.ts";
import type { StrategyVersion } from "./strategy.ts";

/*
 * A comment round as the invited groups take part in it: through a group's link, without an
 * account, they read the draft with the approved comments and send comments of their own, which
 * are sealed and wait for the municipality's admins.
 */

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface RoundByLink {
  tenantId: string;
  tenantName: string;
  round: RoundRow;
  group: { id: string; name: string };
  draft: StrategyVersion;
  comments: RoundComment[];
}

/** The round behind a group's link, for whoever holds it: the draft, the approved comments, the summary; or null. */
export async function roundByLink(platform: Pick<Platform, "db" | "keyring">, slug: string, token: string): Promise<RoundByLink | null> {
  if (!TOKEN.test(token)) return null;
  const tenant = await municipalityOfLink(platform, slug);
  if (!tenant) return null;
  return withTenant(platform.db, tenant.id, async (tx) => {
    const [group] = await tx
      .select({ id: roundGroups.id, name: roundGroups.name, roundId: roundGroups.roundId })
      .from(roundGroups)
      .where(and(eq(roundGroups.tenantId, tenant.id), eq(roundGroups.tokenHash, platform.keyring.lookupHash("round", token))));
    if (!group) return null;
    const round = await roundIn(tx, tenant.id, group.roundId);
    const [v] = await tx
      .select()
      .from(strategyVersions)
      .where(and(eq(strategyVersions.tenantId, tenant.id), eq(strategyVersions.version, round.version)));
    const draft: StrategyVersion = {
      version: v.version,
      title: v.title,
      sections: Object.fromEntries(STRATEGY_SECTIONS.map((s) => [s, v[s]])) as Record<StrategySection, string>,
      note: v.note,
      savedAt: v.savedAt,
      visibility: v.visibility,
      publishedAt: v.publishedAt,
    };
    return {
      tenantId: tenant.id,
      tenantName: tenant.name,
      round,
      group: { id: group.id, name: group.name },
      draft,
      comments: await commentsOf(platform, tx, tenant.id, round.id, true),
    };
  });
}

/** A comment's part, words (1–3,000 characters) and optional signature (up to 120), or the fields to fix. */
export function readComment(
  values: Values,
  t: (key: string) => string,
): { ok: true; section: StrategySection; body: string; signature: string | null } | { ok: false; errors: Record<string, string> } {
  const section = one(values.section);
  const body = text(one(values.body));
  const signature = line(one(values.signature));
  const errors: Record<string, string> = {};
  if (!(STRATEGY_SECTIONS as readonly string[]).includes(section)) errors.section = t("errors.knowledge.commentSection");
  if (chars(body) < 1 || chars(body) > 3000) errors.body = t("errors.knowledge.commentBody");
  if (chars(signature) > 120) errors.signature = t("errors.knowledge.commentSignature");
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, section: section as StrategySection, body, signature: signature || null };
}

/** Stores a comment for moderation (sealed) and tells the municipality's admins; false when the round has ended. */
export async function addComment(
  platform: Pick<Platform, "db" | "clock" | "keyring" | "mailer" | "config">,
  hit: RoundByLink,
  comment: { section: StrategySection; body: string; signature: string | null },
): Promise<boolean> {
  const now = platform.clock.now();
  return withTenant(platform.db, hit.tenantId, async (tx) => {
    const round = await roundIn(tx, hit.tenantId, hit.round.id);
    if (!isRoundOpen(round, now)) return false;
    await tx.insert(roundComments).values({
      tenantId: hit.tenantId,
      roundId: round.id,
      groupId: hit.group.id,
      section: comment.section,
      body: await platform.keyring.seal(tx, hit.tenantId, comment.body, BODY),
      signature: comment.signature ? await platform.keyring.seal(tx, hit.tenantId, comment.signature, SIGNATURE) : null,
      createdAt: now,
    });
    // One notice per round while its comments wait: an admin who has not read the last one is not told again.
    const link = `/wissen/strategie/runden/${round.id}`;
    const told = new Set(
      (
        await tx
          .select({ userId: notifications.userId })
          .from(notifications)
          .where(
            and(
              eq(notifications.tenantId, hit.tenantId),
              eq(notifications.kind, "knowledge.notify.comment"),
              eq(notifications.link, link),
              isNull(notifications.readAt),
            ),
          )
      ).map((n) => n.userId),
    );
    const admins = (await peopleWithRoles(tx, hit.tenantId, ["municipal_admin"])).filter((id) => !told.has(id));
    await notifyMany(platform, tx, hit.tenantId, [{ userIds: admins, notice: { kind: "knowledge.notify.comment", params: { round: round.title }, link } }], {
      mail: false,
    });
    return true;
  });
}
