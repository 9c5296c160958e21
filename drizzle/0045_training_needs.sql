CREATE TABLE "training_needs_counts" (
	"tenant_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"area" text NOT NULL,
	"role" text NOT NULL,
	"question" text NOT NULL,
	"option" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "training_needs_counts_tenant_id_round_id_area_role_question_option_pk" PRIMARY KEY("tenant_id","round_id","area","role","question","option")
);
--> statement-breakpoint
CREATE TABLE "training_needs_respondents" (
	"tenant_id" uuid NOT NULL,
	"round_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "training_needs_respondents_tenant_id_round_id_user_id_pk" PRIMARY KEY("tenant_id","round_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "training_needs_rounds" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"responses" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_needs_rounds_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "training_needs_counts" ADD CONSTRAINT "training_needs_counts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_needs_respondents" ADD CONSTRAINT "training_needs_respondents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_needs_respondents" ADD CONSTRAINT "training_needs_respondents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_needs_rounds" ADD CONSTRAINT "training_needs_rounds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_needs_rounds" ADD CONSTRAINT "training_needs_rounds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "training_needs_rounds_id" ON "training_needs_rounds" USING btree ("id");--> statement-breakpoint
ALTER TABLE "training_needs_counts" ADD CONSTRAINT "training_needs_counts_round_fk" FOREIGN KEY ("tenant_id","round_id") REFERENCES "public"."training_needs_rounds"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "training_needs_respondents" ADD CONSTRAINT "training_needs_respondents_round_fk" FOREIGN KEY ("tenant_id","round_id") REFERENCES "public"."training_needs_rounds"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "training_needs_rounds" ADD CONSTRAINT "training_needs_rounds_shape" CHECK ("responses" >= 0 AND char_length("title") BETWEEN 3 AND 200);
--> statement-breakpoint
ALTER TABLE "training_needs_counts" ADD CONSTRAINT "training_needs_counts_count" CHECK ("count" >= 0);
--> statement-breakpoint
SELECT komma_protect_tenant_table('training_needs_rounds', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
-- Answers only count up: no row per answer, nothing to delete.
SELECT komma_protect_tenant_table('training_needs_counts', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('training_needs_respondents', 'SELECT, INSERT');
