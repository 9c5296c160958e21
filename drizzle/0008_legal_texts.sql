ALTER TABLE "tenants" ADD COLUMN "imprint" text;--> statement-breakpoint
ALTER TABLE "tenants" ADD COLUMN "privacy_notice" text;