CREATE TABLE "training_counsel_members" (
	"tenant_id" uuid NOT NULL,
	"room_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"home_tenant_id" uuid NOT NULL,
	"role" text,
	"joined_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_counsel_members_tenant_id_room_id_user_id_pk" PRIMARY KEY("tenant_id","room_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "training_counsel_notes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"room_id" uuid NOT NULL,
	"phase" text NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_counsel_notes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "training_counsel_rooms" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"token_hash" text NOT NULL,
	"host_id" uuid NOT NULL,
	"phase" text DEFAULT 'casting' NOT NULL,
	"phase_started_at" timestamp with time zone NOT NULL,
	"method" text,
	"case_text" text,
	"key_question" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_counsel_rooms_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "training_counsel_members" ADD CONSTRAINT "training_counsel_members_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_counsel_members" ADD CONSTRAINT "training_counsel_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_counsel_members" ADD CONSTRAINT "training_counsel_members_home_tenant_id_tenants_id_fk" FOREIGN KEY ("home_tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_counsel_notes" ADD CONSTRAINT "training_counsel_notes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_counsel_notes" ADD CONSTRAINT "training_counsel_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_counsel_rooms" ADD CONSTRAINT "training_counsel_rooms_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_counsel_rooms" ADD CONSTRAINT "training_counsel_rooms_host_id_users_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "training_counsel_members_user" ON "training_counsel_members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "training_counsel_notes_room" ON "training_counsel_notes" USING btree ("tenant_id","room_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_counsel_rooms_id" ON "training_counsel_rooms" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_counsel_rooms_token" ON "training_counsel_rooms" USING btree ("token_hash");--> statement-breakpoint
ALTER TABLE "training_counsel_members" ADD CONSTRAINT "training_counsel_members_room_fk" FOREIGN KEY ("tenant_id","room_id") REFERENCES "public"."training_counsel_rooms"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "training_counsel_notes" ADD CONSTRAINT "training_counsel_notes_room_fk" FOREIGN KEY ("tenant_id","room_id") REFERENCES "public"."training_counsel_rooms"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "training_counsel_rooms" ADD CONSTRAINT "training_counsel_rooms_shape" CHECK (
  char_length("title") BETWEEN 3 AND 200
  AND "phase" IN ('casting', 'account', 'key_question', 'method', 'consultation', 'closing', 'ended'));
--> statement-breakpoint
ALTER TABLE "training_counsel_members" ADD CONSTRAINT "training_counsel_members_role" CHECK ("role" IS NULL OR "role" IN ('presenter', 'moderator', 'consultant', 'notetaker'));
--> statement-breakpoint
SELECT komma_protect_tenant_table('training_counsel_rooms', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('training_counsel_members', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('training_counsel_notes', 'SELECT, INSERT');
