import { dateFormat, numberFormat } from "../../platform/i18n/formats.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import { renderFlow } from "../../platform/pdf/flow.ts";
import type { Session } from "./sessions.ts";

/*
 * The certificate of participation: who took part in which format, when, for how long, offered by
 * whom, led by whom — a tagged PDF in the participant's language, laid out off the main thread.
 */

const GREY = "#4b5563";

export function certificatePdf(p: {
  t: Translate;
  lang: string;
  session: Pick<Session, "title" | "startsAt" | "minutes" | "mode" | "tenantName" | "trainerName">;
  summary: string;
  trainerName: string;
  participant: string;
  issuedAt: Date;
}): Promise<Buffer> {
  const { t, lang, session } = p;
  const day = (d: Date) => dateFormat(lang === "en" ? "en-GB" : "de-DE", { dateStyle: "long", timeZone: "Europe/Berlin" }).format(d);
  const hours = Math.round((session.minutes / 60) * 10) / 10;
  const leader = session.trainerName ?? p.trainerName;
  return renderFlow({
    title: t("trainings.certificate.title"),
    lang,
    direction: "ltr",
    blocks: [
      { type: "P", text: session.tenantName, style: { size: 10, color: GREY, after: 30 } },
      { type: "H1", text: t("trainings.certificate.title"), style: { size: 22, bold: true, after: 24 } },
      { type: "P", text: p.participant, style: { size: 16, bold: true, after: 10 } },
      { type: "P", text: t("trainings.certificate.tookPart", { date: day(session.startsAt) }), style: { size: 12, after: 10 } },
      { type: "H2", text: `„${session.title}“`, style: { size: 15, bold: true, after: 10 } },
      {
        type: "P",
        text: t("trainings.certificate.facts", {
          hours: numberFormat(lang === "en" ? "en-GB" : "de-DE").format(hours),
          mode: t(`trainings.mode.${session.mode}`),
        }),
        style: { size: 11, after: 16 },
      },
      { type: "H3", text: t("trainings.certificate.contents"), style: { size: 11, bold: true, after: 4 } },
      { type: "P", text: p.summary, style: { size: 10.5, after: 16 } },
      ...(leader ? [{ type: "P" as const, text: t("trainings.certificate.trainer", { name: leader }), style: { size: 11, after: 6 } }] : []),
      { type: "P", text: t("trainings.certificate.offeredBy", { tenant: session.tenantName }), style: { size: 11, after: 30 } },
      { type: "P", text: t("trainings.certificate.issued", { date: day(p.issuedAt) }), style: { size: 9, color: GREY } },
    ],
  });
}
