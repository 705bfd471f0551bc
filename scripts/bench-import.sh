#!/usr/bin/env bash
# Side-by-side figures for docs/benchmarks.md: importing a 100,000-row .xlsx (validation,
# duplicate checks, search index) and the directory PDF of 10,000 organisations, each next to
# LibreOffice converting the same file (apt install libreoffice-calc-nogui).
# Usage: cargo build --release --bins && scripts/bench-import.sh [WORK_DIR]
set -euo pipefail
BIN=${BIN:-target/release/kartoteka}
W=${1:-/tmp/kartoteka-bench-import}
RUNS=${RUNS:-3}
mkdir -p "$W/lo"
rm -f "$W"/*.db*
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
"$BIN" --db "$W/src.db" demo-data --organizations 100000 --people 0 --seed 7 >/dev/null 2>&1
"$BIN" --db "$W/src.db" export organizations --out "$W/100k.xlsx" >/dev/null 2>&1
"$BIN" --db "$W/d10.db" demo-data --organizations 10000 --people 0 --seed 8 >/dev/null 2>&1
"$BIN" --db "$W/d10.db" export organizations --out "$W/10k.xlsx" >/dev/null 2>&1
echo "| measurement | best | runs | peak RSS |"
echo "|---|---|---|---|"
BEFORE="rm -f $W/imp.db*" row "import 100,000-row .xlsx into an empty register (all rows added)" \
  "$BIN" --db "$W/imp.db" import organizations "$W/100k.xlsx" --on-duplicate add --json
BEFORE="" row "import the same .xlsx into the register it came from (every row a duplicate, skipped)" \
  "$BIN" --db "$W/src.db" import organizations "$W/100k.xlsx" --json
row "libreoffice --headless --convert-to csv of the same .xlsx" \
  libreoffice --headless --convert-to csv --outdir "$W/lo" "$W/100k.xlsx"
row "directory PDF of 10,000 organisations, no grouping" \
  "$BIN" --db "$W/d10.db" report directory --out "$W/katalog.pdf" --group-by none
row "directory PDF of 10,000 organisations, grouped by sphere (each under each of its spheres)" \
  "$BIN" --db "$W/d10.db" report directory --out "$W/katalog-sfery.pdf" --group-by area
row "libreoffice --headless --convert-to pdf of the 10,000-row .xlsx" \
  libreoffice --headless --convert-to pdf --outdir "$W/lo" "$W/10k.xlsx"
echo
echo "pages: $(pdfinfo "$W/katalog.pdf" 2>/dev/null | awk '/^Pages/{print $2}') (no grouping), $(pdfinfo "$W/katalog-sfery.pdf" 2>/dev/null | awk '/^Pages/{print $2}') (by sphere), LibreOffice $(pdfinfo "$W/lo/10k.pdf" 2>/dev/null | awk '/^Pages/{print $2}')"
