-- The application works as komma_app: not the owner of any table, no BYPASSRLS.
-- Roles are cluster-wide, hence IF NOT EXISTS.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'komma_app') THEN
    CREATE ROLE komma_app NOLOGIN NOBYPASSRLS;
  END IF;
END
$$;
--> statement-breakpoint
-- A non-superuser owner must be a member of komma_app to SET ROLE to it. Where a database
-- administrator made it one already (deploy/postgresql-roles.sql), there is nothing to grant.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, 'komma_app', 'MEMBER') THEN
    EXECUTE format('GRANT komma_app TO %I', current_user);
  END IF;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO komma_app;
--> statement-breakpoint
CREATE COLLATION IF NOT EXISTS german (provider = icu, locale = 'de-DE');
--> statement-breakpoint
-- The current tenant of a transaction, or NULL when none is set (then tenant tables show nothing).
CREATE OR REPLACE FUNCTION komma_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION komma_current_user() RETURNS uuid
  LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
--> statement-breakpoint
-- Every tenant-scoped table goes through this: RLS enabled and forced, one policy on the
-- current tenant, and the grants komma_app needs. Module migrations call it for their tables.
CREATE OR REPLACE FUNCTION komma_protect_tenant_table(tbl regclass, privileges text DEFAULT 'SELECT, INSERT, UPDATE, DELETE')
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format(
    'CREATE POLICY tenant_isolation ON %s USING (tenant_id = komma_current_tenant()) WITH CHECK (tenant_id = komma_current_tenant())',
    tbl);
  EXECUTE format('GRANT %s ON %s TO komma_app', privileges, tbl);
END
$$;
--> statement-breakpoint
SELECT komma_protect_tenant_table('memberships');
--> statement-breakpoint
-- A person may also see their own memberships in every tenant (to choose where to work).
CREATE POLICY own_memberships ON memberships FOR SELECT USING (user_id = komma_current_user());
--> statement-breakpoint
SELECT komma_protect_tenant_table('audit_log', 'SELECT, INSERT');
--> statement-breakpoint
SELECT komma_protect_tenant_table('audit_heads', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('tenant_keys', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
-- The audit log is append-only, for its owner too; a change needs the trigger disabled first,
-- which `komma audit verify` then detects through the hash chain.
CREATE OR REPLACE FUNCTION komma_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION komma_audit_append_only();
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON tenants TO komma_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON users, sessions, recovery_codes, sign_in_throttle, user_tokens, api_tokens, mail_outbox TO komma_app;
--> statement-breakpoint
GRANT INSERT ON accessibility_feedback TO komma_app;
--> statement-breakpoint
GRANT DELETE ON sessions, recovery_codes, sign_in_throttle TO komma_app;
