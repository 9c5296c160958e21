ALTER TABLE "case_referrals" ADD COLUMN "legal_basis" text;--> statement-breakpoint
ALTER TABLE "case_referrals" ADD COLUMN "exception_reason" text;--> statement-breakpoint
ALTER TABLE "case_referrals" ADD COLUMN "released_by" uuid;--> statement-breakpoint
ALTER TABLE "case_referrals" ADD COLUMN "released_at" timestamp with time zone;--> statement-breakpoint
-- A referral under a legal exception waits for a second officer's release; partners see nothing before.
ALTER TABLE "case_referrals" DROP CONSTRAINT "case_referrals_status";--> statement-breakpoint
ALTER TABLE "case_referrals" ADD CONSTRAINT "case_referrals_status" CHECK ("status" IN ('awaiting_consent', 'awaiting_release', 'no_consent', 'offered', 'accepted', 'declined', 'done', 'revoked', 'ended'));--> statement-breakpoint
ALTER TABLE "case_referrals" ADD CONSTRAINT "case_referrals_exception" CHECK (
  "legal_basis" IS NULL OR ("legal_basis" IN ('vital_interests', 'necessity', 'child_protection', 'legal_obligation') AND "exception_reason" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "case_referrals" ADD CONSTRAINT "case_referrals_release" CHECK ("released_at" IS NULL OR ("released_by" IS NOT NULL AND "released_by" <> "created_by"));
