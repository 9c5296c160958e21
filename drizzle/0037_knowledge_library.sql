CREATE TABLE "knowledge_adoptions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"origin_tenant_id" uuid NOT NULL,
	"origin_id" uuid NOT NULL,
	"origin_version" integer NOT NULL,
	"copy_id" uuid NOT NULL,
	"adopted_by" uuid,
	"adopted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "knowledge_adoptions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_feedback" (
	"tenant_id" uuid NOT NULL,
	"origin_id" uuid NOT NULL,
	"origin_tenant_id" uuid NOT NULL,
	"score" integer NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"given_by" uuid,
	"given_at" timestamp with time zone NOT NULL,
	CONSTRAINT "knowledge_feedback_tenant_id_origin_id_pk" PRIMARY KEY("tenant_id","origin_id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_practices" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"body" text NOT NULL,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"dimensions" text[] DEFAULT '{}' NOT NULL,
	"modules" text[] DEFAULT '{}' NOT NULL,
	"visibility" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"published_version" integer,
	"origin_id" uuid,
	"origin_version" integer,
	"review_note" text,
	"created_by" uuid,
	"reviewed_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "knowledge_practices_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "knowledge_adoptions" ADD CONSTRAINT "knowledge_adoptions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_adoptions" ADD CONSTRAINT "knowledge_adoptions_origin_tenant_id_tenants_id_fk" FOREIGN KEY ("origin_tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_adoptions" ADD CONSTRAINT "knowledge_adoptions_adopted_by_users_id_fk" FOREIGN KEY ("adopted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_feedback" ADD CONSTRAINT "knowledge_feedback_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_feedback" ADD CONSTRAINT "knowledge_feedback_origin_tenant_id_tenants_id_fk" FOREIGN KEY ("origin_tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_feedback" ADD CONSTRAINT "knowledge_feedback_given_by_users_id_fk" FOREIGN KEY ("given_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_practices" ADD CONSTRAINT "knowledge_practices_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_practices" ADD CONSTRAINT "knowledge_practices_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_practices" ADD CONSTRAINT "knowledge_practices_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_adoptions_once" ON "knowledge_adoptions" USING btree ("tenant_id","origin_id");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_practices_id" ON "knowledge_practices" USING btree ("id");--> statement-breakpoint
-- Typo tolerance for short searches (a trusted extension: the database's owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- German text as typed without umlauts (ä → ae), ß as ss, lower case: "Bürger" and "Buerger",
-- "Straße" and "Strasse" become one word.
CREATE OR REPLACE FUNCTION komma_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT replace(replace(replace(replace(lower(t), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss') $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION komma_join_words(words text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT array_to_string(words, ' ') $$;
--> statement-breakpoint
-- A German text's words for the search: as written and folded (see below).
CREATE OR REPLACE FUNCTION komma_german_words(t text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT to_tsvector('german'::regconfig, t) || to_tsvector('german'::regconfig, komma_fold(t)) $$;
--> statement-breakpoint
-- The library's search reads a table of its own: the published practices of the network and the public,
-- kept by a trigger. Row-level security on the practices would keep PostgreSQL from answering `@@` from
-- an index (the operator is not leakproof, so it must wait for the policies): every search would read
-- every practice. What this table holds is what every signed-in person may read anyway; who may see a
-- network practice (someone working in a municipality) is the policy below, checked by the code too.
CREATE TABLE "knowledge_search" (
  "practice_id" uuid PRIMARY KEY,
  "tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
  "visibility" text NOT NULL CHECK ("visibility" IN ('public', 'network')),
  "kind" text NOT NULL,
  "title" text NOT NULL,
  "summary" text NOT NULL,
  "body" text NOT NULL,
  "tags" text[] NOT NULL,
  "dimensions" text[] NOT NULL,
  "published_at" timestamp with time zone NOT NULL,
  -- What the search reads, weighted: the title before the tags before the summary before the body; each
  -- as written and folded (umlauts as ae/oe/ue, ß as ss), so that a query typed either way finds it —
  -- the stemmer turns "Anträge" into "antrag" and "Antraege" into "antraeg": both are in the vector.
  "search" tsvector GENERATED ALWAYS AS (
    setweight(komma_german_words("title"), 'A') ||
    setweight(komma_german_words(komma_join_words("tags")), 'B') ||
    setweight(komma_german_words("summary"), 'C') ||
    setweight(komma_german_words("body"), 'D')) STORED,
  FOREIGN KEY ("tenant_id", "practice_id") REFERENCES "knowledge_practices"("tenant_id", "id") ON DELETE CASCADE
);
--> statement-breakpoint
COMMENT ON TABLE "knowledge_search" IS 'derived: kept from knowledge_practices by a trigger; not in backups';
--> statement-breakpoint
CREATE INDEX "knowledge_search_search" ON "knowledge_search" USING gin ("search");
--> statement-breakpoint
CREATE INDEX "knowledge_search_title_trgm" ON "knowledge_search" USING gin (komma_fold("title") gin_trgm_ops);
--> statement-breakpoint
CREATE INDEX "knowledge_search_published" ON "knowledge_search" ("published_at" DESC);
--> statement-breakpoint
ALTER TABLE "knowledge_search" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "knowledge_search" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Written only in the practice's own tenant (by the trigger, in the transaction that changed the practice).
CREATE POLICY "tenant_isolation" ON "knowledge_search" USING ("tenant_id" = komma_current_tenant()) WITH CHECK ("tenant_id" = komma_current_tenant());
--> statement-breakpoint
-- Read by everyone: it holds published practices only. (A constant policy leaves `@@` to the index; the
-- search asks for visibility = 'public' when nobody is signed in, and the practice's page checks again.)
CREATE POLICY "published_read" ON "knowledge_search" FOR SELECT USING (true);
--> statement-breakpoint
-- The application reads it; only the trigger (as the owner, still under the policies above) writes it.
GRANT SELECT ON "knowledge_search" TO komma_app;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION komma_knowledge_search_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM knowledge_search WHERE practice_id = OLD.id AND tenant_id = OLD.tenant_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' AND NEW.visibility IN ('public', 'network') THEN
    INSERT INTO knowledge_search (practice_id, tenant_id, visibility, kind, title, summary, body, tags, dimensions, published_at)
    VALUES (NEW.id, NEW.tenant_id, NEW.visibility, NEW.kind, NEW.title, NEW.summary, NEW.body, NEW.tags, NEW.dimensions,
            coalesce(NEW.published_at, NEW.updated_at));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER knowledge_search_sync AFTER INSERT OR UPDATE OR DELETE ON knowledge_practices
  FOR EACH ROW EXECUTE FUNCTION komma_knowledge_search_sync();
--> statement-breakpoint
CREATE INDEX "knowledge_practices_published" ON "knowledge_practices" ("published_at" DESC) WHERE "status" = 'published';
--> statement-breakpoint
CREATE INDEX "knowledge_adoptions_origin" ON "knowledge_adoptions" ("origin_tenant_id", "origin_id");
--> statement-breakpoint
ALTER TABLE "knowledge_practices" ADD CONSTRAINT "knowledge_practices_texts" CHECK (
  char_length("title") BETWEEN 3 AND 200 AND char_length("summary") <= 1000 AND char_length("body") <= 50000 AND cardinality("tags") <= 20);
--> statement-breakpoint
ALTER TABLE "knowledge_feedback" ADD CONSTRAINT "knowledge_feedback_score" CHECK ("score" BETWEEN 1 AND 5 AND char_length("text") <= 2000);
--> statement-breakpoint
ALTER TABLE "knowledge_adoptions" ADD CONSTRAINT "knowledge_adoptions_copy_fk" FOREIGN KEY ("tenant_id", "copy_id") REFERENCES "knowledge_practices"("tenant_id", "id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "knowledge_adoptions" ADD CONSTRAINT "knowledge_adoptions_origin_fk" FOREIGN KEY ("origin_tenant_id", "origin_id") REFERENCES "knowledge_practices"("tenant_id", "id");
--> statement-breakpoint
SELECT komma_protect_tenant_table('knowledge_practices');
--> statement-breakpoint
SELECT komma_protect_tenant_table('knowledge_adoptions', 'SELECT, INSERT');
--> statement-breakpoint
SELECT komma_protect_tenant_table('knowledge_feedback', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
-- A published practice is read from every tenant's transaction (a network one only by the people of the
-- municipalities and the national level, not by partners or trainers), a public one also without a tenant.
CREATE POLICY "published_read" ON "knowledge_practices" FOR SELECT
  USING ("status" = 'published' AND ("visibility" = 'public' OR ("visibility" = 'network' AND komma_current_tenant() IS NOT NULL
    AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = komma_current_user()
                 AND m.role IN ('municipal_admin', 'clearing_officer', 'leader', 'staff', 'national_admin', 'advisory_board')))));
--> statement-breakpoint
-- Whose practice travelled to whom: the origin's municipality sees adoptions of and feedback on its
-- practices, the national level sees all of them.
CREATE POLICY "transfer_read" ON "knowledge_adoptions" FOR SELECT
  USING ("origin_tenant_id" = komma_current_tenant() OR EXISTS (SELECT 1 FROM tenants t WHERE t.id = komma_current_tenant() AND t.kind = 'national'));
--> statement-breakpoint
CREATE POLICY "transfer_read" ON "knowledge_feedback" FOR SELECT
  USING ("origin_tenant_id" = komma_current_tenant() OR EXISTS (SELECT 1 FROM tenants t WHERE t.id = komma_current_tenant() AND t.kind = 'national'));
--> statement-breakpoint
-- The national level reviews what waits for review, in every municipality.
CREATE POLICY "review_read" ON "knowledge_practices" FOR SELECT
  USING ("status" = 'in_review' AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = komma_current_tenant() AND t.kind = 'national'));
--> statement-breakpoint
-- Every published version of a practice, kept so that a copy can show what its origin changed since.
CREATE TABLE "knowledge_versions" (
  "tenant_id" uuid NOT NULL REFERENCES "tenants"("id"),
  "practice_id" uuid NOT NULL,
  "version" integer NOT NULL,
  "title" text NOT NULL,
  "summary" text NOT NULL,
  "body" text NOT NULL,
  "tags" text[] NOT NULL,
  "published_at" timestamp with time zone NOT NULL,
  PRIMARY KEY ("tenant_id", "practice_id", "version"),
  FOREIGN KEY ("tenant_id", "practice_id") REFERENCES "knowledge_practices"("tenant_id", "id") ON DELETE CASCADE
);
--> statement-breakpoint
-- Read by the application; written only by the trigger below (as the owner, under the tenant policy).
SELECT komma_protect_tenant_table('knowledge_versions', 'SELECT');
--> statement-breakpoint
-- A version is read where its practice is (the practices' own policies decide inside the subquery).
CREATE POLICY "with_practice" ON "knowledge_versions" FOR SELECT
  USING (EXISTS (SELECT 1 FROM knowledge_practices p WHERE p.tenant_id = knowledge_versions.tenant_id AND p.id = knowledge_versions.practice_id));
--> statement-breakpoint
CREATE OR REPLACE FUNCTION komma_knowledge_version_keep() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.status = 'published' AND NEW.published_version IS NOT NULL
     AND (TG_OP = 'INSERT' OR OLD.published_version IS DISTINCT FROM NEW.published_version OR OLD.status <> 'published') THEN
    INSERT INTO knowledge_versions (tenant_id, practice_id, version, title, summary, body, tags, published_at)
    VALUES (NEW.tenant_id, NEW.id, NEW.published_version, NEW.title, NEW.summary, NEW.body, NEW.tags, coalesce(NEW.published_at, NEW.updated_at))
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER knowledge_version_keep AFTER INSERT OR UPDATE ON knowledge_practices
  FOR EACH ROW EXECUTE FUNCTION komma_knowledge_version_keep();
