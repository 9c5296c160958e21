import type { ReportStrings } from "./de.ts";
import { reportsEn } from "./en.ts";

export const reportsRu: ReportStrings = reportsEn;
