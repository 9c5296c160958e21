#!/bin/sh
# First start of the database container: the roles and database KommA logs in with.
set -eu
psql -v ON_ERROR_STOP=1 --username postgres -v password="$KOMMA_DB_PASSWORD" -f /komma/postgresql-roles.sql
