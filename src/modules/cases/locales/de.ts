export const casesDe = {
  cases: {
    assignee: "Federführung",
    unassigned: "Niemand",
    assignHeading: "Übernehmen und übergeben",
    assignLabel: "Fall übergeben an",
    assignHint: "Die federführende Person kann den Fall weitergeben. Solange niemand ihn führt, kann jede:r in der Clearingstelle ihn übernehmen.",
    takeOver: "Fall übernehmen",
    save: "Übergeben",
    release: "Federführung abgeben",
    assigned: "Der Fall {{caseNumber}} wird jetzt von {{name}} geführt.",
    released: "Der Fall {{caseNumber}} wird von niemandem mehr geführt.",
    notAnOfficer: "Bitte wählen Sie eine Person der Clearingstelle.",
    ledByColleague: "Den Fall führt {{name}}. Nur sie oder er kann ihn weitergeben.",
  },
};
export type CaseStrings = typeof casesDe;
