import { z } from "zod";
import { CONTROL_CHARACTERS_MESSAGE, singleLine, withoutControlCharacters } from "../../platform/validation.ts";

/*
 * The intake of a report, shared by the web form (step by step), the clearing office's entry
 * and the API. Only what happened and either a way to reach the person or the anonymous mode
 * are required; everything else helps but may stay empty.
 */

export const MODES = ["named", "confidential", "anonymous"] as const;
export const CHANNELS = ["web", "phone", "email", "letter", "in_person", "api"] as const;
export const OFFICE_CHANNELS = ["phone", "email", "letter", "in_person"] as const;
export const REPORTER_ROLES = ["affected", "witness", "colleague", "manager"] as const;
export const AFFECTED_FUNCTIONS = ["office_holder", "elected_member", "staff"] as const;
export const PLACES = ["town_hall", "meeting", "field_work", "private_home", "phone", "letter", "email", "online", "other"] as const;
export const FORMS = [
  "insult",
  "threat",
  "incitement",
  "defamation",
  "harassment",
  "doxxing",
  "physical_attack",
  "sexual_assault",
  "property_damage",
  "other",
] as const;
export const MOTIVES = [
  "racist",
  "antisemitic",
  "anti_muslim",
  "antiziganist",
  "anti_black",
  "anti_asian",
  "right_wing_extremist",
  "lgbtiq_hostile",
  "antifeminist",
  "islamist",
  "other",
] as const;
export const EFFECTS = ["physical", "psychological", "unable_to_work"] as const;
export const WISHES = ["contact_office", "counselling", "police", "information_only"] as const;
export const CONTACT_BY = ["clearing_office", "counselling_service", "superior", "no_preference"] as const;
export const YES_NO = ["yes", "no"] as const;
export const PERPETRATOR_KNOWN = ["known", "unknown"] as const;

const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "errors.tooLong")
    .refine(withoutControlCharacters, CONTROL_CHARACTERS_MESSAGE)
    .transform((v) => v || undefined)
    .optional();

/** A list from a form (one value, several, or none) or from JSON. */
const many = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(z.enum(values, "errors.invalid")).max(values.length));

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), z.enum(values, "errors.invalid").optional());

const isoDate = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "errors.report.date")
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), "errors.report.date")
    .optional(),
);

const httpUrl = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
  z
    .string()
    .max(2000, "errors.tooLong")
    .refine(singleLine, CONTROL_CHARACTERS_MESSAGE)
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === "https:" || u.protocol === "http:";
      } catch {
        return false;
      }
    }, "errors.report.url")
    .optional(),
);

const email = z.preprocess(
  (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
  z.email("errors.emailInvalid").max(254, "errors.emailInvalid").optional(),
);

/** The fields of each step of the web form, in order. */
export const stepFields = {
  danger: { immediateDanger: z.preprocess((v) => (v === "" ? undefined : v), z.enum(YES_NO, "errors.report.dangerRequired")) },
  mode: {
    mode: z.enum(MODES, "errors.report.modeRequired"),
    reporterRole: optionalEnum(REPORTER_ROLES),
    contactName: text(200),
    contactEmail: email,
    contactPhone: z.preprocess(
      (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
      z
        .string()
        .max(40, "errors.report.phone")
        .regex(/^[+0-9 ()/-]{5,}$/, "errors.report.phone")
        .optional(),
    ),
  },
  incident: {
    description: z
      .string("errors.report.descriptionRequired")
      .trim()
      .min(10, "errors.report.descriptionRequired")
      .max(20_000, "errors.tooLong")
      .refine(withoutControlCharacters, CONTROL_CHARACTERS_MESSAGE),
    forms: many(FORMS),
    motives: many(MOTIVES),
    occurredOn: isoDate,
    knownOn: isoDate,
    knownBy: text(300),
    place: optionalEnum(PLACES),
    placeDetail: text(300),
    onlineUrl: httpUrl,
  },
  people: {
    affectedFunction: optionalEnum(AFFECTED_FUNCTIONS),
    publicContact: optionalEnum(YES_NO),
    perpetratorKnown: optionalEnum(PERPETRATOR_KNOWN),
    perpetratorName: text(300),
    perpetratorProfileUrl: httpUrl,
    earlierIncidents: text(5000),
    witnesses: text(2000),
  },
  effects: {
    effects: many(EFFECTS),
    effectsDetail: text(5000),
    policeCaseNumber: text(100),
    platformReported: optionalEnum(YES_NO),
    stepsTaken: text(3000),
    wishes: many(WISHES),
    contactBy: optionalEnum(CONTACT_BY),
  },
} as const;

export type StepName = keyof typeof stepFields | "evidence" | "review";
export const STEPS: StepName[] = ["danger", "mode", "incident", "people", "effects", "evidence", "review"];

export const CONTACT_FIELDS = ["contactName", "contactEmail", "contactPhone"] as const;

function checkContact(v: { mode?: string; contactEmail?: string; contactPhone?: string }, ctx: z.RefinementCtx) {
  if (v.mode && v.mode !== "anonymous" && !v.contactEmail && !v.contactPhone) {
    ctx.addIssue({ code: "custom", path: ["contactEmail"], message: "errors.report.contactRequired" });
  }
}

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
  url: httpUrl.pipe(z.string("errors.report.url")),
  kind: z.enum(["content", "profile"], "errors.invalid").default("content"),
  capturedAt: z.preprocess((v) => (v === "" ? undefined : v), z.iso.datetime({ local: true, offset: true, message: "errors.report.date" }).optional()),
  capturedBy: text(200),
});
export type UrlEvidence = z.infer<typeof urlEvidence>;

/** A whole report at once (API, clearing office entry). */
export const intakeSchema = z
  .object({
    immediateDanger: optionalEnum(YES_NO),
    ...stepFields.mode,
    ...stepFields.incident,
    ...stepFields.people,
    ...stepFields.effects,
    urls: z.array(urlEvidence).max(20, "errors.tooLong").default([]),
    language: z.enum(["de", "en", "tr", "ar", "uk", "ru"]).default("de"),
  })
  .superRefine(checkContact);

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
