#!/usr/bin/env bash
# Runs every test: core unit tests, integration tests against real SQLite files, the CLI, and
# end-to-end tests that drive the real window through tauri-driver + WebKitWebDriver under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v tauri-driver >/dev/null 2>&1; then
  cargo install tauri-driver --locked
fi
# --lib --bins --tests: doc-test runners would end the output with a misleading "0 passed".
xvfb-run -a -s "-screen 0 1280x800x24" cargo test --workspace --lib --bins --tests "$@"
# The core's store contract and the whole integration suite (minus the window and sqlite_only_
# tests) again, each test on its own database of a throwaway PostgreSQL server (pg_virtualenv).
if [ "$#" -eq 0 ]; then
  bash scripts/test-postgres.sh
fi
