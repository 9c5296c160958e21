/*
 * What of an error may reach a log. A failed query's message carries its SQL and parameters
 * (an e-mail address, a report's text), and PostgreSQL's own messages quote values ("invalid
 * input syntax for type uuid: …"). So database errors are logged by SQLSTATE and the names of
 * the objects involved only; other errors by class and message. Stacks lose their first line,
 * which repeats the message.
 */

interface DatabaseErrorFields {
  code?: unknown;
  severity?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
  routine?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

function databaseError(err: unknown): DatabaseErrorFields | null {
  for (let e = err as { cause?: unknown; code?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && SQLSTATE.test(e.code)) return e as DatabaseErrorFields;
  }
  return null;
}

function isQueryError(err: unknown): boolean {
  for (let e = err as { cause?: unknown; name?: unknown; query?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.name === "DrizzleQueryError" || typeof e.query === "string") return true;
  }
  return false;
}

export interface LoggableError {
  [key: string]: unknown;
  type: string;
  message: string;
  sqlstate?: string;
  table?: string;
  column?: string;
  constraint?: string;
  stack: string;
}

/** A log-safe description of an error: never query text, parameters or quoted values. */
export function loggableError(err: unknown): LoggableError {
  const e = (err ?? {}) as { name?: string; message?: string; stack?: string; constructor?: { name?: string } };
  const type = e.constructor?.name && e.constructor.name !== "Object" ? e.constructor.name : (e.name ?? "Error");
  const stack =
    typeof e.stack === "string"
      ? e.stack
          .split("\n")
          .filter((l) => /^\s+at /.test(l))
          .join("\n")
      : "";
  const db = databaseError(err);
  if (db || isQueryError(err)) {
    const name = (v: unknown) => (typeof v === "string" && /^[a-z_][a-z0-9_]*$/i.test(v) ? v : undefined);
    return {
      type,
      message: "database statement failed",
      ...(db && typeof db.code === "string" ? { sqlstate: db.code } : {}),
      ...(db && name(db.table) ? { table: name(db.table) } : {}),
      ...(db && name(db.column) ? { column: name(db.column) } : {}),
      ...(db && name(db.constraint) ? { constraint: name(db.constraint) } : {}),
      stack,
    };
  }
  return { type, message: String(e.message ?? "").slice(0, 300), stack };
}

/** SQLSTATE class 22 ("data exception"): the database refused a value, not its own state. */
export function isDataException(err: unknown): boolean {
  const code = databaseError(err)?.code;
  return typeof code === "string" && code.startsWith("22");
}
