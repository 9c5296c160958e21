import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { type Translate, translator } from "../../platform/i18n/i18n.ts";
import { neutralise, unneutralise } from "../../platform/spreadsheet.ts";
import { describeHours, HOURS_DAYS, type OpeningHours, parseHoursForm, RANGES_PER_DAY } from "./hours.ts";
import { displayPhone } from "./phone.ts";
import type { PartnerRow } from "./repository.ts";
import { CARD_SITUATIONS, PARTNER_KINDS } from "./schema.ts";
import { PARTNER_LANGUAGES, type PartnerFormInput, partnerInput } from "./schemas.ts";

/*
 * The directory as a spreadsheet, and back. Written the way German Excel opens a file with a
 * double click: UTF-8 with a byte order mark, semicolons, CRLF. Read from what people have: UTF-8
 * or Windows-1252 (Excel's "CSV (Trennzeichen-getrennt)"), separated by semicolons, commas or tabs.
 *
 * A cell that a spreadsheet would run as a formula (=, +, -, @, tab or carriage return first) is
 * written with an apostrophe before it, so =HYPERLINK(…) typed into a partner's name stays text on
 * the next person's computer; reading the file back takes the apostrophe off again.
 *
 * Import is all or nothing: if any row is wrong, nothing is saved and every wrong row is listed
 * with its line number, so the file can be fixed and uploaded again without creating doubles.
 */

export const MAX_IMPORT_ROWS = 500;
/** The page lists this many problems, then says how many more there are. */
const MAX_PROBLEMS = 100;

const COLUMNS = [
  { key: "name", header: "Name", aliases: ["organisation", "name der organisation"] },
  { key: "kind", header: "Art", aliases: ["kind", "type"] },
  { key: "services", header: "Angebot", aliases: ["services"] },
  { key: "phone", header: "Telefon", aliases: ["phone", "telefonnummer"] },
  { key: "email", header: "E-Mail", aliases: ["email", "e-mail-adresse"] },
  { key: "web", header: "Webseite", aliases: ["web", "website", "internet"] },
  { key: "region", header: "Zuständig für", aliases: ["region"] },
  { key: "languages", header: "Sprachen", aliases: ["languages"] },
  { key: "accessibility", header: "Barrierefreiheit", aliases: ["accessibility"] },
  { key: "cardSituations", header: "Notfallkarte", aliases: ["card", "emergency card", "auf der notfallkarte"] },
  { key: "hours", header: "Erreichbarkeit", aliases: ["hours", "opening hours", "öffnungszeiten", "sprechzeiten"] },
] as const;
type ColumnKey = (typeof COLUMNS)[number]["key"];
/** The columns as the export writes them (and the import page explains them). */
export const CSV_HEADERS = COLUMNS.map(({ key, header }) => ({ key, header }));

/* ------------------------------------------------------------------ export */

/** The partners as CSV for Excel: German headers, German labels for kinds and card sections. */
export function partnersCsv(partners: PartnerRow[], t: Translate): string {
  const rows = partners.map((p) => {
    const cells: Record<ColumnKey, string> = {
      name: p.name,
      kind: t(`alliance.kind.${p.kind}`),
      services: p.services,
      phone: p.phone ? displayPhone(p.phone) : "",
      email: p.email ?? "",
      web: p.web ?? "",
      region: p.region,
      languages: p.languages.join(", "),
      accessibility: p.accessibility,
      cardSituations: p.cardSituations.map((s) => t(`alliance.situation.${s}`)).join(", "),
      hours: hoursText(p.hours),
    };
    return COLUMNS.map((c) => neutralise(cells[c.key]));
  });
  return `\uFEFF${stringify([COLUMNS.map((c) => c.header), ...rows], { delimiter: ";", record_delimiter: "\r\n", quoted_match: /[\n;"]/ })}`;
}

/** "rund um die Uhr", or "Mo–Fr 09:00–12:00, 13:00–16:00; Sa 10:00–12:00"; empty when no hours are known. */
export function hoursText(hours: OpeningHours): string {
  // Not "24/7": Excel would read that as the 24th of July.
  if (hours.alwaysOpen) return "rund um die Uhr";
  return describeHours(hours, "de")
    .map((l) => `${l.days} ${l.ranges}`)
    .join("; ");
}

/* ------------------------------------------------------------------ import */

export interface ImportProblem {
  /** The row as a spreadsheet shows it (1 is the header); 0 for the file as a whole. */
  line: number;
  /** The column's header as the file has it, if the problem is in one cell. */
  column?: string;
  /** A message key (translated for the page). */
  message: string;
  params?: Record<string, string | number>;
}

export type ImportedPartner = PartnerFormInput & { hours: OpeningHours };
export type ImportResult = { ok: true; partners: ImportedPartner[] } | { ok: false; problems: ImportProblem[] };

/** UTF-8 where the bytes are UTF-8, otherwise Windows-1252 (what Excel writes on German Windows). */
export function decodeCsv(bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("windows-1252").decode(bytes);
  }
  return text.replace(/^\uFEFF/, "");
}

/** The separator the header line uses most: semicolon (German Excel), comma or tab. */
function separatorOf(text: string): string {
  const header = text.split(/\r?\n/, 1)[0] ?? "";
  const counts = [";", ",", "\t"].map((s) => [s, header.split(s).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

const lower = (s: string) => s.trim().toLowerCase();
const LABEL_LANGUAGES = [translator("de"), translator("en")];

/** Languages by code, and by their German and English names ("Arabisch", "Arabic"). */
const LANGUAGE_CODES = new Map<string, string>(
  PARTNER_LANGUAGES.flatMap((code) =>
    ["de", "en"].map((locale) => [lower(new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code), code] as [string, string]),
  ),
);

/** For the columns whose values come from a list, the message names the list (German labels, as the export writes them). */
function fileMessage(column: string): { message: string; params: Record<string, string> } | undefined {
  const de = LABEL_LANGUAGES[0];
  if (column === "kind") return { message: "alliance.csv.kind", params: { values: PARTNER_KINDS.map((k) => de(`alliance.kind.${k}`)).join(", ") } };
  if (column === "languages") return { message: "alliance.csv.languages", params: { values: PARTNER_LANGUAGES.join(", ") } };
  if (column === "cardSituations")
    return { message: "alliance.csv.situations", params: { values: CARD_SITUATIONS.map((c) => de(`alliance.situation.${c}`)).join(", ") } };
  return undefined;
}

/** Reads a partner file. Either every row is a valid partner, or the answer lists each problem. */
export function readPartnersCsv(bytes: Uint8Array): ImportResult {
  const text = decodeCsv(bytes);
  let records: Array<{ record: string[] }>;
  try {
    records = parse(text, { delimiter: separatorOf(text), relax_column_count: true, skip_empty_lines: true }).map((record: string[]) => ({ record }));
  } catch (err) {
    const line = typeof (err as { lines?: unknown }).lines === "number" ? (err as { lines: number }).lines : 0;
    return { ok: false, problems: [{ line, message: "alliance.csv.unreadable" }] };
  }
  if (records.length === 0) return { ok: false, problems: [{ line: 0, message: "alliance.csv.empty" }] };

  // The header names the columns; their order does not matter, and English names are understood too.
  const header = records[0].record.map((h) => lower(unneutralise(h)));
  // A column's name as the problem list shows it: a header of a million quotes is not echoed whole.
  const named = (raw: string) => (raw.length > 60 ? `${raw.slice(0, 60)}…` : raw);
  const columnOf = new Map<ColumnKey, number>();
  const problems: ImportProblem[] = [];
  header.forEach((h, i) => {
    if (h === "") return;
    const column = COLUMNS.find((c) => lower(c.header) === h || lower(c.key) === h || (c.aliases as readonly string[]).includes(h));
    if (!column) problems.push({ line: 1, column: named(records[0].record[i]), message: "alliance.csv.unknownColumn" });
    else if (columnOf.has(column.key)) problems.push({ line: 1, column: named(records[0].record[i]), message: "alliance.csv.duplicateColumn" });
    else columnOf.set(column.key, i);
  });
  if (problems.length > MAX_PROBLEMS)
    problems.splice(MAX_PROBLEMS, problems.length, { line: 0, message: "alliance.csv.moreProblems", params: { count: problems.length - MAX_PROBLEMS } });
  if (!columnOf.has("name")) problems.push({ line: 1, message: "alliance.csv.nameMissing" });
  if (!columnOf.has("kind")) problems.push({ line: 1, message: "alliance.csv.kindMissing" });
  if (problems.length > 0) return { ok: false, problems };

  const rows = records.slice(1);
  if (rows.length === 0) return { ok: false, problems: [{ line: 0, message: "alliance.csv.noRows" }] };
  if (rows.length > MAX_IMPORT_ROWS) return { ok: false, problems: [{ line: 0, message: "alliance.csv.tooManyRows", params: { max: MAX_IMPORT_ROWS } }] };

  const kinds = labelsFor(PARTNER_KINDS, (k) => `alliance.kind.${k}`);
  const situations = labelsFor(CARD_SITUATIONS, (s) => `alliance.situation.${s}`);
  const partners: ImportedPartner[] = [];
  for (const [index, { record }] of rows.entries()) {
    // The row as a spreadsheet numbers it (the header is row 1); a cell with line breaks is still one row.
    const line = index + 2;
    const cell = (key: ColumnKey) => {
      const i = columnOf.get(key);
      return i === undefined ? "" : unneutralise(record[i] ?? "");
    };
    const headerOf = (key: string) => records[0].record[columnOf.get(key as ColumnKey) ?? 0];
    const rowProblems: ImportProblem[] = [];
    const list = (value: string) =>
      value
        .split(/[,/|]/)
        .map((v) => v.trim())
        .filter(Boolean);
    const kind = kinds.get(lower(cell("kind"))) ?? cell("kind");
    const cardSituations = list(cell("cardSituations")).map((s) => situations.get(lower(s)) ?? s);
    const parsed = partnerInput.safeParse({
      name: cell("name"),
      kind,
      services: cell("services"),
      phone: cell("phone"),
      email: cell("email"),
      web: cell("web"),
      region: cell("region"),
      languages: list(cell("languages")).map((l) => LANGUAGE_CODES.get(lower(l)) ?? lower(l)),
      accessibility: cell("accessibility"),
      cardSituations,
    });
    if (!parsed.success) {
      // One problem per column, in words for a file: which values the column takes.
      const seen = new Set<string>();
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "name");
        if (seen.has(key)) continue;
        seen.add(key);
        rowProblems.push({ line, column: headerOf(key), ...(fileMessage(key) ?? { message: issue.message }) });
      }
    }
    const hours = readHoursText(cell("hours"));
    if (!hours.ok) rowProblems.push({ line, column: headerOf("hours"), message: hours.message });
    if (rowProblems.length > 0) problems.push(...rowProblems);
    else if (parsed.success && hours.ok) partners.push({ ...parsed.data, hours: hours.hours });
  }
  if (problems.length > MAX_PROBLEMS) {
    const more = problems.length - MAX_PROBLEMS;
    return { ok: false, problems: [...problems.slice(0, MAX_PROBLEMS), { line: 0, message: "alliance.csv.moreProblems", params: { count: more } }] };
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, partners };
}

/** Code and label (German or English, any case), each to the code. */
function labelsFor<T extends string>(codes: readonly T[], key: (code: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const code of codes) {
    map.set(code, code);
    for (const t of LABEL_LANGUAGES) map.set(lower(t(key(code))), code);
  }
  return map;
}

const DAY = /^(mo|di|mi|do|fr|sa|so)\.?$/i;

/** Reads what hoursText writes (and what people type in that style): "24/7", "Mo–Fr 09:00–17:00; Sa 10:00–12:00". */
export function readHoursText(raw: string): { ok: true; hours: OpeningHours } | { ok: false; message: string } {
  const text = raw.trim();
  if (text === "") return { ok: true, hours: { alwaysOpen: false, slots: [] } };
  if (/^(24\/7|rund um die uhr|always|around the clock)$/i.test(text)) return { ok: true, hours: { alwaysOpen: true, slots: [] } };
  const fields: Record<string, string> = {};
  const used = new Map<string, number>();
  for (const group of text
    .split(";")
    .map((g) => g.trim())
    .filter(Boolean)) {
    const m = /^(\S+?)(?:\s*[-–]\s*(\S+?))?\s+(\d.*)$/.exec(group);
    if (!m || !DAY.test(m[1]) || (m[2] && !DAY.test(m[2]))) return { ok: false, message: "alliance.csv.hoursFormat" };
    const first = HOURS_DAYS.indexOf(m[1].replace(".", "").toLowerCase() as (typeof HOURS_DAYS)[number]);
    const last = m[2] ? HOURS_DAYS.indexOf(m[2].replace(".", "").toLowerCase() as (typeof HOURS_DAYS)[number]) : first;
    if (last < first) return { ok: false, message: "alliance.csv.hoursFormat" };
    for (const range of m[3].split(",").map((r) => r.trim())) {
      const times = /^(\d{1,2}(?:[:.]\d{2})?)\s*[-–]\s*(\d{1,2}(?:[:.]\d{2})?)(?:\s*uhr)?$/i.exec(range);
      if (!times) return { ok: false, message: "alliance.csv.hoursFormat" };
      for (let d = first; d <= last; d++) {
        const day = HOURS_DAYS[d];
        const n = (used.get(day) ?? 0) + 1;
        if (n > RANGES_PER_DAY) return { ok: false, message: "alliance.hours.tooManyRanges" };
        used.set(day, n);
        fields[`${day}_from_${n}`] = times[1];
        fields[`${day}_to_${n}`] = times[2];
      }
    }
  }
  const result = parseHoursForm(fields);
  if (!result.ok) return { ok: false, message: Object.values(result.errors)[0] };
  return { ok: true, hours: result.hours };
}
