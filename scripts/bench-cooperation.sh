#!/usr/bin/env bash
# Figures for docs/benchmarks.md: the report on the cooperation programme's execution (art. 5a)
# over a year of 100 competitions with 2,000 offers and 500 contracts (and 200 art. 19a grants),
# the previous year beside it: PDF, .xlsx and JSON. Next to it, sqlite3 running the report's own
# counting SQL on the same file: the floor any program reading these records meets.
# Usage: cargo build --release --bins && scripts/bench-cooperation.sh [WORK_DIR]
set -euo pipefail
BIN=${BIN:-target/release/kartoteka}
W=${1:-/tmp/kartoteka-bench-cooperation}
RUNS=${RUNS:-5}
YEAR=${YEAR:-2025}
mkdir -p "$W"
secs() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
row() { # label, command...
  local label=$1; shift
  local all="" rss=""
  for _ in $(seq "$RUNS"); do
    read -r t m < <(secs "$@")
    all="$all $t"; rss=$m
  done
  best=$(printf '%s\n' $all | sort -n | head -1)
  printf '| %s | %s s | %s | %s MB |\n' "$label" "$best" "$(echo $all | tr ' ' '/')" "$((rss / 1024))"
}
if [ ! -f "$W/coop.db" ]; then
  "$BIN" --db "$W/coop.db" demo-data --organizations 2000 --people 300 --seed 5 >/dev/null 2>&1
  # Two years of records: 100 competitions a year, 20 offers each (500 of this year's with a
  # contract), 200 art. 19a grants a year, spread over the organisations and the spheres.
  sqlite3 "$W/coop.db" <<SQL
DELETE FROM coop_offers; DELETE FROM coop_competitions;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
INSERT INTO coop_competitions (title, area_code, funds_grosze, announced_on, deadline_on, created_at, updated_at)
SELECT 'Konkurs ' || i, CAST(1 + i % 10 AS TEXT), 50000000,
       printf('%d-%02d-10', $YEAR - (i % 2), 1 + (i % 11)), printf('%d-%02d-28', $YEAR - (i % 2), 1 + (i % 11)), 'x', 'x' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000)
INSERT INTO coop_offers (competition_id, organization_id, title, submitted_on, requested_grosze, status, rejection_reason,
       granted_grosze, contract_number, contract_signed_on, settlement, returned_grosze, created_at, updated_at)
SELECT 1 + (i % 200), (SELECT MIN(id) FROM organizations) + (i % 2000), 'Oferta ' || i,
       printf('%d-02-01', $YEAR - ((i % 200) % 2)), 2000000 + i,
       CASE WHEN i % 4 = 0 THEN 'granted' WHEN i % 7 = 0 THEN 'rejected_formal' WHEN i % 4 = 1 THEN 'granted' ELSE 'refused' END,
       CASE WHEN i % 4 <> 0 AND i % 4 <> 1 AND i % 7 = 0 THEN 'brak podpisu' END,
       CASE WHEN i % 4 IN (0, 1) THEN 1500000 + i END,
       CASE WHEN i % 8 = 1 THEN 'U/' || i END, CASE WHEN i % 8 = 1 THEN printf('%d-04-01', $YEAR) END,
       CASE WHEN i % 80 = 1 THEN 'terminated' WHEN i % 8 = 1 THEN 'accepted' ELSE 'open' END,
       CASE WHEN i % 80 = 1 THEN 50000 ELSE 0 END, 'x', 'x' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
INSERT INTO coop_offers (organization_id, title, area_code, submitted_on, requested_grosze, status, granted_grosze,
       published_on, contract_number, contract_signed_on, created_at, updated_at)
SELECT (SELECT MIN(id) FROM organizations) + (i * 7 % 2000), '19a ' || i, '13',
       printf('%d-%02d-05', $YEAR - (i % 2), 1 + (i % 12)), 800000, 'granted', 800000,
       printf('%d-%02d-06', $YEAR - (i % 2), 1 + (i % 12)), '19a/' || i, printf('%d-%02d-20', $YEAR - (i % 2), 1 + (i % 12)), 'x', 'x' FROM n;
ANALYZE;
SQL
fi
echo "offers in $YEAR: $(sqlite3 "$W/coop.db" "SELECT COUNT(*) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE COALESCE(c.announced_on, o.submitted_on) LIKE '$YEAR-%'"), contracts: $(sqlite3 "$W/coop.db" "SELECT COUNT(*) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE COALESCE(c.announced_on, o.submitted_on) LIKE '$YEAR-%' AND contract_number IS NOT NULL")"
"$BIN" --db "$W/coop.db" report cooperation --year "$YEAR" --json > "$W/report.json"
echo "| measurement | best | runs | peak RSS |"
echo "|---|---|---|---|"
row "report cooperation --year $YEAR --out report.pdf (both years counted)" \
  "$BIN" --db "$W/coop.db" report cooperation --year "$YEAR" --out "$W/report.pdf"
row "report cooperation --year $YEAR --out report.xlsx" \
  "$BIN" --db "$W/coop.db" report cooperation --year "$YEAR" --out "$W/report.xlsx"
row "report cooperation --year $YEAR --json" \
  "$BIN" --db "$W/coop.db" report cooperation --year "$YEAR" --json
# The floor: the same counts by the sqlite3 shell, two years, no PDF.
row "sqlite3: the counting of both years alone (no document)" \
  sqlite3 "$W/coop.db" "SELECT (SELECT COUNT(*) FROM coop_offers o JOIN coop_competitions c ON c.id = o.competition_id WHERE c.announced_on BETWEEN '$YEAR-01-01' AND '$YEAR-12-31' GROUP BY o.status ORDER BY 1 LIMIT 1), (SELECT SUM(granted_grosze) FROM coop_offers o LEFT JOIN coop_competitions c ON c.id = o.competition_id WHERE COALESCE(c.announced_on, o.submitted_on) BETWEEN '$((YEAR - 1))-01-01' AND '$YEAR-12-31' AND o.status = 'granted'), (SELECT COUNT(DISTINCT organization_id) FROM coop_offers)"
