/* How the trainings' forms take text: as typed, without control and format characters, trimmed. */

/** Free text: line breaks stay (a Windows or old Mac line end becomes one). */
export const cleanText = (s: string) =>
  s
    .replace(/\r\n?/g, "\n")
    .replace(/[^\P{Cc}\n]|\p{Cf}/gu, "")
    .trim();

/** One line: every run of white space (line breaks included) becomes one space. */
export const cleanLine = (s: string) => cleanText(s).replace(/\s+/g, " ");
