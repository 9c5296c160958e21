CREATE TABLE "alliance_responsibilities" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"stage" text NOT NULL,
	"form" text,
	"level" integer,
	"raci" text NOT NULL,
	"assignee_kind" text NOT NULL,
	"assignee_role" text,
	"partner_id" uuid,
	"user_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alliance_responsibilities_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "alliance_responsibilities" ADD CONSTRAINT "alliance_responsibilities_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_responsibilities" ADD CONSTRAINT "alliance_responsibilities_level" CHECK ("level" IS NULL OR "level" BETWEEN 0 AND 3);
--> statement-breakpoint
-- Exactly the assignee its kind names.
ALTER TABLE "alliance_responsibilities" ADD CONSTRAINT "alliance_responsibilities_assignee" CHECK (
  ("assignee_kind" = 'role' AND "assignee_role" IS NOT NULL AND "partner_id" IS NULL AND "user_id" IS NULL) OR
  ("assignee_kind" = 'partner' AND "partner_id" IS NOT NULL AND "assignee_role" IS NULL AND "user_id" IS NULL) OR
  ("assignee_kind" = 'person' AND "user_id" IS NOT NULL AND "assignee_role" IS NULL AND "partner_id" IS NULL));
--> statement-breakpoint
ALTER TABLE "alliance_responsibilities" ADD CONSTRAINT "alliance_responsibilities_partner_fk" FOREIGN KEY ("tenant_id", "partner_id") REFERENCES "alliance_partners"("tenant_id", "id");
--> statement-breakpoint
CREATE INDEX "alliance_responsibilities_stage" ON "alliance_responsibilities" ("tenant_id", "stage");
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_responsibilities', 'SELECT, INSERT, DELETE');
