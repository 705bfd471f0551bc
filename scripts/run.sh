#!/usr/bin/env bash
# One command for a newcomer: installs the system packages, builds Kartoteka and opens it.
# Arguments go to the program, e.g. `bash scripts/run.sh --db /tmp/proba.db`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
exec cargo run --release --bin kartoteka -- "$@"
