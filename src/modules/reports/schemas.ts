import { z } from "zod";
import { berlinInstant } from "../../platform/calendar.ts";
import { CONTROL_CHARACTERS_MESSAGE, singleLine, withoutControlCharacters } from "../../platform/validation.ts";
import { CONTACT_FIELDS, FIELDS, type FieldSpec, type Fields, FORM_STEPS, type FormStep, fieldsOf, type StepFieldKey } from "./fields.ts";

export {
  AFFECTED_FUNCTIONS,
  CONTACT_BY,
  CONTACT_FIELDS,
  EFFECTS,
  FORMS,
  MODES,
  MOTIVES,
  PERPETRATOR_KNOWN,
  PLACES,
  REPORTER_ROLES,
  WISHES,
  YES_NO,
} from "./fields.ts";

/*
 * The intake of a report, shared by the web form (step by step), the clearing office's entry
 * and the API. Only what happened and either a way to reach the person or the anonymous mode
 * are required; everything else helps but may stay empty.
 */

/** Values of a form as they arrive: one text, several (checkboxes), or none. */
export type FormValues = Record<string, string | string[] | undefined>;

export const CHANNELS = ["web", "phone", "email", "letter", "in_person", "api"] as const;
export const OFFICE_CHANNELS = ["phone", "email", "letter", "in_person"] as const;

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "errors.tooLong")
    .refine(withoutControlCharacters, CONTROL_CHARACTERS_MESSAGE)
    .transform((v) => v || undefined)
    .optional();

/*
 * The API documents these schemas as JSON Schema derived from them (see reports/api.ts), so the
 * checks are written with zod's own formats (dates, URLs, patterns) rather than opaque
 * refinements, and the few rules JSON Schema cannot see are described with `.meta()` right here.
 */

/**
 * A list from a form (one value, several, or none) or from JSON. The default is what makes the
 * field optional in the documented input: a transform alone would be described as required.
 */
const many = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(values, "errors.invalid")).max(values.length)).default([]);

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.enum(values, "errors.invalid").optional());

/**
 * A calendar date (YYYY-MM-DD) that exists: 2026-02-30 is refused, and so is a year before 1900
 * or after 2999 (a mistyped "0026" for "2026").
 */
const isoDate = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z.iso
    .date("errors.report.date")
    .regex(/^(19|2\d)\d\d-/, "errors.report.date")
    .optional(),
);

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v);

/** An http(s) address that the WHATWG URL parser accepts. */
const webUrl = z
  .url({ protocol: /^https?$/, error: "errors.report.url" })
  .max(2000, "errors.tooLong")
  .refine(singleLine, CONTROL_CHARACTERS_MESSAGE)
  // zod describes a URL as format "uri", which also admits other schemes and "https:" alone.
  .meta({ pattern: "^https?://[^\\s/?#]", description: "http or https address" });

const httpUrl = z.preprocess(blankToUndefined, webUrl.optional());

const email = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
  z.email("errors.emailInvalid").max(254, "errors.emailInvalid").optional(),
);

const phone = z.preprocess(
  blankToUndefined,
  z
    .string()
    .max(40, "errors.report.phone")
    // Applied to the trimmed value, so first and last character are never a space; saying so
    // in the pattern keeps the documented input from admitting "     ", which trims to nothing.
    .regex(/^[+0-9()/-][+0-9 ()/-]{3,}[+0-9()/-]$/, "errors.report.phone")
    .meta({ description: "Digits, spaces and + ( ) / -, at least 5 characters" })
    .optional(),
);

/** A text the person must write: at least `min` characters once trimmed. */
function requiredText(f: { min?: number; max: number; required: string; description?: string }) {
  const min = f.min ?? 1;
  return (
    z
      .string(f.required)
      .trim()
      .min(min, f.required)
      .max(f.max, "errors.tooLong")
      .refine(withoutControlCharacters, CONTROL_CHARACTERS_MESSAGE)
      // The length counts after trimming; the pattern says so for the documented input.
      .meta({
        pattern: min > 1 ? `\\S[\\s\\S]{${min - 2},}\\S` : "\\S",
        description: `${f.description ?? "Text"} (length counted without leading and trailing spaces)`,
      })
  );
}

/** What a field of each kind holds once validated. */
type Options = readonly [string, ...string[]];
type FieldOutput<F> = F extends { kind: "choice"; options: infer O extends Options }
  ? F extends { required: string }
    ? O[number]
    : O[number] | undefined
  : F extends { kind: "multi"; options: infer O extends Options }
    ? O[number][]
    : F extends { kind: "optIn" }
      ? "yes" | undefined
      : F extends { required: string }
        ? string
        : string | undefined;

/** The zod schema of one field, by its kind (fields.ts). */
function fieldSchema(f: FieldSpec): z.ZodType {
  switch (f.kind) {
    case "text":
    case "textarea":
      return f.required ? requiredText({ ...f, required: f.required }) : text(f.max);
    case "email":
      return email;
    case "phone":
      return phone;
    case "url":
      return httpUrl;
    case "date":
      return isoDate;
    case "choice":
      return f.required ? z.preprocess((v) => (v === "" ? undefined : v), z.enum(f.options, f.required)) : optionalEnum(f.options);
    case "multi":
      return many(f.options);
    case "optIn": {
      const box = z.preprocess((v) => (Array.isArray(v) ? v[0] : v === "" ? undefined : v), z.enum(["yes"], "errors.invalid").optional());
      return f.description ? box.meta({ description: f.description }) : box;
    }
  }
}

type StepShape<S extends FormStep> = { [K in StepFieldKey<S>]: z.ZodType<FieldOutput<Fields[K]>> };

function stepShape<S extends FormStep>(step: S): StepShape<S> {
  return Object.fromEntries(fieldsOf(step).map(({ key, field }) => [key, fieldSchema(field)])) as StepShape<S>;
}

/** The fields of each step of the web form, in order, as zod schemas (from the field registry). */
export const stepFields: { [S in FormStep]: StepShape<S> } = {
  danger: stepShape("danger"),
  mode: stepShape("mode"),
  incident: stepShape("incident"),
  people: stepShape("people"),
  effects: stepShape("effects"),
};

/**
 * A web address as people type it: "social.example/beitrag/42" or "www.example.org" (a host with a
 * dot, no scheme) is taken as https; anything else stays as typed, for the check to accept or
 * refuse. For the forms; the API takes addresses as its document describes them.
 */
export function withScheme(typed: string): string {
  const value = typed.trim();
  if (value.startsWith("//")) return `https:${value}`;
  return /^[^\s/:@]+\.[^\s/:@.]{2,}(?::\d+)?(?:[/?#]\S*)?$/u.test(value) ? `https://${value}` : value;
}

/** A step's fields from a form's values, its addresses completed (`withScheme`). */
export function stepInput(step: FormStep, values: FormValues): Record<string, unknown> {
  return Object.fromEntries(
    fieldsOf(step).map(({ key, field }) => {
      const value = values[key];
      return [key, field.kind === "url" && typeof value === "string" ? withScheme(value) : value];
    }),
  );
}

export type StepName = FormStep | "evidence" | "review";
export const STEPS: StepName[] = [...FORM_STEPS, "evidence", "review"];

/* Rules across fields of a step: the registry describes single fields, these relate two. */

/**
 * A named or confidential report needs a way to reach the person; an anonymous one keeps none,
 * so contact data typed beside "anonymous" is refused rather than dropped unseen: the person
 * decides whether to be reached (confidential) or to stay unknown (clear the fields).
 */
function checkContact(v: { mode?: string; contactEmail?: string; contactPhone?: string }, ctx: z.RefinementCtx) {
  if (v.mode && v.mode !== "anonymous" && !v.contactEmail && !v.contactPhone) {
    ctx.addIssue({ code: "custom", path: ["contactEmail"], message: "errors.report.contactRequired" });
  }
  if (v.mode === "anonymous") {
    const given = CONTACT_FIELDS.find((key) => (v as Record<string, unknown>)[key]);
    if (given) ctx.addIssue({ code: "custom", path: [given], message: "errors.report.anonymousWithContact" });
  }
}

/** `checkContact` in JSON Schema, for the documented input; keep the two side by side. */
const contactRule = {
  allOf: [
    { anyOf: [{ properties: { mode: { const: "anonymous" } } }, { required: ["contactEmail"] }, { required: ["contactPhone"] }] },
    // Anonymous, or no contact field: anonymous reports carry none.
    {
      anyOf: [
        { not: { properties: { mode: { const: "anonymous" } }, required: ["mode"] } },
        { not: { anyOf: CONTACT_FIELDS.map((key) => ({ required: [key] })) } },
      ],
    },
  ],
};

export const stepSchemas = {
  danger: z.object(stepFields.danger),
  mode: z.object(stepFields.mode).superRefine(checkContact),
  incident: z.object(stepFields.incident).superRefine((v, ctx) => {
    if (v.occurredOn && v.knownOn && v.knownOn < v.occurredOn)
      ctx.addIssue({ code: "custom", path: ["knownOn"], message: "errors.report.knownBeforeOccurred" });
  }),
  people: z.object(stepFields.people),
  effects: z.object(stepFields.effects),
};

const urlEvidence = z.object({
  url: z.preprocess(blankToUndefined, webUrl),
  kind: z.enum(["content", "profile"], "errors.invalid").default("content"),
  capturedAt: z.preprocess(
    // Typed as people write it ("24.11.2026, 18:30") where the browser offers no date picker; the picker sends ISO.
    (v) => {
      if (v === "") return undefined;
      const m = typeof v === "string" ? /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})[,،]?\s+(\d{1,2}):(\d{2})\s*$/.exec(v) : null;
      return m ? `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}T${m[4].padStart(2, "0")}:${m[5]}` : v;
    },
    z.iso
      .datetime({ local: true, offset: true, message: "errors.report.date" })
      .regex(/^(19|2\d)\d\d-/, "errors.report.date")
      .optional(),
  ),
  capturedBy: text(200),
});
export type UrlEvidence = z.infer<typeof urlEvidence>;

/**
 * The instant a link's content was saved. A time without an offset (a date picker's, or typed)
 * is the person's wall clock in Berlin, not the server's: "18:30" in December is 17:30 UTC.
 */
export function capturedInstant(value: string): Date {
  const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(value);
  if (!local) return new Date(value);
  return new Date(berlinInstant(local[1], local[2]).getTime() + Number(local[3] ?? 0) * 1000);
}

/** Examples shown in the API documentation; a test submits each of them. */
export const INTAKE_EXAMPLES = {
  anonymous: {
    summary: "Anonymous report of threats online",
    value: {
      mode: "anonymous",
      description: "Unter dem Beitrag der Stadt zur Ratssitzung stehen seit gestern Drohungen gegen die Bürgermeisterin.",
      forms: ["threat"],
      motives: ["racist"],
      occurredOn: "2026-11-20",
      place: "online",
      urls: [{ url: "https://social.example/stadt/posts/4711", kind: "content" }],
    },
  },
  confidential: {
    summary: "Confidential report with a way to reach the person",
    value: {
      mode: "confidential",
      reporterRole: "affected",
      contactName: "Alex Beispiel",
      contactEmail: "alex.beispiel@example.org",
      description: "In der Bürgersprechstunde wurde ich beleidigt und mir wurde gedroht, man wisse, wo ich wohne.",
      forms: ["insult", "threat"],
      place: "town_hall",
      affectedFunction: "staff",
      wishes: ["contact_office"],
      language: "de",
    },
  },
} as const;

/** A whole report at once (API, clearing office entry). */
export const intakeSchema = z
  .object({
    // Asked first and required in the web form; the API and the office's entry may leave it open.
    immediateDanger: optionalEnum(FIELDS.immediateDanger.options),
    ...stepFields.mode,
    ...stepFields.incident,
    ...stepFields.people,
    ...stepFields.effects,
    urls: z.array(urlEvidence).max(20, "errors.tooLong").default([]),
    language: z.enum(["de", "en", "tr", "ar", "uk", "ru"]).default("de"),
  })
  .superRefine(checkContact)
  .meta({
    description:
      "Only `description` and `mode` are required; `named` and `confidential` reports also need `contactEmail` or `contactPhone`; `anonymous` reports carry no contact field.",
    // zod drops `examples` from schemas with transforms; @fastify/swagger moves these to the media type.
    "x-examples": INTAKE_EXAMPLES,
    ...contactRule,
  });

export type Intake = z.infer<typeof intakeSchema>;

/** Whatever answers a draft holds so far (each step's validated output, merged). */
export type DraftAnswers = Partial<Omit<Intake, "urls" | "language">> & { urls?: UrlEvidence[] };

export { urlEvidence };

/** A message in the mailbox, from the reporter or the clearing office. */
export const mailboxMessage = z
  .string()
  .trim()
  .min(1, "reports.mailbox.messageRequired")
  .max(10_000, "errors.tooLong")
  .refine(withoutControlCharacters, CONTROL_CHARACTERS_MESSAGE);

/** The first message of a mailbox message's problems, as an i18n key. */
export function mailboxMessageProblem(value: string): { ok: true; message: string } | { ok: false; key: string } {
  const parsed = mailboxMessage.safeParse(value);
  return parsed.success ? { ok: true, message: parsed.data } : { ok: false, key: parsed.error.issues[0].message };
}
