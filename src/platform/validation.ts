/*
 * Rules every text input shares. Control characters (NUL above all: PostgreSQL refuses it in
 * text) are refused with a message, not stored and not passed on; tab, line feed and carriage
 * return stay allowed in free text. The C1 controls (U+0080–U+009F) count too, and in single-line
 * values the Unicode line and paragraph separators and the bidirectional controls.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// The bidirectional embeddings, overrides and isolates reorder what follows them: in a single-line
// value (a title shown in a list) they only serve to disguise it. Right-to-left text needs none.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_OR_LINE_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** For free text (line breaks allowed). */
export function withoutControlCharacters(value: string): boolean {
  return !CONTROL_CHARACTERS.test(value);
}

/** For single-line values: names, addresses, identifiers. */
export function singleLine(value: string): boolean {
  return !CONTROL_OR_LINE_BREAK.test(value);
}

/** A record id as the database makes it (lower-case UUID); anything else cannot name a record. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The form of every municipality's short name (tenants_slug_check); anything else cannot exist. */
export const SLUG_PATTERN = /^[a-z0-9]{1,60}(-[a-z0-9]{1,60}){0,10}$/;

/** The message key forms show for either rule. */
export const CONTROL_CHARACTERS_MESSAGE = "errors.controlCharacters";
