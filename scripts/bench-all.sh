#!/usr/bin/env bash
# Every figure of docs/benchmarks.md's "SQLite file and PostgreSQL side by side" section in one
# run on this machine: search as you type, first list pages and search while 5 colleagues search
# and save (kartoteka-bench on 100,000 organisations + 100,000 people, on a file and on a server),
# then the import of two 100,000-row sheets (a Kartoteka export of demo data and an office-style
# sheet made by scripts/make-office-sheet.py) into an empty register on both backends, beside
# `libreoffice --headless --convert-to csv` of the same files. Medians of RUNS (3) runs.
# The server is a throwaway cluster of pg_virtualenv -t (Debian's postgresql-common), removed at
# the end. LibreOffice: apt install libreoffice-calc-nogui (its rows are skipped without it).
# Usage: scripts/bench-all.sh [WORK_DIR]        (NO_BUILD=1 to use target/release as it is)
# Prints Markdown tables ready for docs/benchmarks.md; the machine's load is noted per step.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--inside-virtualenv" ]; then
    W=$(realpath -m "${1:-/tmp/kartoteka-bench-all}")
    if [ -z "${NO_BUILD:-}" ]; then
        cargo build --release --bin kartoteka --bin kartoteka-bench >&2
    fi
    command -v pg_virtualenv >/dev/null || {
        echo "pg_virtualenv not found: apt-get install postgresql postgresql-common" >&2
        exit 1
    }
    rm -rf "$W" && mkdir -p "$W"
    export W BIN_DIR=$(realpath "${BIN_DIR:-target/release}") RUNS=${RUNS:-3}
    exec pg_virtualenv -t "$0" --inside-virtualenv
fi

BIN=$BIN_DIR/kartoteka
started=$(date +%s)
password=$(python3 -c 'import os, urllib.parse; print(urllib.parse.quote(os.environ["PGPASSWORD"], safe=""))')
server="postgres://$PGUSER:$password@$PGHOST:$PGPORT"
load() { cut -d' ' -f1-3 /proc/loadavg; }
note() { echo "[$(date +%T), load $(load)] $*" >&2; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "**Machine:** $(nproc) vCPU $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(. /etc/os-release; echo "$PRETTY_NAME"), PostgreSQL $(psql -Atc 'SHOW server_version' | cut -d' ' -f1) (pg_virtualenv, default settings), $(libreoffice --version 2>/dev/null | cut -d' ' -f1-2 || echo 'no LibreOffice'). **Commit:** $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' + working tree'). **Date:** $(date -u '+%d.%m.%Y %H:%M UTC')."
echo

# ----- search, lists, colleagues (IMPORT_ONLY=1 skips them) ------------------------------------
if [ -z "${IMPORT_ONLY:-}" ]; then
note "demo register 100,000 + 100,000 on the file"
"$BIN" --db "$W/register.db" demo-data --organizations 100000 --people 100000 --seed 1 >&2
createdb register
note "demo register 100,000 + 100,000 on the server"
"$BIN" --db "$server/register" demo-data --organizations 100000 --people 100000 --seed 1 >&2
note "kartoteka-bench on both (load at the start: $(load))"
echo "Search and lists (load at the start: $(load)):"
echo
"$BIN_DIR/kartoteka-bench" --db "$W/register.db" --db "$server/register" --window-runs 0
echo
note "kartoteka-bench done"
fi

# ----- import beside LibreOffice --------------------------------------------------------------
"$BIN" --db "$W/source.db" demo-data --organizations 100000 --people 0 --seed 7 --advice 0 --events 0 >&2
"$BIN" --db "$W/source.db" export organizations --out "$W/demo-export-100k.xlsx" >&2
python3 scripts/make-office-sheet.py "$W/office-style-100k.xlsx" 100000 14

# One timed import into an empty register; prints "seconds counts".
import_once() { # backend sheet
    local target
    if [ "$1" = sqlite ]; then
        rm -f "$W"/import.db*
        target="$W/import.db"
    else
        dropdb --if-exists import && createdb import
        target="$server/import"
    fi
    # Schema made before the clock starts, on both: the import is timed, not the migrations.
    "$BIN" --db "$target" search zzz >/dev/null
    local t0 t1
    t0=$(date +%s.%N)
    # The export repeats names and towns of demo data, which the default (skip) would take
    # for duplicates: all of it is added, as in bench-import.sh. The office sheet is imported
    # as a new user would, with the defaults (its in-file duplicates are skipped).
    local policy=()
    case "$2" in *demo-export*) policy=(--on-duplicate add) ;; esac
    "$BIN" --db "$target" import organizations "$2" "${policy[@]}" --json >"$W/last-import.json"
    t1=$(date +%s.%N)
    local counts
    counts=$(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
rows = len({x["row"] for x in r["rejected"]})
print(r["imported"], "added,", r["skipped_duplicates"], "duplicates skipped,", rows, "rows rejected")' "$W/last-import.json")
    echo "$(echo "$t1 - $t0" | bc) $counts"
}

convert_once() { # sheet
    local t0 t1
    t0=$(date +%s.%N)
    libreoffice -env:UserInstallation="file://$W/lo-profile" --headless --convert-to csv --outdir "$W/lo" "$1" >/dev/null 2>&1
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc
}

echo "Import of a 100,000-row .xlsx into an empty register (medians of $RUNS, seconds; process start to exit):"
echo
echo "| sheet | SQLite file | PostgreSQL | \`libreoffice --headless --convert-to csv\` | LibreOffice ÷ SQLite | LibreOffice ÷ PostgreSQL | rows |"
echo "|---|---|---|---|---|---|---|"
for sheet in demo-export-100k office-style-100k; do
    declare -A all=()
    counts=""
    loads=""
    for run in $(seq "$RUNS"); do
        for backend in sqlite postgres; do
            loads="$loads $(cut -d' ' -f1 /proc/loadavg)"
            read -r secs rest < <(import_once "$backend" "$W/$sheet.xlsx")
            all[$backend]="${all[$backend]:-} $secs"
            counts=$rest
            note "$sheet $backend run $run: $secs s"
        done
        if command -v libreoffice >/dev/null; then
            loads="$loads $(cut -d' ' -f1 /proc/loadavg)"
            secs=$(convert_once "$W/$sheet.xlsx")
            all[lo]="${all[lo]:-} $secs"
            note "$sheet LibreOffice run $run: $secs s"
        fi
    done
    s=$(median ${all[sqlite]}); p=$(median ${all[postgres]})
    if [ -n "${all[lo]:-}" ]; then
        l=$(median ${all[lo]})
        lo_cell="$(printf '%.2f' "$l") ($(printf '%.2f/' ${all[lo]} | sed 's,/$,,'))"
        rs="$(echo "scale=2; $l / $s" | bc)×"; rp="$(echo "scale=2; $l / $p" | bc)×"
    else
        lo_cell="not installed"; rs=""; rp=""
    fi
    printf '| %s | %.2f (%s) | %.2f (%s) | %s | %s | %s | %s; load during the runs:%s |\n' \
        "$sheet.xlsx" "$s" "$(printf '%.2f/' ${all[sqlite]} | sed 's,/$,,')" \
        "$p" "$(printf '%.2f/' ${all[postgres]} | sed 's,/$,,')" "$lo_cell" "$rs" "$rp" "$counts" "$loads"
    unset all
done
echo
echo "Whole run: $(( $(date +%s) - started )) s (plus the release build)."
