import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { withTenant } from "../../platform/db/client.ts";
import { dateFormat } from "../../platform/i18n/formats.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import { PdfWriter } from "../../platform/pdf/pdf.ts";
import type { Platform } from "../../platform/platform.ts";
import { answerLines, mediaTypeLabel, type ReportDetail, readReport } from "../reports/index.ts";
import { type CaseView, openCase } from "./commands.ts";
import type { TenantRef } from "./policy.ts";

/*
 * The evidence dossier: a PDF for the police, the prosecutor or a counselling service with what
 * the office chooses to give — the case's facts always; the person's account, their contact, the
 * evidence list with both checksums and capture times, an excerpt of the case's course, the
 * mailbox's messages each only when ticked. What is not ticked is not read into the document at
 * all. Every dossier is in the audit log with its recipient and parts.
 */

export const DOSSIER_PARTS = ["account", "contact", "evidence", "timeline", "messages"] as const;
export type DossierPart = (typeof DOSSIER_PARTS)[number];
export const DOSSIER_RECIPIENTS = ["police", "prosecutor", "counselling", "other"] as const;

export const dossierInput = z.object({
  recipient: z.enum(DOSSIER_RECIPIENTS, { error: "errors.dossier.recipient" }),
  parts: z.array(z.enum(DOSSIER_PARTS, { error: "errors.invalid" })).max(DOSSIER_PARTS.length),
});
export type DossierInput = z.infer<typeof dossierInput>;

const GREY = "#4a4a4a";

/** Draws the dossier of a case for an officer of its municipality; audited. */
export async function caseDossier(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantRef & { name: string; slug: string },
  number: string,
  input: DossierInput,
  t: Translate,
  lang: string,
): Promise<Buffer> {
  const kase = await openCase(platform, actor, tenant, number);
  const report = await readReport(platform, actor, tenant, kase.number);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "case.dossier_created",
          objectType: "case",
          objectId: kase.id,
          details: { number: kase.number, recipient: input.recipient, parts: input.parts },
        },
        now,
      ),
    actor.userId,
  );
  return draw(kase, report, input, tenant.name, t, lang, now);
}

function draw(kase: CaseView, report: ReportDetail, input: DossierInput, municipality: string, t: Translate, lang: string, now: Date): Promise<Buffer> {
  const when = dateFormat(lang, { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Berlin" });
  const day = (iso: string) => dateFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
  const has = (part: DossierPart) => input.parts.includes(part);
  const title = t("cases.dossier.pdfTitle", { caseNumber: kase.number });
  const pdf = new PdfWriter({ title, lang, direction: "ltr" });
  const heading = (text: string) => {
    pdf.ensureRoom(60);
    pdf.paragraph(text, { size: 13, bold: true, after: 4 }, "H2");
  };
  // A question as label ("Ist jemand in Gefahr?") takes no colon after it.
  const line = (label: string, value: string) => pdf.paragraph(`${label}${/[?:]$/.test(label) ? "" : ":"} ${value}`, { size: 10, after: 2 });

  pdf.paragraph(title, { size: 17, bold: true, after: 2 }, "H1");
  pdf.paragraph(t("cases.dossier.madeFor", { date: when.format(now), recipient: t(`cases.dossier.recipients.${input.recipient}`), municipality }), {
    size: 10,
    color: GREY,
    after: 2,
  });
  pdf.paragraph(t("cases.dossier.confidential"), { size: 10, bold: true, after: 10 });

  heading(t("cases.dossier.facts"));
  line(t("office.received"), when.format(report.createdAt));
  line(t("office.channel"), t(`office.channels.${report.channel}`));
  line(t("office.mode"), t(`office.modes.${report.mode}`));
  if (kase.forms.length > 0) line(t("cases.risk.form"), kase.forms.map((f) => t(`reports.options.forms.${f}`)).join(", "));
  if (kase.motives.length > 0) line(t("cases.dossier.motives"), kase.motives.map((m) => t(`reports.options.motives.${m}`)).join(", "));
  if (kase.riskLevel !== null) line(t("cases.dossier.level"), String(kase.riskLevel));
  if (report.immediateDanger) line(t("cases.dossier.danger"), t("cases.dossier.yes"));

  if (has("account")) {
    heading(t("cases.dossier.parts.account"));
    for (const a of answerLines(t, report.content, { contact: false, lang })) line(a.label, a.value);
  }
  if (has("contact")) {
    heading(t("cases.dossier.parts.contact"));
    const contact = report.contact ? answerLines(t, report.contact, { contact: true, lang }) : [];
    if (contact.length === 0) pdf.paragraph(t("cases.dossier.noContact"), { size: 10, after: 2 });
    for (const c of contact) line(c.label, c.value);
  }
  if (has("evidence")) {
    heading(t("cases.dossier.parts.evidence"));
    if (report.evidence.length === 0) pdf.paragraph(t("reports.evidence.none"), { size: 10, after: 2 });
    const list = pdf.group("L");
    report.evidence.forEach((e, i) => {
      const lines = [
        `${i + 1}. ${e.name}${e.mediaType ? ` (${mediaTypeLabel(t, e.mediaType)})` : ""}`,
        `${t(e.kind === "file" ? "office.sha256Received" : "office.sha256")}: ${e.sha256}`,
        ...(e.kind === "file"
          ? [
              `${t("cases.dossier.sha256Stored")}: ${e.storedSha256 ?? e.sha256}`,
              t(e.metadataRemoved ? "cases.dossier.metadataRemoved" : "cases.dossier.metadataKept"),
            ]
          : []),
        // A file's time is when it reached the platform; a link's, when its content was captured.
        ...(e.capturedAt
          ? [
              `${t(e.kind === "file" ? "cases.dossier.receivedAt" : "cases.dossier.capturedAt")}: ${when.format(e.capturedAt)}${e.capturedBy ? ` (${e.capturedBy})` : ""}`,
            ]
          : []),
        ...(e.custody ? [`${t("office.addEvidence.custody", { name: e.custody.addedBy, date: when.format(e.custody.at) })}: ${e.custody.source}`] : []),
      ];
      pdf.ensureRoom(14 * lines.length);
      pdf.paragraph(lines.join("\n"), { size: 9, after: 6 }, "LI", list);
    });
  }
  if (has("timeline")) {
    heading(t("cases.dossier.parts.timeline"));
    const events: { at: number; text: string }[] = [
      ...kase.assessments.map((a) => ({
        at: a.assessedAt.getTime(),
        text: `${when.format(a.assessedAt)} – ${t("cases.dossier.assessed", { level: a.level })}`,
      })),
      ...report.questions
        .filter((q) => q.answer !== null && q.answeredAt)
        .map((q) => ({
          at: (q.answeredAt as Date).getTime(),
          text: `${when.format(q.answeredAt as Date)} – ${t(`office.questions.topics.${q.topic}`)}: ${t(`office.questions.answers.${q.answer}`)} (${t(`office.questions.channels.${q.channel}`)})${
            q.revokedAt ? ` – ${t("cases.dossier.revoked", { date: when.format(q.revokedAt) })}` : ""
          }`,
        })),
    ];
    events.sort((a, b) => a.at - b.at);
    for (const e of events) pdf.paragraph(e.text, { size: 10, after: 2 });
    for (const task of kase.tasks) {
      const due = task.dueOn ? `, ${t("cases.dossier.due", { date: day(task.dueOn) })}` : "";
      pdf.paragraph(`${t(`cases.measures.catalog.${task.measure}`)}: ${t(`cases.tasks.statuses.${task.status}`)}${due}`, { size: 10, after: 2 });
    }
    for (const r of kase.referrals) {
      pdf.paragraph(`${t("cases.dossier.referral", { partner: r.partnerName ?? "–" })}: ${t(`cases.referrals.statuses.${r.status}`)}`, { size: 10, after: 2 });
    }
  }
  if (has("messages")) {
    heading(t("cases.dossier.parts.messages"));
    if (report.messages.length === 0) pdf.paragraph(t("reports.mailbox.noMessages"), { size: 10, after: 2 });
    for (const m of report.messages) {
      pdf.paragraph(`${m.author === "office" ? t("reports.mailbox.fromOffice") : t("office.reporter")} · ${when.format(m.createdAt)}`, {
        size: 9,
        bold: true,
        after: 1,
      });
      pdf.paragraph(m.body, { size: 10, after: 6 });
    }
  }
  return pdf.finish();
}
