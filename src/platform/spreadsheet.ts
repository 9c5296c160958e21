/*
 * Text a spreadsheet would run: a cell that starts with =, +, -, @ (or their full-width forms), a
 * tab or a carriage return is a formula to Excel and LibreOffice (=HYPERLINK(…) typed into a name
 * would send the next reader's data elsewhere). Every CSV we write puts an apostrophe before such a
 * cell, so that it stays text; a CSV read back takes the apostrophe off again.
 */

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/** A cell as text a spreadsheet shows and does not run. */
export const neutralise = (cell: string): string => (FORMULA_START.test(cell) ? `'${cell}` : cell);

/** A cell as it was before `neutralise`. */
export const unneutralise = (cell: string): string => (/^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell) ? cell.slice(1) : cell);
