CREATE TABLE "training_coaching_messages" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_coaching_messages_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "training_coaching_requests" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"requester_id" uuid NOT NULL,
	"requester_tenant_id" uuid NOT NULL,
	"route" text NOT NULL,
	"topic" text NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"body" text NOT NULL,
	"contact" text NOT NULL,
	"coach_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"taken_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "training_coaching_requests_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "training_coaching_messages" ADD CONSTRAINT "training_coaching_messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_coaching_messages" ADD CONSTRAINT "training_coaching_messages_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_coaching_requests" ADD CONSTRAINT "training_coaching_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_coaching_requests" ADD CONSTRAINT "training_coaching_requests_requester_id_users_id_fk" FOREIGN KEY ("requester_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_coaching_requests" ADD CONSTRAINT "training_coaching_requests_requester_tenant_id_tenants_id_fk" FOREIGN KEY ("requester_tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_coaching_requests" ADD CONSTRAINT "training_coaching_requests_coach_id_users_id_fk" FOREIGN KEY ("coach_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "training_coaching_messages_request" ON "training_coaching_messages" USING btree ("tenant_id","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_coaching_requests_id" ON "training_coaching_requests" USING btree ("id");--> statement-breakpoint
CREATE INDEX "training_coaching_requester" ON "training_coaching_requests" USING btree ("requester_id");--> statement-breakpoint
ALTER TABLE "training_coaching_messages" ADD CONSTRAINT "training_coaching_messages_request_fk" FOREIGN KEY ("tenant_id","request_id") REFERENCES "public"."training_coaching_requests"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "training_coaching_requests" ADD CONSTRAINT "training_coaching_requests_shape" CHECK (
  "route" IN ('national', 'local') AND "status" IN ('open', 'taken', 'done', 'withdrawn')
  AND ("status" = 'open' OR "status" = 'withdrawn' OR "coach_id" IS NOT NULL));
--> statement-breakpoint
SELECT komma_protect_tenant_table('training_coaching_requests', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('training_coaching_messages', 'SELECT, INSERT');
