#!/usr/bin/env bash
# Figures for docs/benchmarks.md: publishing the site for the city portal (every page, the .ics
# feed, open data and the map) from a register of 10,000 organisations, all consenting, and
# 1,000 public events; next to it, `cp -r` of the written site (the floor any writer of those
# files meets) and zipping it with Info-ZIP's `zip -r` when installed.
# Usage: cargo build --release --bins && scripts/bench-publish.sh [WORK_DIR]
set -euo pipefail
BIN=${BIN:-target/release/kartoteka}
W=${1:-/tmp/kartoteka-bench-publish}
RUNS=${RUNS:-5}
mkdir -p "$W"
secs() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
row() { # label, command...
  local label=$1; shift
  local all="" rss=""
  for _ in $(seq "$RUNS"); do
    [ -n "${BEFORE:-}" ] && eval "$BEFORE"
    read -r t m < <(secs "$@")
    all="$all $t"; rss=$m
  done
  best=$(printf '%s\n' $all | sort -n | head -1)
  printf '| %s | %s s | %s | %s MB |\n' "$label" "$best" "$(echo $all | tr ' ' '/')" "$((rss / 1024))"
}
if [ ! -f "$W/reg.db" ]; then
  "$BIN" --db "$W/reg.db" demo-data --organizations 10000 --people 300 --events 1000 --seed 11 >/dev/null 2>&1
  # Every organisation consents and every event is public: the largest site this register makes.
  sqlite3 "$W/reg.db" "UPDATE organizations SET directory_consent = 1; UPDATE events SET public = 1;"
fi
echo "| measurement | best | runs | peak RSS |"
echo "|---|---|---|---|"
# Only the publication is timed: removing the previous run's folder, and the kernel writing
# out what that run left in memory (`sync`), happen before the clock starts.
BEFORE="rm -rf '$W/site'; sync" row "publish 10,000 organisations + 1,000 events (Polish pages, .ics, CSV/JSON, map), new folder" \
  "$BIN" --db "$W/reg.db" publish --out "$W/site"
BEFORE="sync" row "the same again into the folder of the previous publication, nothing changed" \
  "$BIN" --db "$W/reg.db" publish --out "$W/site"
# A day's work: 100 organisations change their website (their pages, the lists and the open
# data change; everything else is linked from the previous publication).
BEFORE="sqlite3 '$W/reg.db' \"UPDATE organizations SET website = 'https://example.org/' || abs(random() % 100000) WHERE id % 100 = 0\"; sync" \
  row "the same after 100 organisations changed, into the previous publication's folder" \
  "$BIN" --db "$W/reg.db" publish --out "$W/site"
BEFORE="rm -rf '$W/site' '$W/site.zip'; sync" row "with English pages and the .zip, new folder" \
  "$BIN" --db "$W/reg.db" publish --out "$W/site" --english --zip
BEFORE="rm -rf '$W/copy'; sync" row "peer: cp -r of the written site (Polish + English)" \
  cp -r "$W/site" "$W/copy"
BEFORE="sync" RUNS=1 row "peer: rm -rf of that copy" rm -rf "$W/copy"
if command -v zip >/dev/null 2>&1; then
  BEFORE="rm -f '$W/copy.zip'; sync" row "peer: zip -r -q of the written site (Info-ZIP)" \
    sh -c "cd '$W' && exec zip -r -q copy.zip site"
fi
echo
echo "files: $(find "$W/site" -type f | wc -l), size: $(du -sh "$W/site" | cut -f1)"
