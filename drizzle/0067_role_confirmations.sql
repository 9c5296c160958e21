-- A role that opens every case (the clearing office's) is given once a second person confirms it: the open requests,
-- and for an invitation the roles that wait for that once it is accepted.
CREATE TABLE "role_confirmations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	CONSTRAINT "role_confirmations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "role_confirmations_once" UNIQUE("tenant_id","user_id","role")
);
--> statement-breakpoint
ALTER TABLE "invitations" ADD COLUMN "roles_asked" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "role_confirmations" ADD CONSTRAINT "role_confirmations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_confirmations" ADD CONSTRAINT "role_confirmations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_confirmations" ADD CONSTRAINT "role_confirmations_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Tenant-scoped like the memberships it leads to: row-level security, the app's grants (a request goes when decided).
SELECT komma_protect_tenant_table('role_confirmations', 'SELECT, INSERT, DELETE');
