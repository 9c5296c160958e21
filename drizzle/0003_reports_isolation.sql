SELECT komma_protect_tenant_table('case_sequences');
--> statement-breakpoint
SELECT komma_protect_tenant_table('reports');
--> statement-breakpoint
SELECT komma_protect_tenant_table('report_contacts');
--> statement-breakpoint
SELECT komma_protect_tenant_table('report_drafts');
--> statement-breakpoint
SELECT komma_protect_tenant_table('evidence');
--> statement-breakpoint
SELECT komma_protect_tenant_table('evidence_blobs');
--> statement-breakpoint
SELECT komma_protect_tenant_table('report_messages');
--> statement-breakpoint
ALTER TABLE report_contacts ADD CONSTRAINT report_contacts_report_fk FOREIGN KEY (tenant_id, report_id) REFERENCES reports (tenant_id, id);
--> statement-breakpoint
ALTER TABLE evidence ADD CONSTRAINT evidence_report_fk FOREIGN KEY (tenant_id, report_id) REFERENCES reports (tenant_id, id);
--> statement-breakpoint
ALTER TABLE evidence_blobs ADD CONSTRAINT evidence_blobs_evidence_fk FOREIGN KEY (tenant_id, evidence_id) REFERENCES evidence (tenant_id, id) ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE report_messages ADD CONSTRAINT report_messages_report_fk FOREIGN KEY (tenant_id, report_id) REFERENCES reports (tenant_id, id);
