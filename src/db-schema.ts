// Every table of the platform and its modules, for drizzle-kit and typed queries.

export * from "./modules/alliance/schema.ts";
export * from "./modules/cases/schema.ts";
export * from "./modules/knowledge/schema.ts";
export * from "./modules/monitoring/schema.ts";
export * from "./modules/reports/schema.ts";
export * from "./modules/trainings/schema.ts";
export * from "./platform/db/schema.ts";
