import { z } from "zod";
import { berlinInstant } from "../../platform/calendar.ts";
import { AppError } from "../../platform/http/errors.ts";
import { CONTROL_CHARACTERS_MESSAGE, singleLine, UUID_PATTERN, withoutControlCharacters } from "../../platform/validation.ts";
import { CLEARING_STAGES, INCIDENT_FORMS, LAND_CODES, type Land } from "../../platform/vocabulary.ts";
import type { OpeningHours } from "./hours.ts";
import { normalisePhone } from "./phone.ts";
import { CARD_SITUATIONS, CARD_VISIBILITIES, PARTNER_KINDS, RACI } from "./schema.ts";

/** Languages a partner may say it speaks: the reporting languages and those most asked for in Germany. */
export const PARTNER_LANGUAGES = ["de", "en", "tr", "ar", "uk", "ru", "fa", "ku", "pl", "ro", "bg", "fr", "es", "it", "sq", "sr", "so", "ti"] as const;

/** Invisible format characters (zero-width spaces, direction overrides) have no place in names shown to others. */
const INVISIBLE = /\p{Cf}/u;
const line = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: "errors.tooLong" })
    .refine(singleLine, { message: CONTROL_CHARACTERS_MESSAGE })
    .refine((v) => !INVISIBLE.test(v), { message: CONTROL_CHARACTERS_MESSAGE });
/** Direction overrides turn what others read around ("Hilfe\u202eV. e" shows as "Hilfe e .V"); isolates and marks stay allowed. */
const OVERRIDES = /[\u202a-\u202e]/;
/** Free text keeps its line breaks, as LF only. */
const text = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { message: "errors.tooLong" })
    .refine(withoutControlCharacters, { message: CONTROL_CHARACTERS_MESSAGE })
    .refine((v) => !OVERRIDES.test(v), { message: CONTROL_CHARACTERS_MESSAGE })
    .transform((v) => v.replace(/\r\n?/g, "\n"));

/** An optional phone number, stored as E.164 (German numbers may be typed as they are dialled here). */
export const phoneField = z
  .string()
  .trim()
  .max(40, { message: "errors.tooLong" })
  .transform((v, ctx) => {
    if (v === "") return null;
    const n = normalisePhone(v);
    if (!n.ok) {
      ctx.addIssue({ code: "custom", message: "errors.alliance.phone" });
      return z.NEVER;
    }
    return n.e164;
  });

export const emailField = z
  .string()
  .trim()
  .max(254, { message: "errors.tooLong" })
  .transform((v, ctx) => {
    if (v === "") return null;
    if (!z.email().safeParse(v).success) {
      ctx.addIssue({ code: "custom", message: "errors.alliance.email" });
      return z.NEVER;
    }
    return v;
  });

const webField = z
  .string()
  .trim()
  .max(500, { message: "errors.tooLong" })
  .transform((v, ctx) => {
    if (v === "") return null;
    const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : `https://${v}`;
    try {
      const url = new URL(withScheme);
      // No user name or password in a link shown to the public (https://bank.de@elsewhere.example).
      if ((url.protocol === "https:" || url.protocol === "http:") && url.hostname.includes(".") && !url.username && !url.password) return url.toString();
    } catch {
      // refused below
    }
    ctx.addIssue({ code: "custom", message: "errors.alliance.web" });
    return z.NEVER;
  });

const subsetOf = <T extends string>(values: readonly T[]) =>
  z
    .array(z.string())
    .transform((list) => [...new Set(list)])
    .pipe(z.array(z.enum(values as [T, ...T[]]), { message: "errors.invalid" }));

/** A partner as the form and the API send it (opening hours are read on their own, hours.ts). */
export const partnerInput = z.object({
  name: line(200).pipe(z.string().min(1, { message: "errors.alliance.name" })),
  kind: z.enum(PARTNER_KINDS, { message: "errors.alliance.kind" }),
  services: text(2000),
  phone: phoneField,
  email: emailField,
  web: webField,
  region: line(200),
  languages: subsetOf(PARTNER_LANGUAGES),
  accessibility: text(1000),
  cardSituations: subsetOf(CARD_SITUATIONS),
});
export type PartnerFormInput = z.infer<typeof partnerInput>;

/** An entry of the national directory: a partner without the municipality's own choices, with its Land. */
export const nationalEntryFields = partnerInput.omit({ region: true, cardSituations: true }).extend({
  land: z.enum(LAND_CODES as [Land, ...Land[]], { message: "errors.alliance.land" }),
});
export type NationalEntryInput = z.infer<typeof nationalEntryFields> & { hours: OpeningHours };

/** A record id from a path: anything else is a page that does not exist. */
export function checkId(id: string): string {
  if (!UUID_PATTERN.test(id)) throw new AppError("not_found");
  return id;
}

export const contactInput = z
  .object({
    function: line(200),
    name: line(200).pipe(z.string().min(1, { message: "errors.required" })),
    phone: phoneField,
    email: emailField,
  })
  .refine((c) => c.phone || c.email, { message: "errors.alliance.contactWay", path: ["phone"] });
export type ContactFormInput = z.infer<typeof contactInput>;

export const cardSettingsInput = z.object({ cardVisibility: z.enum(CARD_VISIBILITIES, { message: "errors.invalid" }) });

export const MATRIX_ROLES = ["clearing_officer", "municipal_admin", "leader", "staff"] as const;

/** One line of the responsibility matrix as the form sends it; the assignee as "role:…", "partner:…" or "person:…". */
export const responsibilityInput = z.object({
  stage: z.enum(CLEARING_STAGES, { message: "errors.invalid" }),
  form: z.union([z.literal("").transform(() => null), z.enum(INCIDENT_FORMS, { message: "errors.invalid" })]),
  level: z.union([z.literal("").transform(() => null), z.enum(["0", "1", "2", "3"], { message: "errors.invalid" }).transform(Number)]),
  raci: z.enum(RACI, { message: "errors.invalid" }),
  assignee: z.string().transform((v, ctx) => {
    const [kind, value = ""] = v.split(":", 2);
    if (kind === "role" && (MATRIX_ROLES as readonly string[]).includes(value))
      return { assigneeKind: "role" as const, assigneeRole: value, partnerId: null, userId: null };
    if (kind === "partner" && UUID_PATTERN.test(value)) return { assigneeKind: "partner" as const, assigneeRole: null, partnerId: value, userId: null };
    if (kind === "person" && UUID_PATTERN.test(value)) return { assigneeKind: "person" as const, assigneeRole: null, partnerId: null, userId: value };
    ctx.addIssue({ code: "custom", message: "errors.alliance.assignee" });
    return z.NEVER;
  }),
});
export type ResponsibilityInput = z.infer<typeof responsibilityInput>;

/* ------------------------------------------------------------------ the workspace */

/** Dates of this century and the next: "0050-06-01" is a typing error, and Date.UTC would read it as 1950. */
const DATE = /^(19|20|21)\d{2}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const isText = (v: unknown): v is string => typeof v === "string";
/** Filled in: a value that failed its own check was typed too (the form says what is wrong with it). */
const given = (v: unknown) => v !== null && v !== undefined && (!isText(v) || v.trim() !== "");
const validDate = (v: string) => DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** A meeting as the form sends it: a day and two times in Berlin, a place or a link (or both). */
export const meetingInput = z
  .object({
    title: line(200).pipe(z.string().min(1, { message: "errors.required" })),
    date: z.string().trim().refine(validDate, { message: "errors.alliance.date" }),
    from: z.string().trim().regex(TIME, { message: "errors.alliance.time" }),
    to: z.string().trim().regex(TIME, { message: "errors.alliance.time" }),
    place: line(300),
    link: webField,
    agenda: text(5000),
  })
  // Judged even when another field is wrong, so that every error shows at once.
  // A field that failed its own check may hold anything here: each value is looked at as what it is.
  .refine((m) => !(isText(m.from) && isText(m.to) && TIME.test(m.from) && TIME.test(m.to) && m.to <= m.from), {
    message: "errors.alliance.endBeforeStart",
    path: ["to"],
    when: () => true,
  })
  .refine((m) => given(m.place) || given(m.link), { message: "errors.alliance.placeOrLink", path: ["place"], when: () => true })
  .transform(({ date, from, to, ...rest }) => ({ ...rest, startsAt: berlinInstant(date, from), endsAt: berlinInstant(date, to) }))
  // On the night summer time begins, 02:00–03:00 does not exist: the wall clock's order is not the time's.
  .refine((m) => m.endsAt > m.startsAt, { message: "errors.alliance.endBeforeStart", path: ["to"] });
export type MeetingInput = z.infer<typeof meetingInput>;

export const decisionInput = z.object({
  text: text(1000).pipe(z.string().min(1, { message: "errors.required" })),
  ownerId: z.union([z.literal("").transform(() => null), z.string().regex(UUID_PATTERN, { message: "errors.alliance.owner" })]),
  due: z.union([z.literal("").transform(() => null), z.string().trim().refine(validDate, { message: "errors.alliance.date" })]),
});
export type DecisionInput = z.infer<typeof decisionInput>;

export const minutesInput = z.object({ minutes: text(20000) });

/** A cooperation agreement as the form sends it (the document comes as a file of its own). */
export const agreementInput = z
  .object({
    title: line(200).pipe(z.string().min(1, { message: "errors.required" })),
    validFrom: z.string().trim().refine(validDate, { message: "errors.alliance.date" }),
    validUntil: z.union([z.literal("").transform(() => null), z.string().trim().refine(validDate, { message: "errors.alliance.date" })]),
  })
  // Judged even when another field is wrong, so that every error shows at once.
  .refine((a) => !(isText(a.validUntil) && isText(a.validFrom) && validDate(a.validFrom) && validDate(a.validUntil) && a.validUntil < a.validFrom), {
    message: "errors.alliance.untilBeforeFrom",
    path: ["validUntil"],
    when: () => true,
  });
export type AgreementInput = z.infer<typeof agreementInput>;

export const documentInput = z.object({ docTitle: line(200).pipe(z.string().min(1, { message: "errors.required" })) });
