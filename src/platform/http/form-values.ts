/* A posted form's fields as strings: what a page's form reader starts from. */

export type Values = Record<string, string | string[]>;

/** Form fields as strings (repeated checkboxes as lists); nothing else from the body, not the CSRF token. */
export function formValues(body: unknown): Values {
  const out: Values = {};
  if (!body || typeof body !== "object") return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k === "_csrf") continue;
    if (typeof v === "string") out[k] = v;
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === "string");
  }
  return out;
}

/** A field's one value (the first, if it came more than once). */
export const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));

/** A field's values as a list (a checkbox group). */
export const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
