import type { ModuleManifest } from "../../platform/module.ts";
import { libraryPolicy, practicePolicy } from "./policy.ts";

export { practiceAdopted, practiceFeedbackGiven, practicePublished } from "./events.ts";

/**
 * Strategie & Wissen: the good-practice library (written, reviewed, published, adopted, given
 * feedback, searched in German). Its pages, strategy concepts, self-assessment and participation
 * follow; the library's commands and search stand (library.ts, search.ts).
 */
export const knowledgeModule: ModuleManifest = {
  name: "knowledge",
  register() {},
  policies: [practicePolicy, libraryPolicy],
};
