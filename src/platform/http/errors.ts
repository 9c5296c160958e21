import { z } from "zod";

/*
 * One catalogue of errors with stable codes. The API answers them as RFC 9457 problem
 * documents (`type` points at the code's entry in /api/docs); pages show friendly text.
 */
export const PROBLEMS = {
  validation_failed: { status: 400, title: "The request contains invalid values." },
  bad_request: { status: 400, title: "The request could not be read." },
  unauthenticated: { status: 401, title: "Sign-in required." },
  csrf_failed: { status: 403, title: "The form was not sent from this site or has expired." },
  forbidden: { status: 403, title: "Not allowed." },
  not_found: { status: 404, title: "Not found." },
  method_not_allowed: { status: 405, title: "Method not allowed." },
  conflict: { status: 409, title: "The request conflicts with the current state." },
  payload_too_large: { status: 413, title: "The request is too large." },
  unsupported_media_type: { status: 415, title: "Unsupported media type." },
  rate_limited: { status: 429, title: "Too many requests. Try again later." },
  internal: { status: 500, title: "Internal error." },
  unavailable: { status: 503, title: "Service unavailable." },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export class AppError extends Error {
  readonly code: ProblemCode;
  readonly detail?: string;
  readonly errors?: Record<string, string>;
  /** For a refusal: which rule refused what, so that it is audited in that tenant (like NotFoundError's). */
  denial?: { policy: string; action: string; tenantId: string | null };
  /** For a refusal over a limit: when to try again (the answer's `Retry-After`). */
  retryAfterSeconds?: number;
  constructor(code: ProblemCode, detail?: string, errors?: Record<string, string>) {
    super(detail ?? PROBLEMS[code].title);
    this.code = code;
    this.detail = detail;
    this.errors = errors;
  }

  /** 403 for an action a rule refused on a record the actor may see; the refusal is audited. */
  static refused(denial: { policy: string; action: string; tenantId: string | null }): AppError {
    const err = new AppError("forbidden");
    err.denial = denial;
    return err;
  }
  /** 429 for a client over its limit, with when to try again. */
  static rateLimited(retryAfterSeconds: number): AppError {
    const err = new AppError("rate_limited");
    err.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return err;
  }
  get status(): number {
    return PROBLEMS[this.code].status;
  }
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  instance?: string;
  /** Field (JSON pointer without the leading slash, e.g. "email") → message. */
  errors?: Record<string, string>;
}

/**
 * An RFC 9457 problem. `title`: the problem type's summary in the request's language (default: the
 * catalogue's English one); the `code` is what programs read.
 */
export function problem(
  code: ProblemCode,
  opts: { detail?: string; instance?: string; errors?: Record<string, string>; baseUrl: string; title?: string },
): ProblemDocument {
  return {
    type: `${opts.baseUrl}/api/docs#problem-${code}`,
    title: opts.title ?? PROBLEMS[code].title,
    status: PROBLEMS[code].status,
    code,
    ...(opts.detail ? { detail: opts.detail } : {}),
    ...(opts.instance ? { instance: opts.instance } : {}),
    ...(opts.errors ? { errors: opts.errors } : {}),
  };
}

/**
 * Field → first message, from zod issues (a ZodError's, or those Fastify's schema validation
 * reports). Schemas give i18n keys ("errors.required") as messages; anything else (zod's own
 * wording) becomes the generic "errors.invalid".
 */
export function fieldErrors(
  error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] },
  t: (key: string) => string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_";
    out[key] ??= t(issue.message.startsWith("errors.") ? issue.message : "errors.invalid");
  }
  return out;
}

const PROBLEM_CODES = Object.keys(PROBLEMS) as [ProblemCode, ...ProblemCode[]];

/** The problem document as a zod schema, for the OpenAPI description of error responses. */
export const problemSchema = z
  .object({
    type: z.string().meta({ description: "Link to the code's entry in /api/docs" }),
    title: z.string().meta({ description: "The problem type's summary, in the language asked for with Accept-Language (German unless English is asked)" }),
    status: z.int().min(400).max(599),
    code: z.enum(PROBLEM_CODES).meta({ description: "Stable code from the catalogue; the title may change, the code does not" }),
    detail: z.string().optional(),
    instance: z.string().optional().meta({ description: "Path of the request, without query string" }),
    errors: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: 'Field (dotted path, e.g. "urls.0.url") → message in the language of the request' }),
  })
  .meta({ description: "RFC 9457 problem document" });

type ProblemStatus = (typeof PROBLEMS)[ProblemCode]["status"];
type ProblemResponse = { description: string; content: { "application/problem+json": { schema: typeof problemSchema } } };

/**
 * Response declarations for the given error statuses, for a route's `schema.response`: each is
 * a problem document sent as application/problem+json, described by the catalogue's codes for
 * that status, so the OpenAPI document and the catalogue cannot disagree.
 */
export function problemResponses<const S extends ProblemStatus>(...statuses: S[]): Record<S, ProblemResponse> {
  const out = {} as Record<S, ProblemResponse>;
  for (const status of statuses) {
    const codes = PROBLEM_CODES.filter((c) => PROBLEMS[c].status === status);
    out[status] = {
      description: codes.map((c) => `\`${c}\`: ${PROBLEMS[c].title}`).join(" "),
      content: { "application/problem+json": { schema: problemSchema } },
    };
  }
  return out;
}
