import { z } from "zod";
import { defineEvent } from "../../platform/events/events.ts";

/**
 * An account now acts for a partner organisation: it reads what is referred there. Carries the
 * organisation's name (not a person's) so that a subscriber can say which one without reading
 * this module's tables.
 */
export const partnerAccountLinked = defineEvent(
  "alliance.partner_account_linked",
  z.object({ partnerId: z.uuid(), partnerName: z.string(), userId: z.uuid() }),
);
export type PartnerAccountLinked = z.infer<typeof partnerAccountLinked.schema>;

/** An account no longer acts for a partner organisation; `remaining`: how many still do. */
export const partnerAccountUnlinked = defineEvent(
  "alliance.partner_account_unlinked",
  z.object({ partnerId: z.uuid(), partnerName: z.string(), userId: z.uuid(), remaining: z.number().int().min(0) }),
);
export type PartnerAccountUnlinked = z.infer<typeof partnerAccountUnlinked.schema>;
