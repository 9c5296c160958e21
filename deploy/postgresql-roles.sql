-- Roles and database for KommA on a PostgreSQL server (15 or newer). Run once, as a superuser:
--
--   psql -v password="$(openssl rand -base64 24)" -f deploy/postgresql-roles.sql
--
-- KommA logs in as `komma`: it owns the database and its tables and runs the migrations, but it
-- is neither a superuser nor allowed to bypass row-level security. Every table with a tenant
-- has FORCE ROW LEVEL SECURITY, which binds the owner too, so even `RESET ROLE` back to the
-- login leaves every tenant's rows behind their policy. Requests run as `komma_app` (no login,
-- owns nothing). Never point DATABASE_URL at a superuser: a superuser ignores row-level
-- security, and KommA's /health/ready and start-up say so.

\set ON_ERROR_STOP on

SELECT 'CREATE ROLE komma_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'komma_app') \gexec

SELECT format('CREATE ROLE komma LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'komma') \gexec

GRANT komma_app TO komma;

SELECT 'CREATE DATABASE komma OWNER komma ENCODING ''UTF8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'komma') \gexec

\connect komma
-- PostgreSQL 15 gives the public schema to the database owner; older setups may not.
ALTER SCHEMA public OWNER TO komma;
