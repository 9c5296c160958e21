-- A referral the office ended, or that ended with its case: partners see nothing from then on.
ALTER TABLE "case_referrals" DROP CONSTRAINT "case_referrals_status";--> statement-breakpoint
ALTER TABLE "case_referrals" ADD CONSTRAINT "case_referrals_status" CHECK ("status" IN ('awaiting_consent', 'no_consent', 'offered', 'accepted', 'declined', 'done', 'revoked', 'ended'));
