/* The admin forms' fields as the handlers read them (urlencoded: a string, or a list for repeated boxes). */

export type Body = Record<string, unknown>;
export const str = (v: unknown) => (typeof v === "string" ? v : "");
export const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === "string" && v ? [v] : []);
