// Every table of the platform and its modules, for drizzle-kit and typed queries.
export * from "./platform/db/schema.ts";
