import { z } from "zod";
import { fieldErrors } from "../../platform/http/errors.ts";
import { many, one, type Values } from "../../platform/http/form-values.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import type { PracticeInput, TenantRef } from "./library.ts";
import { DIMENSIONS, PRACTICE_KINDS, PRACTICE_MODULES, VISIBILITIES } from "./schema.ts";

/* Reading the library's forms: a practice, feedback, a review's note. Every error at once, keyed by field. */

export { formValues, many, one, type Values } from "../../platform/http/form-values.ts";

/** Text as typed, without control characters (a line break and a tab stay), trimmed. */
const clean = (s: string) =>
  s
    .replace(/\r\n?/g, "\n")
    .replace(/[^\P{Cc}\n\t]|\p{Cf}/gu, "")
    .trim();
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} ._#/-]{0,39}$/u;

const practiceSchema = z.object({
  kind: z.enum(PRACTICE_KINDS, { error: "errors.knowledge.kind" }),
  title: z.string().min(3, "errors.knowledge.title").max(200, "errors.knowledge.title"),
  summary: z.string().min(1, "errors.knowledge.summary").max(1000, "errors.knowledge.summary"),
  body: z.string().min(1, "errors.knowledge.body").max(50_000, "errors.knowledge.body"),
  tags: z.array(z.string().regex(TAG, "errors.knowledge.tags")).max(20, "errors.knowledge.tags"),
  dimensions: z.array(z.enum(DIMENSIONS)),
  modules: z.array(z.enum(PRACTICE_MODULES)),
  visibility: z.enum(VISIBILITIES, { error: "errors.knowledge.visibility" }),
});

/** A practice from its form; a network municipality publishes for itself only. */
export function readPracticeForm(
  values: Values,
  tenant: TenantRef,
  t: Translate,
): { ok: true; input: PracticeInput } | { ok: false; errors: Record<string, string> } {
  const tags = [
    ...new Set(
      clean(one(values.tags))
        .split(",")
        .map((s) => s.trim().replace(/\s+/g, " "))
        .filter(Boolean),
    ),
  ];
  const parsed = practiceSchema.safeParse({
    kind: one(values.kind),
    title: clean(one(values.title)).replace(/\s+/g, " "),
    summary: clean(one(values.summary)),
    body: clean(one(values.body)),
    tags,
    dimensions: many(values.dimensions),
    modules: many(values.modules),
    visibility: one(values.visibility),
  });
  const errors = parsed.success ? {} : fieldErrors(parsed.error, t);
  // The list fields' own errors point at the list, not at one of its entries.
  for (const key of Object.keys(errors)) {
    const list = key.split(".")[0];
    if (list !== key) {
      errors[list] ??= errors[key];
      delete errors[key];
    }
  }
  if (parsed.success && tenant.kind === "platform" && parsed.data.visibility !== "internal") errors.visibility = t("errors.knowledge.visibilityNetwork");
  if (!parsed.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, input: parsed.data };
}

/** The form's values for a stored practice, as a person would type them. */
export function practiceFormValues(p: PracticeInput): Values {
  return {
    kind: p.kind,
    title: p.title,
    summary: p.summary,
    body: p.body,
    tags: p.tags.join(", "),
    dimensions: p.dimensions,
    modules: p.modules,
    visibility: p.visibility,
  };
}

/** "Did it work for you?" from its form. */
export function readFeedbackForm(values: Values): { ok: true; score: number; text: string } | { ok: false; errors: Record<string, string> } {
  const score = one(values.score);
  const text = clean(one(values.text));
  const errors: Record<string, string> = {};
  if (!/^[1-5]$/.test(score)) errors.score = "errors.knowledge.score";
  if (text.length > 2000) errors.text = "errors.knowledge.text";
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, score: Number(score), text };
}

/** The reviewer's note, needed to give a practice back. */
export function readReviewNote(values: Values): string {
  return clean(one(values.note)).slice(0, 2000);
}
