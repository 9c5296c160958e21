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
import type { EvidenceItem, TenantInfo } from "./commands.ts";
import { intentValue, offeredIntents } from "./intents.ts";
import { EmergencyAlert, EvidenceList } from "./page-parts.ts";
import {
  AFFECTED_FUNCTIONS,
  CONTACT_BY,
  EFFECTS,
  FORMS,
  type FormValues,
  MODES,
  MOTIVES,
  PERPETRATOR_KNOWN,
  PLACES,
  REPORTER_ROLES,
  STEPS,
  type StepName,
  WISHES,
  YES_NO,
} from "./schemas.ts";
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

function options<T extends readonly string[]>(ctx: ViewContext, values: T, group: string) {
  return values.map((v) => ({ value: v, label: ctx.t(`reports.options.${group}.${v}`) }));
}

/**
 * The choices of an optional question, "no answer" first and chosen until the person picks
 * another: text browsers tick the first radio button of a group by themselves, and that must
 * never put words in the reporter's mouth.
 */
function optional(ctx: ViewContext, choices: { value: string; label: string }[]) {
  return [{ value: "", label: ctx.t("reports.noAnswer") }, ...choices];
}

export function stepBody(ctx: ViewContext, step: StepName, v: FormValues, e: FieldErrors): VNode {
  const { t } = ctx;
  switch (step) {
    case "danger":
      // "No" first: a browser that ticks the first choice by itself (text browsers do) must
      // never report danger that nobody declared.
      return html`<${RadioGroup} name="immediateDanger" legend=${t("reports.danger.legend")} hint=${t("reports.danger.hint")} error=${e.immediateDanger} large
        options=${options(ctx, ["no", "yes"] as const, "yesNo")} value=${str(v.immediateDanger)} />`;
    case "mode":
      return html`<${RadioGroup} name="mode" legend=${t("reports.mode.legend")} error=${e.mode} large value=${str(v.mode)}
          options=${MODES.map((m) => ({ value: m, label: t(`reports.mode.${m}`), hint: t(`reports.mode.${m}Hint`) }))} />
        <${RadioGroup} name="reporterRole" legend=${t("reports.mode.reporterRole")} error=${e.reporterRole} value=${str(v.reporterRole)}
          options=${optional(
            ctx,
            REPORTER_ROLES.map((r) => ({ value: r, label: t(`reports.mode.roles.${r}`) })),
          )} />
        <fieldset class="kern-fieldset">
          <legend class="kern-label kern-label--large">${t("reports.mode.contactTitle")}</legend>
          <div class="kern-hint">${t("reports.mode.contactHint")}</div>
          <div class="kern-fieldset__body">
            <${TextField} name="contactName" label=${t("reports.mode.contactName")} value=${str(v.contactName)} error=${e.contactName} autocomplete="name" />
            <${TextField} name="contactEmail" type="email" label=${t("reports.mode.contactEmail")} value=${str(v.contactEmail)} error=${e.contactEmail} autocomplete="email" spellcheck=${false} />
            <${TextField} name="contactPhone" type="tel" label=${t("reports.mode.contactPhone")} value=${str(v.contactPhone)} error=${e.contactPhone} autocomplete="tel" dir="ltr" />
          </div>
        </fieldset>
        <${CheckboxGroup} name="mailbox" legend=${t("reports.mode.mailboxTitle")} hint=${t("reports.mode.mailboxHint")} error=${e.mailbox}
          options=${[{ value: "yes", label: t("reports.mode.mailbox") }]} values=${arr(v.mailbox)} />`;
    case "incident":
      return html`<${TextArea} name="description" label=${t("reports.incident.description")} hint=${t("reports.incident.descriptionHint")} value=${str(v.description)} error=${e.description} rows=${8} required />
        <${CheckboxGroup} name="forms" legend=${t("reports.incident.forms")} error=${e.forms} options=${options(ctx, FORMS, "forms")} values=${arr(v.forms)} />
        <${CheckboxGroup} name="motives" legend=${t("reports.incident.motives")} error=${e.motives} options=${options(ctx, MOTIVES, "motives")} values=${arr(v.motives)} />
        <${TextField} name="occurredOn" type="date" label=${t("reports.incident.occurredOn")} hint=${t("reports.incident.dateHint")} value=${str(v.occurredOn)} error=${e.occurredOn} dir="ltr" />
        <${TextField} name="knownOn" type="date" label=${t("reports.incident.knownOn")} hint=${t("reports.incident.knownOnHint")} value=${str(v.knownOn)} error=${e.knownOn} dir="ltr" />
        <${TextField} name="knownBy" label=${t("reports.incident.knownBy")} hint=${t("reports.incident.knownByHint")} value=${str(v.knownBy)} error=${e.knownBy} />
        <${SelectField} name="place" label=${t("reports.incident.place")} value=${str(v.place)} error=${e.place}
          options=${[{ value: "", label: t("form.choose") }, ...options(ctx, PLACES, "places")]} />
        <${TextField} name="placeDetail" label=${t("reports.incident.placeDetail")} value=${str(v.placeDetail)} error=${e.placeDetail} />
        <${TextField} name="onlineUrl" type="url" label=${t("reports.incident.onlineUrl")} value=${str(v.onlineUrl)} error=${e.onlineUrl} spellcheck=${false} dir="ltr" />`;
    case "people":
      return html`<${RadioGroup} name="affectedFunction" legend=${t("reports.people.affectedFunction")} error=${e.affectedFunction} value=${str(v.affectedFunction)}
          options=${optional(ctx, options(ctx, AFFECTED_FUNCTIONS, "functions"))} />
        <${RadioGroup} name="publicContact" legend=${t("reports.people.publicContact")} error=${e.publicContact} value=${str(v.publicContact)} options=${optional(ctx, options(ctx, YES_NO, "yesNo"))} />
        <${RadioGroup} name="perpetratorKnown" legend=${t("reports.people.perpetratorKnown")} error=${e.perpetratorKnown} value=${str(v.perpetratorKnown)}
          options=${optional(ctx, options(ctx, PERPETRATOR_KNOWN, "perpetratorKnown"))} />
        <${TextField} name="perpetratorName" label=${t("reports.people.perpetratorName")} value=${str(v.perpetratorName)} error=${e.perpetratorName} />
        <${TextField} name="perpetratorProfileUrl" type="url" label=${t("reports.people.perpetratorProfileUrl")} value=${str(v.perpetratorProfileUrl)} error=${e.perpetratorProfileUrl} spellcheck=${false} dir="ltr" />
        <${TextArea} name="earlierIncidents" label=${t("reports.people.earlierIncidents")} value=${str(v.earlierIncidents)} error=${e.earlierIncidents} rows=${3} />
        <${TextArea} name="witnesses" label=${t("reports.people.witnesses")} value=${str(v.witnesses)} error=${e.witnesses} rows=${3} />`;
    case "effects":
      return html`<${CheckboxGroup} name="effects" legend=${t("reports.effects.effects")} error=${e.effects} options=${options(ctx, EFFECTS, "effects")} values=${arr(v.effects)} />
        <${TextArea} name="effectsDetail" label=${t("reports.effects.effectsDetail")} value=${str(v.effectsDetail)} error=${e.effectsDetail} rows=${3} />
        <${TextField} name="policeCaseNumber" label=${t("reports.effects.policeCaseNumber")} value=${str(v.policeCaseNumber)} error=${e.policeCaseNumber} dir="ltr" />
        <${RadioGroup} name="platformReported" legend=${t("reports.effects.platformReported")} error=${e.platformReported} value=${str(v.platformReported)} options=${optional(ctx, options(ctx, YES_NO, "yesNo"))} />
        <${TextArea} name="stepsTaken" label=${t("reports.effects.stepsTaken")} value=${str(v.stepsTaken)} error=${e.stepsTaken} rows=${3} />
        <${CheckboxGroup} name="wishes" legend=${t("reports.effects.wishes")} error=${e.wishes} options=${options(ctx, WISHES, "wishes")} values=${arr(v.wishes)} />
        <${RadioGroup} name="contactBy" legend=${t("reports.effects.contactBy")} error=${e.contactBy} value=${str(v.contactBy)} options=${optional(ctx, options(ctx, CONTACT_BY, "contactBy"))} />`;
    default:
      return html``;
  }
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
    ${showEmergency ? html`<${EmergencyAlert} ctx=${ctx} />` : step === "danger" && html`<${EmergencyAlert} ctx=${ctx} urgent=${false} />`}
    <${Progress} ctx=${ctx} step=${step} />
    <${ErrorSummary} t=${t} errors=${errors} />
    <form method="post" action=${flowPath(tenant, token, step, ctx.lang)} novalidate class="komma-form komma-report-form">
      <${CsrfField} ctx=${ctx} />
      <h1 class="kern-heading-large">${t(`reports.steps.${step}`)}</h1>
      ${stepBody(ctx, step, values, errors)}
      <${StepButtons} ctx=${ctx} step=${step} />
      <${LanguageButtons} ctx=${ctx} />
    </form>
  <//>`;
}

export function EvidencePage({
  ctx,
  tenant,
  token,
  items,
  values,
  errors,
  notice,
}: {
  ctx: ViewContext;
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
  tenant,
  token,
  values,
  evidence,
  errors,
}: {
  ctx: ViewContext;
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
    <form method="post" action=${flowPath(tenant, token, "absenden", ctx.lang)} class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${SubmitButton} label=${t("reports.review.submit")} />
    </form>
    <form method="post" action=${link("review")} class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${LanguageButtons} ctx=${ctx} />
    </form>
  <//>`;
}
