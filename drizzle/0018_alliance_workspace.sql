CREATE TABLE "alliance_attendance" (
	"tenant_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text NOT NULL,
	CONSTRAINT "alliance_attendance_tenant_id_meeting_id_user_id_pk" PRIMARY KEY("tenant_id","meeting_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "alliance_circle_members" (
	"tenant_id" uuid NOT NULL,
	"circle" text NOT NULL,
	"user_id" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alliance_circle_members_tenant_id_circle_user_id_pk" PRIMARY KEY("tenant_id","circle","user_id")
);
--> statement-breakpoint
CREATE TABLE "alliance_decisions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"text" text NOT NULL,
	"owner_id" uuid,
	"due" date,
	"done" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alliance_decisions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "alliance_meetings" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"circle" text NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text DEFAULT '' NOT NULL,
	"link" text,
	"agenda" text,
	"minutes" text,
	"sequence" integer DEFAULT 0 NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alliance_meetings_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "alliance_partner_accounts" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alliance_partner_accounts_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "alliance_attendance" ADD CONSTRAINT "alliance_attendance_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_circle_members" ADD CONSTRAINT "alliance_circle_members_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_decisions" ADD CONSTRAINT "alliance_decisions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_meetings" ADD CONSTRAINT "alliance_meetings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_partner_accounts" ADD CONSTRAINT "alliance_partner_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_partner_accounts" ADD CONSTRAINT "alliance_partner_accounts_partner_fk" FOREIGN KEY ("tenant_id", "partner_id") REFERENCES "alliance_partners"("tenant_id", "id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "alliance_partner_accounts" ADD CONSTRAINT "alliance_partner_accounts_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
--> statement-breakpoint
ALTER TABLE "alliance_circle_members" ADD CONSTRAINT "alliance_circle_members_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"("id");
--> statement-breakpoint
ALTER TABLE "alliance_attendance" ADD CONSTRAINT "alliance_attendance_meeting_fk" FOREIGN KEY ("tenant_id", "meeting_id") REFERENCES "alliance_meetings"("tenant_id", "id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "alliance_decisions" ADD CONSTRAINT "alliance_decisions_meeting_fk" FOREIGN KEY ("tenant_id", "meeting_id") REFERENCES "alliance_meetings"("tenant_id", "id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "alliance_meetings" ADD CONSTRAINT "alliance_meetings_time" CHECK ("ends_at" > "starts_at");
--> statement-breakpoint
CREATE INDEX "alliance_meetings_circle" ON "alliance_meetings" ("tenant_id", "circle", "starts_at");
--> statement-breakpoint
CREATE INDEX "alliance_decisions_meeting" ON "alliance_decisions" ("tenant_id", "meeting_id");
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_partner_accounts', 'SELECT, INSERT, DELETE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_circle_members', 'SELECT, INSERT, DELETE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_meetings');
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_attendance');
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_decisions');
