/*
 * Rules every text input shares. Control characters (NUL above all: PostgreSQL refuses it in
 * text) are refused with a message, not stored and not passed on; tab, line feed and carriage
 * return stay allowed in free text.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_OR_LINE_BREAK = /[\u0000-\u001f\u007f]/;

/** For free text (line breaks allowed). */
export function withoutControlCharacters(value: string): boolean {
  return !CONTROL_CHARACTERS.test(value);
}

/** For single-line values: names, addresses, identifiers. */
export function singleLine(value: string): boolean {
  return !CONTROL_OR_LINE_BREAK.test(value);
}

/** The message key forms show for either rule. */
export const CONTROL_CHARACTERS_MESSAGE = "errors.controlCharacters";
