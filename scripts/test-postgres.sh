#!/usr/bin/env bash
# The core's tests with the PostgreSQL backend against a throwaway server: pg_virtualenv
# (Debian's postgresql-common) starts a temporary cluster, runs the tests with its address in
# KARTOTEKA_TEST_POSTGRES (each test makes its own database there) and removes the cluster.
# Works as root (CI); -t keeps each run's cluster in its own temporary folder, so several runs
# (other checkouts, other helpers) can go at once.
#   scripts/test-postgres.sh              the core's tests, then the whole integration suite
#                                         (tests/it) with every test's database on the server,
#                                         except the sqlite_only_… tests and the window tests
#                                         that are not pg_only_…
#   scripts/test-postgres.sh history      arguments go to the core's `cargo test`
#   scripts/test-postgres.sh --it mail::  arguments after --it go to `cargo test --test it`
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pg_virtualenv >/dev/null; then
    echo "pg_virtualenv not found: apt-get install postgresql postgresql-common" >&2
    exit 1
fi
# Single quotes: the variables are the ones pg_virtualenv exports inside its shell.
# set -e inside too: a failing core run must fail the script even when the suite after it passes.
exec pg_virtualenv -t bash -c '
    set -euo pipefail
    password=$(python3 -c "import os, urllib.parse; print(urllib.parse.quote(os.environ[\"PGPASSWORD\"], safe=\"\"))")
    export KARTOTEKA_TEST_POSTGRES="postgres://$PGUSER:$password@$PGHOST:$PGPORT/$PGDATABASE"
    if [ "${1:-}" = "--it" ]; then
        shift
        cargo test --test it "$@"
        exit
    fi
    cargo test -p kartoteka-core --features postgres --lib "$@"
    if [ "$#" -eq 0 ]; then
        # The window tests drive a window on a file (scripts/test.sh runs them); tests about the
        # file itself say so by name.
        cargo test --test it -- --skip window:: --skip sqlite_only_
        # Window tests that need the server (window::…::pg_only_…) run here, under Xvfb.
        on_server=$(cargo test --test it -- --list --format terse 2>/dev/null |
            sed -n "s/^\(window::.*pg_only_.*\): test$/\1/p")
        if [ -n "$on_server" ]; then
            xvfb-run -a -s "-screen 0 1280x800x24" cargo test --test it -- --exact $on_server
        fi
    fi
' test-postgres "$@"
