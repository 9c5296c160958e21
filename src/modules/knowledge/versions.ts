import { diffWordsWithSpace } from "diff";
import { sql } from "drizzle-orm";
import { type Db, rows } from "../../platform/db/client.ts";

/* A copy and its origin: what the origin changed in its published versions since the copy was taken. */

/** A text's change as parts: unchanged, added or removed words. */
export type TextChange = { value: string; added: boolean; removed: boolean }[];

export interface OriginUpdate {
  fromVersion: number;
  toVersion: number;
  publishedAt: Date;
  title: TextChange | null;
  summary: TextChange | null;
  body: TextChange | null;
}

const change = (before: string, after: string): TextChange | null =>
  before === after ? null : diffWordsWithSpace(before, after).map((c) => ({ value: c.value, added: !!c.added, removed: !!c.removed }));

/** What the origin of a copy changed between the version taken and its latest published one (null: nothing). */
export async function originUpdate(tx: Db, originId: string, taken: number): Promise<OriginUpdate | null> {
  const versions = await rows<{ version: number; title: string; summary: string; body: string; published_at: Date }>(
    tx,
    sql`select version, title, summary, body, published_at from knowledge_versions
         where practice_id = ${originId} and (version = ${taken} or version = (select max(version) from knowledge_versions where practice_id = ${originId}))
         order by version`,
  );
  const [before, after] = versions;
  if (!before || !after || before.version !== taken || after.version <= taken) return null;
  return {
    fromVersion: before.version,
    toVersion: after.version,
    publishedAt: new Date(after.published_at),
    title: change(before.title, after.title),
    summary: change(before.summary, after.summary),
    body: change(before.body, after.body),
  };
}
