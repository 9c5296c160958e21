import { findPhoneNumbersInText } from "libphonenumber-js";

/*
 * Before a case is told in collegial counselling, the text is searched for what could identify a
 * person: names, places, dates, e-mail addresses, phone numbers and street addresses. The
 * presenter sees each finding marked, replaces it ("eine Kollegin", "eine Kleinstadt", "im
 * Frühjahr") and confirms; nothing is sent on unseen. It is a help, not a guarantee: the
 * presenter's confirmation is what counts, and the room's people are bound to confidentiality.
 *
 * Phone numbers are found by libphonenumber-js; the rest by patterns for German text: a name after
 * a form of address or a role (Frau, Herr, Dr., Bürgermeisterin, Kollege …) or a first name from a
 * list followed by a capitalised word; a street with its number; a postcode with its town; a town
 * after "in", "aus", "nach" … with the endings German place names have, and the larger towns by
 * name; dates written with digits, with a month's name or as a weekday ("letzten Dienstag"); web
 * addresses and profile names. A family name standing alone, a town without a telling ending, a
 * date in words ("Ostern") are not found: the step says so, and the presenter reads on.
 */

export type FindingKind = "name" | "place" | "date" | "email" | "phone" | "address" | "link";

export interface Finding {
  kind: FindingKind;
  start: number;
  end: number;
  text: string;
}

const UPPER = "\\p{Lu}";
const LOWER = "\\p{Ll}";
/** A capitalised word (a name or a noun: German capitalises both), double names included. */
const WORD = `[${UPPER}][${LOWER}]+(?:-[${UPPER}][${LOWER}]+)?`;

/** Forms of address and roles that name a person after them. */
const TITLES = [
  "Frau",
  "Herr",
  "Herrn",
  "Dr\\.",
  "Prof\\.",
  "Bürgermeisterin",
  "Bürgermeister",
  "Oberbürgermeisterin",
  "Oberbürgermeister",
  "Landrätin",
  "Landrat",
  "Kollegin",
  "Kollege",
  "Kollegen",
  "Stadträtin",
  "Stadtrat",
  "Ratsfrau",
  "Ratsherr",
  "Amtsleiterin",
  "Amtsleiter",
  "Sachbearbeiterin",
  "Sachbearbeiter",
  "Mitarbeiterin",
  "Mitarbeiter",
  "Nachbarin",
  "Nachbar",
];

/** Common first names in Germany, of several origins (public knowledge, lower-cased). */
const FIRST_NAMES = new Set(
  `anna maria sophie sofia emma mia hannah hanna lea leonie lena laura julia sarah sara lisa katharina johanna clara klara
  marie luisa louisa emilia ella lina ida greta frieda paula nina jana sandra sabine petra claudia andrea susanne stefanie
  nicole birgit monika ursula renate karin ingrid helga gabriele martina anja tanja heike silke kerstin christina christine
  ayse ayşe fatma emine zeynep elif merve büşra meryem aylin derya esra leyla yasemin fatima amina aisha layla noor nour
  olga natalia natalja tatjana svetlana irina elena anastasia oksana agnieszka katarzyna joanna magdalena ewa
  ben paul jonas leon finn elias noah luis louis felix lukas luca maximilian max henry henri emil theo anton jakob jacob
  david daniel michael thomas andreas stefan stephan peter frank klaus jürgen juergen uwe wolfgang dieter hans günter
  werner horst bernd markus martin matthias christian alexander sebastian tobias florian philipp patrick dennis tim jan
  mehmet mustafa ahmet ali hasan hüseyin ibrahim murat emre can yusuf ömer kemal mohammed muhammad mohamed ahmad ahmed omar
  karim khaled samir tariq youssef hamza bilal sergej sergei dmitri dmitrij andrej alexej igor vladimir wladimir piotr
  krzysztof tomasz marek pawel jakub kim alex sam robin sascha luca jona noa mika toni chris`
    .split(/\s+/)
    .filter(Boolean),
);

const MONTHS =
  "Januar|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|Jan\\.|Feb\\.|Apr\\.|Aug\\.|Sept?\\.|Okt\\.|Nov\\.|Dez\\.";
const STREET_END = "straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt|höhe|hof|berg|graben|kamp|wall|stieg";
const PLACE_END =
  "stadt|dorf|hausen|heim|burg|berg|feld|felde|hagen|ingen|ungen|stedt|städt|rode|roda|born|brück|brücken|bach|beck|au|aue|see|hof|kirchen|kirch|walde|wald|furt|münde|hafen|leben|lingen|ow|itz|witz";

/** Larger German towns, found wherever they stand (a list, not a guess: "Leipzig" has no telling ending). */
const TOWNS =
  "Berlin|Hamburg|München|Köln|Frankfurt|Stuttgart|Düsseldorf|Leipzig|Dortmund|Essen|Bremen|Dresden|Hannover|Nürnberg|Duisburg|Bochum|Wuppertal|Bielefeld|Bonn|Münster|Mannheim|Karlsruhe|Augsburg|Wiesbaden|Mönchengladbach|Gelsenkirchen|Aachen|Braunschweig|Kiel|Chemnitz|Halle|Magdeburg|Freiburg|Krefeld|Mainz|Lübeck|Erfurt|Oberhausen|Rostock|Kassel|Hagen|Potsdam|Saarbrücken|Hamm|Ludwigshafen|Oldenburg|Mülheim|Osnabrück|Leverkusen|Darmstadt|Heidelberg|Solingen|Regensburg|Herne|Paderborn|Neuss|Ingolstadt|Offenbach|Fürth|Würzburg|Ulm|Heilbronn|Pforzheim|Wolfsburg|Göttingen|Bottrop|Reutlingen|Koblenz|Bremerhaven|Recklinghausen|Erlangen|Bergisch Gladbach|Remscheid|Jena|Trier|Salzgitter|Moers|Siegen|Hildesheim|Cottbus|Gera|Schwerin|Zwickau|Görlitz|Bautzen|Pirna|Plauen|Weimar|Dessau|Halberstadt|Stralsund|Greifswald|Frankfurt \\(Oder\\)";
const WEEKDAYS = "Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag";

const PATTERNS: { kind: FindingKind; re: RegExp; group?: number }[] = [
  { kind: "email", re: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu },
  { kind: "email", re: /[\p{L}\p{N}._%+-]+\s?\((?:at|ät)\)\s?[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu },
  // Addresses on the web and profile names: they lead straight to a person.
  { kind: "link", re: /\b(?:https?:\/\/|www\.)[^\s<>"]+/giu },
  { kind: "link", re: /(?<![\p{L}\p{N}._%+-])@[\p{L}\p{N}_.]{2,}/gu },
  { kind: "place", re: new RegExp(`(?<![\\p{L}])(?:${TOWNS})(?![\\p{L}])`, "gu") },
  // A day named relative to the telling: "letzten Dienstag", "am Montag", "vorgestern".
  { kind: "date", re: new RegExp(`\\b(?:(?:letzten|letzter|vergangenen|vorigen|diesen|nächsten|am)\\s+)(?:${WEEKDAYS})\\b`, "gu") },
  // A street with its number: "Hauptstraße 12", "Am Markt 3a", "Lange Gasse 7-9".
  {
    kind: "address",
    re: new RegExp(
      `(?:(?:Am|An der|Auf der|Im|In der|Zum|Zur|Alte|Alter|Neue|Neuer|Lange|Große|Kleine)\\s+)?[${UPPER}][${LOWER}]*(?:-[${UPPER}]?[${LOWER}]*)*(?:${STREET_END})\\s+\\d{1,4}\\s?[a-z]?(?:\\s?[-/]\\s?\\d{1,4})?\\b`,
      "gu",
    ),
  },
  { kind: "address", re: new RegExp(`\\b(?:Am|An der|Auf dem|Im|Zum|Zur)\\s+${WORD}\\s+\\d{1,4}\\s?[a-z]?\\b`, "gu") },
  // A postcode with its town.
  { kind: "place", re: new RegExp(`\\b\\d{5}\\s+${WORD}(?:\\s+(?:an der|am|im|in der)\\s+${WORD})?`, "gu") },
  // A town after a preposition, with an ending of German place names.
  { kind: "place", re: new RegExp(`\\b(?:in|aus|nach|bei|von)\\s+((?:Bad\\s+|Sankt\\s+|St\\.\\s+)?[${UPPER}][${LOWER}]*(?:${PLACE_END}))\\b`, "gu"), group: 1 },
  // Dates: 12.03.2026, 3.5.26, 2026-03-12, 12. März 2026, am 3. Mai, im März 2026.
  { kind: "date", re: /\b\d{1,2}\.\s?\d{1,2}\.(?:\s?\d{2,4})?(?!\d)/gu },
  { kind: "date", re: /\b\d{4}-\d{2}-\d{2}\b/gu },
  { kind: "date", re: new RegExp(`\\b\\d{1,2}\\.\\s?(?:${MONTHS})(?:\\s\\d{4})?`, "gu") },
  { kind: "date", re: new RegExp(`\\b(?:${MONTHS})\\s\\d{4}\\b`, "gu") },
  // A name after a form of address or a role: "Frau Yilmaz", "Bürgermeister Dr. Schmidt".
  { kind: "name", re: new RegExp(`\\b(?:${TITLES.join("|")})\\s+((?:Dr\\.\\s+)?${WORD}(?:\\s+${WORD})?)`, "gu"), group: 1 },
];

/** Every finding in a text, in order; overlapping ones reduced to the longest. */
export function findIdentifying(text: string): Finding[] {
  const found: Finding[] = [];
  for (const p of PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      const part = p.group ? m[p.group] : m[0];
      if (!part) continue;
      const start = (m.index ?? 0) + m[0].indexOf(part);
      found.push({ kind: p.kind, start, end: start + part.length, text: part });
    }
  }
  for (const n of findPhoneNumbersInText(text, "DE")) found.push({ kind: "phone", start: n.startsAt, end: n.endsAt, text: text.slice(n.startsAt, n.endsAt) });
  // A first name from the list, with the capitalised word after it (the family name) if there is one.
  for (const m of text.matchAll(new RegExp(`(?<![\\p{L}])(${WORD})(?:\\s+(${WORD}))?`, "gu"))) {
    if (!FIRST_NAMES.has(m[1].toLowerCase())) continue;
    const start = m.index ?? 0;
    found.push({ kind: "name", start, end: start + m[0].length, text: m[0] });
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Finding[] = [];
  for (const f of found) {
    const last = kept.at(-1);
    if (last && f.start < last.end) {
      if (f.end > last.end) kept[kept.length - 1] = { ...last, end: f.end, text: text.slice(last.start, f.end) };
      continue;
    }
    kept.push(f);
  }
  return kept;
}

/** The text in pieces, each finding marked, for the presenter to see where they are. */
export function markFindings(text: string, findings: readonly Finding[]): { text: string; kind: FindingKind | null }[] {
  const parts: { text: string; kind: FindingKind | null }[] = [];
  let at = 0;
  for (const f of findings) {
    if (f.start > at) parts.push({ text: text.slice(at, f.start), kind: null });
    parts.push({ text: text.slice(f.start, f.end), kind: f.kind });
    at = f.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), kind: null });
  return parts;
}
