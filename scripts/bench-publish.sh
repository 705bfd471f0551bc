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
row "publish 10,000 organisations + 1,000 events (Polish pages, .ics, CSV/JSON, map), new folder" \
  sh -c "rm -rf '$W/site'; exec '$BIN' --db '$W/reg.db' publish --out '$W/site'"
row "the same into the folder of the previous publication (replaced whole)" \
  "$BIN" --db "$W/reg.db" publish --out "$W/site"
row "the same with English pages and the .zip" \
  sh -c "rm -rf '$W/site' '$W/site.zip'; exec '$BIN' --db '$W/reg.db' publish --out '$W/site' --english --zip"
row "cp -r of the written site (Polish + English)" \
  sh -c "rm -rf '$W/copy'; exec cp -r '$W/site' '$W/copy'"
if command -v zip >/dev/null 2>&1; then
  row "zip -r -q of the written site (Info-ZIP)" \
    sh -c "rm -f '$W/copy.zip'; cd '$W' && exec zip -r -q copy.zip site"
fi
echo
echo "files: $(find "$W/site" -type f | wc -l), size: $(du -sh "$W/site" | cut -f1)"
