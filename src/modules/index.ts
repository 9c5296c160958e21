import { platformSealedColumns, type SealedColumn } from "../platform/crypto/rotate.ts";
import type { ModuleManifest } from "../platform/module.ts";
import { adminModule } from "./admin/index.ts";
import { allianceModule } from "./alliance/index.ts";
import { casesModule } from "./cases/index.ts";
import { knowledgeModule } from "./knowledge/index.ts";
import { monitoringModule } from "./monitoring/index.ts";
import { reportsModule } from "./reports/index.ts";
import { siteModule } from "./site/index.ts";
import { trainingsModule } from "./trainings/index.ts";

/** The modules of this installation, in navigation order. */
export const modules: ModuleManifest[] = [
  siteModule,
  reportsModule,
  casesModule,
  allianceModule,
  knowledgeModule,
  trainingsModule,
  monitoringModule,
  adminModule,
];

/** Every sealed column of the platform and its modules: what key rotation re-seals. */
export function allSealedColumns(): SealedColumn[] {
  return [...platformSealedColumns, ...modules.flatMap((m) => m.sealedColumns ?? [])];
}
