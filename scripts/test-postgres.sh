#!/usr/bin/env bash
# The core's tests with the PostgreSQL backend against a throwaway server: pg_virtualenv
# (Debian's postgresql-common) starts a temporary cluster, runs the tests with its address in
# KARTOTEKA_TEST_POSTGRES (each test makes its own database there) and removes the cluster.
# Works as root (CI); -t keeps each run's cluster in its own temporary folder, so several runs
# (other checkouts, other helpers) can go at once. Arguments go to the core's `cargo test`, e.g.
# scripts/test-postgres.sh history; without arguments the CLI-on-a-server tests (tests/it/server.rs)
# run too.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pg_virtualenv >/dev/null; then
    echo "pg_virtualenv not found: apt-get install postgresql postgresql-common" >&2
    exit 1
fi
# Single quotes: the variables are the ones pg_virtualenv exports inside its shell.
exec pg_virtualenv -t bash -c '
    password=$(python3 -c "import os, urllib.parse; print(urllib.parse.quote(os.environ[\"PGPASSWORD\"], safe=\"\"))")
    export KARTOTEKA_TEST_POSTGRES="postgres://$PGUSER:$password@$PGHOST:$PGPORT/$PGDATABASE"
    cargo test -p kartoteka-core --features postgres --lib "$@"
    if [ "$#" -eq 0 ]; then
        cargo test --test it server::
    fi
' test-postgres "$@"
