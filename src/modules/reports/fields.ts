/*
 * Every question of the report form, defined once. The step schemas and the intake schema
 * (schemas.ts), the form controls of each step (views.ts), the summary before sending and the
 * clearing office's case page (summary.ts) are all derived from this list, in its order.
 *
 * Texts live in the locale files under keys derived from an entry:
 *   label           reports.<step>.<key>
 *   hint            reports.<step>.<key>Hint                (when `hint` is set)
 *   option          reports.options.<options>.<value>
 *   option hint     reports.options.<options>.<value>Hint   (when `optionHints` is set)
 *   fieldset        reports.<step>.<group>Title / <group>Hint (when `group` is set)
 * tests/integration/i18n-keys.test.ts checks that each of them exists in all six languages.
 *
 * Two parts of the form are not fields and stay special: the evidence step (files and links go
 * straight into the evidence store, not into the answers) and the language choice (a button,
 * not an answer).
 */

import { INCIDENT_FORMS, PERCEIVED_MOTIVES } from "../../platform/vocabulary.ts";

/** The steps that ask questions, in order; evidence and review follow them. */
export const FORM_STEPS = ["danger", "mode", "incident", "people", "effects"] as const;
export type FormStep = (typeof FORM_STEPS)[number];
export const isFormStep = (step: string): step is FormStep => (FORM_STEPS as readonly string[]).includes(step);

export const MODES = ["named", "confidential", "anonymous"] as const;
export const REPORTER_ROLES = ["affected", "witness", "colleague", "manager"] as const;
export const AFFECTED_FUNCTIONS = ["office_holder", "elected_member", "staff"] as const;
export const PLACES = ["town_hall", "meeting", "field_work", "private_home", "phone", "letter", "email", "online", "other"] as const;
/** The forms an incident takes: a vocabulary the platform keeps for every module. */
export const FORMS = INCIDENT_FORMS;
/** The perceived motives: a vocabulary the platform keeps for every module. */
export const MOTIVES = PERCEIVED_MOTIVES;
export const EFFECTS = ["physical", "psychological", "unable_to_work"] as const;
export const WISHES = ["contact_office", "counselling", "police", "information_only"] as const;
export const CONTACT_BY = ["clearing_office", "counselling_service", "superior", "no_preference"] as const;
export const YES_NO = ["yes", "no"] as const;
export const PERPETRATOR_KNOWN = ["known", "unknown"] as const;

type Options = readonly [string, ...string[]];

interface Common {
  step: FormStep;
  /** A hint under the label (`reports.<step>.<key>Hint`). */
  hint?: boolean;
  /** The i18n key of the message when the field is left empty; without it the field is optional. */
  required?: string;
  /** Contact data: sealed apart from the report's content, never kept for an anonymous report. */
  contact?: boolean;
  /** Left out of an anonymous reporter's summary and the office's view of an anonymous report. */
  hiddenWhenAnonymous?: boolean;
  /** Shown together with the neighbouring fields of the same group in one fieldset. */
  group?: "contact";
  /** What the field means, for the API document. */
  description?: string;
  /** Presentation of a text input. */
  autocomplete?: string;
  dir?: "ltr";
}

/** The kinds of question, each with one zod schema (schemas.ts) and one control (views.ts). */
export type FieldSpec = Common &
  (
    | { kind: "text"; max: number }
    | { kind: "textarea"; max: number; rows: number; min?: number }
    | { kind: "email" }
    | { kind: "phone" }
    | { kind: "url" }
    | { kind: "date" }
    /** One of the options: radio buttons (an optional one starts at "no answer") or a select. */
    | { kind: "choice"; options: Options; labels: string; control: "radio" | "select"; large?: boolean; optionHints?: boolean }
    /** Any of the options, as checkboxes. */
    | { kind: "multi"; options: Options; labels: string }
    /** A single box to tick; its value is "yes" (label `reports.options.<labels>.yes`). */
    | { kind: "optIn"; labels: string }
  );

export const FIELDS = {
  // "No" first: a browser that ticks the first choice by itself (text browsers do) must never
  // report danger that nobody declared. Required in the form only: the API may leave it open.
  immediateDanger: {
    step: "danger",
    kind: "choice",
    options: ["no", "yes"],
    labels: "yesNo",
    control: "radio",
    large: true,
    hint: true,
    required: "errors.report.dangerRequired",
  },

  mode: {
    step: "mode",
    kind: "choice",
    options: MODES,
    labels: "mode",
    control: "radio",
    large: true,
    optionHints: true,
    required: "errors.report.modeRequired",
  },
  reporterRole: { step: "mode", kind: "choice", options: REPORTER_ROLES, labels: "roles", control: "radio" },
  contactName: { step: "mode", kind: "text", max: 200, contact: true, group: "contact", autocomplete: "name" },
  contactEmail: { step: "mode", kind: "email", contact: true, group: "contact", autocomplete: "email" },
  contactPhone: { step: "mode", kind: "phone", contact: true, group: "contact", autocomplete: "tel" },
  mailbox: {
    step: "mode",
    kind: "optIn",
    labels: "mailbox",
    hint: true,
    // Anonymous reporters always get the mailbox; asking them is moot.
    hiddenWhenAnonymous: true,
    description: '"yes": a receipt code and mailbox for a named or confidential report too; anonymous reports always get one',
  },

  description: {
    step: "incident",
    kind: "textarea",
    min: 10,
    max: 20_000,
    rows: 8,
    hint: true,
    required: "errors.report.descriptionRequired",
    description: "What happened, in the reporter's words",
  },
  forms: { step: "incident", kind: "multi", options: FORMS, labels: "forms" },
  motives: { step: "incident", kind: "multi", options: MOTIVES, labels: "motives" },
  occurredOn: { step: "incident", kind: "date", hint: true },
  knownOn: { step: "incident", kind: "date", hint: true },
  knownBy: { step: "incident", kind: "text", max: 300, hint: true },
  place: { step: "incident", kind: "choice", options: PLACES, labels: "places", control: "select" },
  placeDetail: { step: "incident", kind: "text", max: 300 },
  onlineUrl: { step: "incident", kind: "url" },

  affectedFunction: { step: "people", kind: "choice", options: AFFECTED_FUNCTIONS, labels: "functions", control: "radio" },
  publicContact: { step: "people", kind: "choice", options: YES_NO, labels: "yesNo", control: "radio" },
  perpetratorKnown: { step: "people", kind: "choice", options: PERPETRATOR_KNOWN, labels: "perpetratorKnown", control: "radio" },
  perpetratorName: { step: "people", kind: "text", max: 300 },
  perpetratorProfileUrl: { step: "people", kind: "url" },
  earlierIncidents: { step: "people", kind: "textarea", max: 5000, rows: 3 },
  witnesses: { step: "people", kind: "textarea", max: 2000, rows: 3 },

  effects: { step: "effects", kind: "multi", options: EFFECTS, labels: "effects" },
  effectsDetail: { step: "effects", kind: "textarea", max: 5000, rows: 3 },
  policeCaseNumber: { step: "effects", kind: "text", max: 100, dir: "ltr" },
  platformReported: { step: "effects", kind: "choice", options: YES_NO, labels: "yesNo", control: "radio" },
  stepsTaken: { step: "effects", kind: "textarea", max: 3000, rows: 3 },
  wishes: { step: "effects", kind: "multi", options: WISHES, labels: "wishes" },
  // Hidden for anonymous reports as it always was (who should get in touch is moot without contact data).
  contactBy: { step: "effects", kind: "choice", options: CONTACT_BY, labels: "contactBy", control: "radio", hiddenWhenAnonymous: true },
} as const satisfies Record<string, FieldSpec>;

export type Fields = typeof FIELDS;
export type FieldKey = keyof Fields;
/** The keys of one step's fields. */
export type StepFieldKey<S extends FormStep> = { [K in FieldKey]: Fields[K]["step"] extends S ? K : never }[FieldKey];

/** The fields of a step, in order, with their keys. */
export function fieldsOf(step: FormStep): { key: FieldKey; field: FieldSpec }[] {
  return (Object.entries(FIELDS) as [FieldKey, FieldSpec][]).filter(([, f]) => f.step === step).map(([key, field]) => ({ key, field }));
}

/** The fields holding contact data, which are sealed apart from the report's content. */
export const CONTACT_FIELDS = (Object.keys(FIELDS) as FieldKey[]).filter((k) => (FIELDS[k] as FieldSpec).contact) as readonly FieldKey[];

/** Whether an anonymous report's summary leaves the field out. */
export function hiddenWhenAnonymous(field: FieldSpec): boolean {
  return !!(field.contact || field.hiddenWhenAnonymous);
}

export const labelKey = (key: FieldKey, field: FieldSpec) => `reports.${field.step}.${key}`;
export const hintKey = (key: FieldKey, field: FieldSpec) => `reports.${field.step}.${key}Hint`;
export const optionKey = (labels: string, value: string) => `reports.options.${labels}.${value}`;
export const optionHintKey = (labels: string, value: string) => `reports.options.${labels}.${value}Hint`;
export const groupKeys = (step: FormStep, group: string) => ({ title: `reports.${step}.${group}Title`, hint: `reports.${step}.${group}Hint` });

/** Every text key the registry derives, so a test can check each language has them all. */
export function fieldTextKeys(): string[] {
  const keys: string[] = [];
  for (const [key, field] of Object.entries(FIELDS) as [FieldKey, FieldSpec][]) {
    keys.push(labelKey(key, field));
    if (field.hint) keys.push(hintKey(key, field));
    if (field.group) keys.push(...Object.values(groupKeys(field.step, field.group)));
    if (field.kind === "choice" || field.kind === "multi") {
      for (const value of field.options) {
        keys.push(optionKey(field.labels, value));
        if (field.kind === "choice" && field.optionHints) keys.push(optionHintKey(field.labels, value));
      }
    }
    if (field.kind === "optIn") keys.push(optionKey(field.labels, "yes"));
    if (field.required) keys.push(field.required);
  }
  return [...new Set(keys)];
}
