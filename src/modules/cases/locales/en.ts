import type { CaseStrings } from "./de.ts";

export const casesEn: CaseStrings = {
  cases: {
    assignee: "Lead",
    unassigned: "Nobody",
    assignHeading: "Take on and hand over",
    assignLabel: "Hand the case to",
    assignHint: "The person leading the case can hand it on. While nobody leads it, anyone in the clearing office can take it on.",
    takeOver: "Take on the case",
    save: "Hand over",
    release: "Give up the lead",
    assigned: "Case {{caseNumber}} is now led by {{name}}.",
    released: "Nobody leads case {{caseNumber}} any more.",
    notAnOfficer: "Please choose a person of the clearing office.",
    ledByColleague: "{{name}} leads this case. Only they can hand it on.",
  },
};
