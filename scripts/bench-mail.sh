#!/usr/bin/env bash
# Side-by-side figure for docs/benchmarks.md: 10,000 personalised messages (HTML + text, merge
# fields, List-Unsubscribe) through Kartoteka's persistent queue, unthrottled, to a local SMTP
# sink (tests/fixtures/smtp_sink.py --light), next to a plain Python smtplib loop over one
# connection sending the same number of similar messages to the same sink in the same run.
# Usage: cargo build --release --bins && scripts/bench-mail.sh [N]
set -euo pipefail
N=${1:-10000}
BIN=${BIN:-target/release/kartoteka}
BENCH=${BENCH:-target/release/kartoteka-bench}
W=$(mktemp -d)
trap 'kill $SINK_PID 2>/dev/null || true; rm -rf "$W"' EXIT
"$BENCH" --db "$W/m.db" --mail-recipients "$N"
printf '## Dzień dobry, {imie}!\n\nZapraszamy **{nazwa}** na spotkanie o grantach.\n\n- termin: 3 grudnia\n- [zapisy](https://ngo.example.pl)\n' > "$W/body.md"
mkfifo "$W/hold"
(/usr/bin/python3 tests/fixtures/smtp_sink.py --light --out "$W/recv.jsonl" < "$W/hold" > "$W/port") & SINK_PID=$!
exec 3>"$W/hold"
while [ ! -s "$W/port" ]; do sleep 0.1; done
PORT=$(head -1 "$W/port")
echo "| sender | messages | seconds | messages/s |"
echo "|---|---|---|---|"
start=$(date +%s.%N)
"$BIN" --db "$W/m.db" mail send --list Wszyscy --subject "Biuletyn: zażółć gęślą jaźń, {imie}" --body-file "$W/body.md" --smtp "smtp://127.0.0.1:$PORT" --rate 0 --json > "$W/summary.json"
end=$(date +%s.%N)
sent=$(python3 -c "import json;print(json.load(open('$W/summary.json'))['sent'])")
python3 -c "s=$end-$start; print(f'| Kartoteka mail send (queue on disk, fsync per message) | $sent | {s:.2f} | {$sent/s:.0f} |')"
/usr/bin/python3 - "$PORT" "$N" <<'PY'
import smtplib, sys, time
from email.message import EmailMessage
port, n = int(sys.argv[1]), int(sys.argv[2])
start = time.time()
with smtplib.SMTP("127.0.0.1", port) as s:
    for i in range(n):
        m = EmailMessage()
        m["From"] = "Centrum NGO <biuro@centrum.example.pl>"
        m["To"] = f"Zofia Żółkiewska{i} <osoba{i}@przyklad.pl>"
        m["Subject"] = "Biuletyn: zażółć gęślą jaźń, Zofia"
        m["List-Unsubscribe"] = "<mailto:biuro@centrum.example.pl?subject=wypisz>"
        m.set_content("DZIEŃ DOBRY, ZOFIA!\n\nZapraszamy na spotkanie o grantach.\n")
        m.add_alternative("<h2>Dzień dobry, Zofia!</h2><p>Zapraszamy na spotkanie o grantach.</p>", subtype="html")
        s.send_message(m)
secs = time.time() - start
print(f"| Python smtplib loop, one connection, nothing recorded | {n} | {secs:.2f} | {n/secs:.0f} |")
PY
