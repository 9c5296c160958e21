import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  html,
  Layout,
  PageHeading,
  SelectField,
  SubmitButton,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { DOSSIER_PARTS, DOSSIER_RECIPIENTS } from "./dossier.ts";

/** The choice of what goes into the evidence dossier: its recipient and the parts beyond the case's facts. */
export function DossierPage({
  ctx,
  number,
  values = { recipient: "", parts: ["evidence"] },
  errors = {},
}: {
  ctx: ViewContext;
  number: string;
  values?: { recipient: string; parts: string[] };
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const title = t("cases.dossier.title", { caseNumber: number });
  return html`<${Layout} ctx=${ctx} title=${title}>
    <${PageHeading} title=${title} lead=${t("cases.dossier.lead")} />
    <form method="post" action=${`/faelle/${number}/dossier`} novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${ErrorSummary} t=${t} errors=${errors} />
      <${SelectField} name="recipient" label=${t("cases.dossier.recipient")} value=${values.recipient} error=${errors.recipient}
        options=${[{ value: "", label: t("cases.closure.choose") }, ...DOSSIER_RECIPIENTS.map((r) => ({ value: r, label: t(`cases.dossier.recipients.${r}`) }))]} />
      <${CheckboxGroup} name="parts" legend=${t("cases.dossier.partsLegend")} hint=${t("cases.dossier.partsHint")} values=${values.parts} error=${errors.parts}
        options=${DOSSIER_PARTS.map((p) => ({ value: p, label: t(`cases.dossier.parts.${p}`), hint: t(`cases.dossier.partHints.${p}`) }))} />
      <${SubmitButton} label=${t("cases.dossier.create")} />
    </form>
    <p class="kern-body"><a class="kern-link" href=${`/faelle/${number}`}>${t("cases.dossier.back", { caseNumber: number })}</a></p>
  <//>`;
}
