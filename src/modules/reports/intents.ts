import { z } from "zod";
import { PUBLIC_LANGUAGES } from "../../platform/i18n/i18n.ts";
import { STEPS, type StepName } from "./schemas.ts";

/*
 * What a person asks for with a button of the reporting form. Every submit button posts one
 * field, `intent`, and its value says what to do: `next`, `skip`, `back`, `upload`, `link`,
 * `language:<code>` or `remove:<evidence id>`. An argument travels after a colon because a
 * button has exactly one name and one value, and that is all a form without JavaScript sends.
 * The route parses the field here, once, and answers with a single switch.
 */

const intents = z.discriminatedUnion("action", [
  /** Validate this step and go on. */
  z.strictObject({ action: z.literal("next") }),
  /** Validate this step and go straight to the summary: what happened is told, the rest only helps. */
  z.strictObject({ action: z.literal("skip") }),
  /** Keep what was typed, unvalidated, and go one step back. */
  z.strictObject({ action: z.literal("back") }),
  /** Evidence: take the chosen files (and a typed link) and stay. */
  z.strictObject({ action: z.literal("upload") }),
  /** Evidence: take the typed link (and chosen files) and stay. */
  z.strictObject({ action: z.literal("link") }),
  /** Evidence: remove one item of this draft. */
  z.strictObject({ action: z.literal("remove"), arg: z.uuid() }),
  /** Keep what was typed, unvalidated, and show this step in another language. */
  z.strictObject({ action: z.literal("language"), arg: z.enum(PUBLIC_LANGUAGES) }),
]);

export type Intent = z.infer<typeof intents>;
export type IntentAction = Intent["action"];

/** The posted value, split at its first colon into action and argument, then checked. */
const intentField = z
  .string()
  .max(80)
  .transform((raw) => {
    const colon = raw.indexOf(":");
    return colon < 0 ? { action: raw } : { action: raw.slice(0, colon), arg: raw.slice(colon + 1) };
  })
  .pipe(intents);

/** The value a button posts for an intent: the inverse of the parsing above. */
export function intentValue(intent: Intent): string {
  return "arg" in intent ? `${intent.action}:${intent.arg}` : intent.action;
}

/** Steps after which the rest may be skipped: what happened is told, the rest only helps. */
const SKIPPABLE: readonly StepName[] = ["incident", "people", "effects"];

/**
 * The intents a step's page offers, and so the only ones its route accepts. The views show
 * exactly these buttons.
 */
export function offeredIntents(step: StepName): ReadonlySet<IntentAction> {
  if (step === "review") return new Set(["language"]);
  if (step === "evidence") return new Set(["upload", "link", "remove", "next", "back", "language"]);
  const offered = new Set<IntentAction>(["next", "language"]);
  if (SKIPPABLE.includes(step)) offered.add("skip");
  if (STEPS.indexOf(step) > 0) offered.add("back");
  return offered;
}

/**
 * What a form's first submit button asks for: browsers press it on Enter in a text field. A post
 * without any intent (a text browser that submits without naming a button) is read as this too.
 * The summary's only form is the language choice: it has no default.
 */
function defaultIntent(step: StepName): string | undefined {
  if (step === "review") return undefined;
  return step === "evidence" ? "upload" : "next";
}

/**
 * The intent of a post to a step, or null when it is unknown, malformed or not offered on this
 * step (the route then shows the step again, never an error page).
 */
export function readIntent(raw: string | string[] | undefined, step: StepName): Intent | null {
  const value = raw === undefined || raw === "" ? defaultIntent(step) : raw;
  if (value === undefined) return null;
  const parsed = intentField.safeParse(value);
  if (!parsed.success || !offeredIntents(step).has(parsed.data.action)) return null;
  return parsed.data;
}
