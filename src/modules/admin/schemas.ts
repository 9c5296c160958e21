import { z } from "zod";
import { ROLES } from "../../platform/authz/policy.ts";
import { CONTROL_CHARACTERS_MESSAGE, singleLine, withoutControlCharacters } from "../../platform/validation.ts";
import { LAENDER_CODES, type LandCode } from "../../platform/vocabulary.ts";

export { LAENDER, type LandCode } from "../../platform/vocabulary.ts";

export const tenantInput = z
  .object({
    name: z.string().trim().min(2, "errors.tenant.nameRequired").max(120, "errors.tooLong").refine(singleLine, CONTROL_CHARACTERS_MESSAGE),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .min(2, "errors.tenant.slugInvalid")
      .max(60, "errors.tenant.slugInvalid")
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "errors.tenant.slugInvalid"),
    ags: z
      .string()
      .trim()
      .regex(/^[0-9]{8}$/, "errors.tenant.agsInvalid"),
    land: z.enum(LAENDER_CODES as [LandCode, ...LandCode[]], "errors.tenant.landRequired"),
    kind: z.enum(["model", "platform"], "errors.tenant.kindRequired"),
  })
  .superRefine((v, ctx) => {
    // The AGS begins with the Land's two-digit code, so the two must agree.
    if (/^[0-9]{8}$/.test(v.ags) && v.ags.slice(0, 2) !== v.land) {
      ctx.addIssue({ code: "custom", path: ["ags"], message: "errors.tenant.agsLand" });
    }
  });
export type TenantInput = z.infer<typeof tenantInput>;

export const roleList = z.preprocess(
  (v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]),
  z.array(z.enum(ROLES, "errors.roleInvalid")).max(ROLES.length),
);

// In the form's order (the error summary follows it); the address is someone else's.
export const invitationInput = z.object({
  displayName: z.string().trim().min(2, "errors.nameRequired").max(120, "errors.tooLong").refine(singleLine, CONTROL_CHARACTERS_MESSAGE),
  email: z.string().trim().toLowerCase().min(1, "errors.theirEmailRequired").max(254, "errors.emailInvalid").pipe(z.email("errors.emailInvalid")),
  roles: roleList.refine((r) => r.length > 0, "errors.rolesRequired"),
});
export type InvitationInput = z.infer<typeof invitationInput>;

export const rolesInput = z.object({ roles: roleList });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "errors.tooLong")
    .refine(singleLine, CONTROL_CHARACTERS_MESSAGE)
    .transform((v) => v || null);

/**
 * A legal text: plain text, paragraphs separated by an empty line, no HTML (it is shown
 * escaped). Line endings are normalised; empty means "not filled in yet" (the default shows).
 */
export const legalText = z
  .string()
  .max(30_000, "errors.tooLong")
  .refine(withoutControlCharacters, CONTROL_CHARACTERS_MESSAGE)
  .transform((v) => v.replace(/\r\n?/g, "\n").trim() || null);

export const settingsInput = z.object({
  contactPhone: optionalText(40).refine((v) => v === null || /^[+0-9 ()/-]{5,}$/.test(v), "errors.report.phone"),
  contactEmail: optionalText(254).refine((v) => v === null || z.email().safeParse(v).success, "errors.emailInvalid"),
  contactHours: optionalText(200),
  privacyNotice: legalText,
});
export type SettingsInput = z.infer<typeof settingsInput>;

/** The installation's Impressum and Datenschutzerklärung, set by national admins. */
export const siteTextsInput = z.object({ imprint: legalText, privacyNotice: legalText });
export type SiteTextsInput = z.infer<typeof siteTextsInput>;

/**
 * Why a second factor was reset: a choice, not free text. The audit log is append-only and kept
 * for years, so it takes categories, never sentences that could name people or their health.
 */
export const RESET_REASONS = ["lost_device", "new_device", "suspected_misuse", "other"] as const;
export type ResetReason = (typeof RESET_REASONS)[number];

/** Resetting a person's second factor: a reason from the list, and the identity checked. */
export const resetInput = z.object({
  reason: z.enum(RESET_REASONS, "errors.resetReasonRequired"),
  confirmed: z.literal(true, "errors.resetConfirmRequired"),
});
