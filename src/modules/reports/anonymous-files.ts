import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client.ts";
import type { EventHandler } from "../../platform/events/events.ts";
import type { Platform } from "../../platform/platform.ts";
import { SEALED } from "./commands.ts";
import { type ReportReceived, reportReceived } from "./events.ts";
import { caseFileName } from "./evidence.ts";
import { evidenceRows } from "./repository.ts";
import { evidence, reports } from "./schema.ts";

/*
 * An anonymous report keeps no name its reporter gave a file: "Anzeige Max Mustermann.pdf" or a
 * phone's "IMG_Alex_0412.jpg" can name the person who chose not to be named. Each file is called
 * as its download is, by the case, its place in the list and its type ("MUS-2026-0042-1.pdf"):
 * the files of the report once it is stored, a file added through the mailbox as it arrives.
 */

/** The case number of a report, if the report is anonymous (null otherwise). */
export async function anonymousCaseNumber(tx: Db, tenantId: string, reportId: string): Promise<string | null> {
  const [row] = await tx
    .select({ caseNumber: reports.caseNumber })
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), eq(reports.id, reportId), eq(reports.mode, "anonymous")));
  return row?.caseNumber ?? null;
}

/** How many pieces of evidence a report holds (a new one's place is the next). */
export async function evidenceCount(tx: Db, tenantId: string, reportId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(evidence)
    .where(and(eq(evidence.tenantId, tenantId), eq(evidence.reportId, reportId)));
  return Number(row?.n ?? 0);
}

/** On an anonymous report's arrival: its files' uploaded names are replaced (again alike if delivered twice). */
export function forgetFileNamesOfAnonymous(platform: Pick<Platform, "keyring">): EventHandler<ReportReceived> {
  return {
    name: "reports.anonymous-file-names",
    event: reportReceived,
    async handle({ tx, event }) {
      if (event.payload.mode !== "anonymous") return;
      const rows = await evidenceRows(tx, event.tenantId, eq(evidence.reportId, event.payload.reportId));
      for (const [i, row] of rows.entries()) {
        if (row.kind !== "file") continue;
        const meta = JSON.parse(await platform.keyring.openText(tx, event.tenantId, row.meta, SEALED.evidenceMeta)) as Record<string, unknown>;
        meta.name = caseFileName(event.payload.caseNumber, i + 1, row.mediaType);
        const sealed = await platform.keyring.seal(tx, event.tenantId, JSON.stringify(meta), SEALED.evidenceMeta);
        await tx
          .update(evidence)
          .set({ meta: sealed })
          .where(and(eq(evidence.tenantId, event.tenantId), eq(evidence.id, row.id)));
      }
    },
  };
}
