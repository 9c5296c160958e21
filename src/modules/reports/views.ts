import { LANGUAGE_NAMES, PUBLIC_LANGUAGES } from "../../platform/i18n/i18n.ts";
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  FileField,
  html,
  Layout,
  RadioGroup,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
  type VNode,
} from "../../platform/ui/html.ts";
import type { TenantInfo } from "./commands.ts";
import type { EvidenceItem } from "./evidence-commands.ts";
import {
  type FieldKey,
  type FieldSpec,
  type FormStep,
  fieldsOf,
  groupKeys,
  hiddenWhenAnonymous,
  hintKey,
  isFormStep,
  labelKey,
  optionHintKey,
  optionKey,
} from "./fields.ts";
import { intentValue, offeredIntents } from "./intents.ts";
import { EmergencyAlert, EmergencyLine, EvidenceList } from "./page-parts.ts";
import { type FormValues, STEPS, type StepName } from "./schemas.ts";
import { SummaryList } from "./summary.ts";

export const STEP_SLUGS: Record<StepName, string> = {
  danger: "gefahr",
  mode: "art",
  incident: "vorfall",
  people: "personen",
  effects: "folgen",
  evidence: "beweise",
  review: "pruefen",
};

const str = (v: FormValues[string]) => (Array.isArray(v) ? v[0] : v) ?? "";
const arr = (v: FormValues[string]) => (Array.isArray(v) ? v : v ? [v] : []);

/**
 * The address of a page of the flow. The language travels along, so that a page outside the
 * flow (an expired draft, a page not found) still speaks it.
 */
export function flowPath(tenant: { slug: string }, token: string, step: StepName | "absenden", lang: string): string {
  return `/${tenant.slug}/melden/${token}/${step === "absenden" ? step : STEP_SLUGS[step]}?sprache=${lang}`;
}

/** Every language's own word for "language": whoever cannot read this page finds theirs. */
const LANGUAGE_WORDS = "Sprache · Language · Dil · اللغة · Мова · Язык";

/** A link at the top of a step to the language choice at its end. */
function LanguageJump() {
  return html`<p class="komma-lang-jump"><a class="kern-link" href="#sprache"><span class="kern-icon kern-icon--language" aria-hidden="true"></span> <bdi>${LANGUAGE_WORDS}</bdi></a></p>`;
}

/**
 * The language choice of a step: buttons at the end of the step's form, so what was typed is
 * kept. At the end, not the start: the first submit button of a form is what Enter presses,
 * and that must be "Continue"; keyboard users reach the questions first.
 */
function LanguageButtons({ ctx }: { ctx: ViewContext }) {
  return html`<fieldset class="kern-fieldset komma-lang-choice" id="sprache">
    <legend class="kern-label"><bdi>${LANGUAGE_WORDS}</bdi></legend>
    <div class="komma-langs__buttons">
      ${PUBLIC_LANGUAGES.filter((l) => l !== ctx.lang).map(
        (l) =>
          html`<button type="submit" name="intent" value=${intentValue({ action: "language", arg: l })} lang=${l} class="kern-btn kern-btn--tertiary kern-btn--x-small" formnovalidate><span class="kern-label">${LANGUAGE_NAMES[l]}</span></button>`,
      )}
    </div>
  </fieldset>`;
}

/**
 * Continue, skip the optional steps, back — in this order on screen and for the keyboard, and
 * only those the step offers. Continue comes first: it is what Enter in a text field presses.
 */
function StepButtons({ ctx, step }: { ctx: ViewContext; step: StepName }) {
  const { t } = ctx;
  const offered = offeredIntents(step);
  return html`<div class="kern-btn-wrapper komma-step-buttons">
    <button type="submit" name="intent" value="next" class="kern-btn kern-btn--primary"><span class="kern-label">${t("reports.next")}</span></button>
    ${offered.has("skip") && html`<button type="submit" name="intent" value="skip" class="kern-btn kern-btn--secondary"><span class="kern-label">${t("reports.skip")}</span></button>`}
    ${offered.has("back") && html`<button type="submit" name="intent" value="back" class="kern-btn kern-btn--tertiary" formnovalidate><span class="kern-label">${t("reports.back")}</span></button>`}
  </div>`;
}

function Progress({ ctx, step }: { ctx: ViewContext; step: StepName }) {
  const { t } = ctx;
  const index = STEPS.indexOf(step);
  return html`<nav class="komma-progress" aria-label=${t("reports.progressLabel")}>
    <p class="kern-body kern-body--bold">${t("reports.progress", { current: index + 1, total: STEPS.length })}: ${t(`reports.steps.${step}`)}</p>
    <ol class="komma-progress__list">
      ${STEPS.map((s, i) => html`<li class=${i < index ? "is-done" : i === index ? "is-current" : ""} aria-current=${i === index ? "step" : undefined}>${t(`reports.steps.${s}`)}</li>`)}
    </ol>
  </nav>`;
}

/**
 * The choices of an optional question, "no answer" first and chosen until the person picks
 * another: text browsers tick the first radio button of a group by themselves, and that must
 * never put words in the reporter's mouth.
 */
function optional(ctx: ViewContext, choices: { value: string; label: string }[]) {
  return [{ value: "", label: ctx.t("reports.noAnswer") }, ...choices];
}

/** The control of one field of the registry (fields.ts), by its kind. */
function FieldControl({ ctx, name, field, v, e }: { ctx: ViewContext; name: FieldKey; field: FieldSpec; v: FormValues; e: FieldErrors }) {
  const { t } = ctx;
  const label = t(labelKey(name, field));
  const hint = field.hint ? t(hintKey(name, field)) : undefined;
  const common = { name, label, hint, value: str(v[name]), error: e[name] };
  switch (field.kind) {
    case "text":
      return html`<${TextField} ...${common} autocomplete=${field.autocomplete} dir=${field.dir} />`;
    case "email":
      return html`<${TextField} ...${common} type="email" autocomplete=${field.autocomplete} spellcheck=${false} />`;
    case "phone":
      return html`<${TextField} ...${common} type="tel" autocomplete=${field.autocomplete} dir="ltr" />`;
    case "url":
      return html`<${TextField} ...${common} type="url" spellcheck=${false} dir="ltr" />`;
    case "date":
      return html`<${TextField} ...${common} type="date" dir="ltr" />`;
    case "textarea":
      return html`<${TextArea} ...${common} rows=${field.rows} required=${field.required ? true : undefined} />`;
    case "choice": {
      const choices = field.options.map((o) => ({
        value: o,
        label: t(optionKey(field.labels, o)),
        ...(field.optionHints ? { hint: t(optionHintKey(field.labels, o)) } : {}),
      }));
      if (field.control === "select") {
        return html`<${SelectField} name=${name} label=${label} hint=${hint} value=${common.value} error=${common.error}
          options=${[{ value: "", label: t("form.choose") }, ...choices]} />`;
      }
      return html`<${RadioGroup} name=${name} legend=${label} hint=${hint} error=${common.error} large=${field.large} value=${common.value}
        options=${field.required ? choices : optional(ctx, choices)} />`;
    }
    case "multi":
      return html`<${CheckboxGroup} name=${name} legend=${label} hint=${hint} error=${common.error}
        options=${field.options.map((o) => ({ value: o, label: t(optionKey(field.labels, o)) }))} values=${arr(v[name])} />`;
    case "optIn":
      return html`<${CheckboxGroup} name=${name} legend=${label} hint=${hint} error=${common.error}
        options=${[{ value: "yes", label: t(optionKey(field.labels, "yes")) }]} values=${arr(v[name])} />`;
  }
}

/**
 * The questions of a form step, from the field registry in its order; neighbouring fields of
 * one group (the ways to reach the reporter) share a fieldset with its own legend and hint.
 */
export function stepBody(ctx: ViewContext, step: FormStep, v: FormValues, e: FieldErrors): VNode {
  const { t } = ctx;
  const parts: VNode[] = [];
  // After "anonymous" was chosen, a later step leaves out what only matters with contact data
  // (who should get in touch), as the summary does; the mode's own step shows everything.
  const fields = fieldsOf(step).filter(({ field }) => !(step !== "mode" && v.mode === "anonymous" && hiddenWhenAnonymous(field)));
  for (let i = 0; i < fields.length; ) {
    const { group } = fields[i].field;
    if (!group) {
      const { key, field } = fields[i++];
      parts.push(html`<${FieldControl} ctx=${ctx} name=${key} field=${field} v=${v} e=${e} />`);
      continue;
    }
    const members: VNode[] = [];
    for (; i < fields.length && fields[i].field.group === group; i++) {
      const { key, field } = fields[i];
      members.push(html`<${FieldControl} ctx=${ctx} name=${key} field=${field} v=${v} e=${e} />`);
    }
    const keys = groupKeys(step, group);
    parts.push(html`<fieldset class="kern-fieldset">
          <legend class="kern-label kern-label--large">${t(keys.title)}</legend>
          <div class="kern-hint">${t(keys.hint)}</div>
          <div class="kern-fieldset__body">${members}</div>
        </fieldset>`);
  }
  return html`${parts}`;
}

export interface StepPageProps {
  ctx: ViewContext;
  tenant: TenantInfo;
  token: string;
  step: StepName;
  values: FormValues;
  errors: FieldErrors;
  showEmergency?: boolean;
}

/** One step of the reporting form. Back, forward and language buttons all save the input. */
export function StepPage({ ctx, tenant, token, step, values, errors, showEmergency }: StepPageProps) {
  const { t } = ctx;
  return html`<${Layout} ctx=${{ ...ctx, languageSwitch: null }} title=${`${t(`reports.steps.${step}`)} – ${t("reports.title")}`}>
    <${LanguageJump} />
    ${showEmergency ? html`<${EmergencyAlert} ctx=${ctx} />` : step === "danger" ? html`<${EmergencyAlert} ctx=${ctx} urgent=${false} />` : html`<${EmergencyLine} ctx=${ctx} />`}
    <${Progress} ctx=${ctx} step=${step} />
    <${ErrorSummary} t=${t} errors=${errors} />
    <form method="post" action=${flowPath(tenant, token, step, ctx.lang)} novalidate class="komma-form komma-report-form">
      <${CsrfField} ctx=${ctx} />
      <h1 class="kern-heading-large">${t(`reports.steps.${step}`)}</h1>
      ${isFormStep(step) && stepBody(ctx, step, values, errors)}
      <${StepButtons} ctx=${ctx} step=${step} />
      <${LanguageButtons} ctx=${ctx} />
    </form>
  <//>`;
}

export function EvidencePage({
  ctx,
  showEmergency,
  tenant,
  token,
  items,
  values,
  errors,
  notice,
}: {
  ctx: ViewContext;
  /** Danger was reported: the alert with 110 and 112, else their line. */
  showEmergency?: boolean;
  tenant: TenantInfo;
  token: string;
  items: EvidenceItem[];
  values: FormValues;
  errors: FieldErrors;
  notice?: string;
}) {
  const { t } = ctx;
  const action = flowPath(tenant, token, "evidence", ctx.lang);
  // Every button of this form takes a chosen file and a typed link along: nothing chosen is lost.
  return html`<${Layout} ctx=${{ ...ctx, languageSwitch: null }} title=${`${t("reports.steps.evidence")} – ${t("reports.title")}`}>
    <${LanguageJump} />
    ${showEmergency ? html`<${EmergencyAlert} ctx=${ctx} />` : html`<${EmergencyLine} ctx=${ctx} />`}
    <${Progress} ctx=${ctx} step="evidence" />
    <${ErrorSummary} t=${t} errors=${errors} />
    ${notice && html`<div class="kern-alert kern-alert--success" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--success" aria-hidden="true"></span><p class="kern-title">${notice}</p></div></div>`}
    <form method="post" action=${action} enctype="multipart/form-data" novalidate class="komma-form komma-report-form">
      <${CsrfField} ctx=${ctx} />
      <h1 class="kern-heading-large">${t("reports.steps.evidence")}</h1>
      <p class="kern-body">${t("reports.evidence.lead")}</p>
      <h2 class="kern-heading-small">${t("reports.evidence.list")}</h2>
      <${EvidenceList} ctx=${ctx} items=${items} removeAction=${action} />
      <${FileField} name="file" label=${t("reports.evidence.file")} hint=${t("reports.evidence.fileHint", { mb: ctx.maxFileMb ?? 25 })} error=${errors.file} multiple />
      <button type="submit" name="intent" value="upload" class="kern-btn kern-btn--secondary"><span class="kern-label">${t("reports.evidence.upload")}</span></button>
      <${TextField} name="url" type="url" label=${t("reports.evidence.url")} value=${str(values.url)} error=${errors.url} spellcheck=${false} dir="ltr" />
      <${RadioGroup} name="urlKind" legend=${t("reports.evidence.urlKind")} value=${str(values.urlKind) || "content"} error=${errors.urlKind}
        options=${[{ value: "content", label: t("reports.evidence.urlKinds.content") }, { value: "profile", label: t("reports.evidence.urlKinds.profile") }]} />
      <${TextField} name="capturedAt" type="datetime-local" label=${t("reports.evidence.capturedAt")} hint=${t("reports.evidence.capturedAtHint")} value=${str(values.capturedAt)} error=${errors.capturedAt} dir="ltr" />
      <${TextField} name="capturedBy" label=${t("reports.evidence.capturedBy")} value=${str(values.capturedBy)} error=${errors.capturedBy} />
      <button type="submit" name="intent" value="link" class="kern-btn kern-btn--secondary"><span class="kern-label">${t("reports.evidence.addUrl")}</span></button>
      <p class="kern-hint">${t("reports.evidence.takenAlong")}</p>
      <${StepButtons} ctx=${ctx} step="evidence" />
      <${LanguageButtons} ctx=${ctx} />
    </form>
    <form id="evidence-remove" method="post" action=${action} enctype="multipart/form-data" hidden><${CsrfField} ctx=${ctx} /></form>
  <//>`;
}

export function ReviewPage({
  ctx,
  showEmergency,
  tenant,
  token,
  values,
  evidence,
  errors,
}: {
  ctx: ViewContext;
  /** Danger was reported: the alert with 110 and 112, else their line. */
  showEmergency?: boolean;
  tenant: TenantInfo;
  token: string;
  values: FormValues;
  evidence: EvidenceItem[];
  errors: FieldErrors;
}) {
  const { t } = ctx;
  const link = (step: StepName) => flowPath(tenant, token, step, ctx.lang);
  return html`<${Layout} ctx=${{ ...ctx, languageSwitch: null }} title=${`${t("reports.steps.review")} – ${t("reports.title")}`}>
    <${LanguageJump} />
    ${showEmergency ? html`<${EmergencyAlert} ctx=${ctx} />` : html`<${EmergencyLine} ctx=${ctx} />`}
    <${Progress} ctx=${ctx} step="review" />
    <${ErrorSummary} t=${t} errors=${errors} />
    <h1 class="kern-heading-large">${t("reports.steps.review")}</h1>
    <p class="kern-body">${t("reports.review.lead")}</p>
    <${SummaryList} ctx=${ctx} values=${values} changeLink=${link} hideEmpty />
    <section class="komma-summary-section" aria-labelledby="sum-evidence">
      <div class="komma-summary-head">
        <h2 class="kern-heading-small" id="sum-evidence">${t("reports.steps.evidence")}</h2>
        <a class="kern-link" href=${link("evidence")}>${t("reports.change")}<span class="kern-sr-only">: ${t("reports.steps.evidence")}</span></a>
      </div>
      <${EvidenceList} ctx=${ctx} items=${evidence} />
    </section>
    <form method="post" action=${flowPath(tenant, token, "absenden", ctx.lang)} class="komma-form" data-submit-once>
      <${CsrfField} ctx=${ctx} />
      <${SubmitButton} label=${t("reports.review.submit")} />
    </form>
    <form method="post" action=${link("review")} class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${LanguageButtons} ctx=${ctx} />
    </form>
  <//>`;
}
