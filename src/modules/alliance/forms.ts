import type { z } from "zod";
import { fieldErrors } from "../../platform/http/errors.ts";
import { many, one, type Values } from "../../platform/http/form-values.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import { hoursFormValues, type OpeningHours, parseHoursForm } from "./hours.ts";
import { displayPhone } from "./phone.ts";

/* Reading the alliance's forms: the posted fields as strings, an entry's fields through its schema, the hours on their own. */

export { formValues, many, one, type Values } from "../../platform/http/form-values.ts";

const LISTS = new Set(["languages", "cardSituations"]);

/**
 * Reads an entry's form (a partner, or an entry of the national directory): the fields the schema
 * names, the opening hours through their own reader; every error at once, keyed by field.
 */
export function readEntryForm<S extends z.ZodObject>(
  schema: S,
  values: Values,
  t: Translate,
): { ok: true; input: z.infer<S> & { hours: OpeningHours } } | { ok: false; errors: Record<string, string> } {
  const fields = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, LISTS.has(k) ? many(values[k]) : one(values[k])]));
  const parsed = schema.safeParse(fields);
  const hours = parseHoursForm(values);
  if (parsed.success && hours.ok) return { ok: true, input: { ...(parsed.data as z.infer<S>), hours: hours.hours } };
  return {
    ok: false,
    errors: {
      ...(parsed.success ? {} : fieldErrors(parsed.error, t)),
      ...(hours.ok ? {} : Object.fromEntries(Object.entries(hours.errors).map(([k, key]) => [k, t(key)]))),
    },
  };
}

/** The form's values for a stored entry, as a person would type them. */
export function entryFormValues(e: {
  name: string;
  kind: string;
  services: string;
  phone: string | null;
  email: string | null;
  web: string | null;
  languages: string[];
  accessibility: string;
  hours: OpeningHours;
}): Values {
  return {
    name: e.name,
    kind: e.kind,
    services: e.services,
    phone: e.phone ? displayPhone(e.phone) : "",
    email: e.email ?? "",
    web: e.web ?? "",
    languages: e.languages,
    accessibility: e.accessibility,
    ...hoursFormValues(e.hours),
  };
}
