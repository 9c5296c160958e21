CREATE TABLE "board_documents" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"meeting_on" date NOT NULL,
	"file_id" uuid NOT NULL,
	"added_by" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "board_documents_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "board_documents" ADD CONSTRAINT "board_documents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "board_documents_meeting" ON "board_documents" USING btree ("tenant_id","meeting_on");--> statement-breakpoint
ALTER TABLE "board_documents" ADD CONSTRAINT "board_documents_file_fk" FOREIGN KEY ("tenant_id", "file_id") REFERENCES "stored_files"("tenant_id", "id");--> statement-breakpoint
ALTER TABLE "board_documents" ADD CONSTRAINT "board_documents_title" CHECK (char_length("title") BETWEEN 1 AND 200);--> statement-breakpoint
SELECT komma_protect_tenant_table('board_documents', 'SELECT, INSERT, DELETE');
