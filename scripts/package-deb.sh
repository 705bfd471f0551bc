#!/usr/bin/env bash
# Builds the Debian package with the Tauri CLI from npm, installs it on this machine and starts
# the installed program once (under Xvfb, on a throwaway database) to prove it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
# `npm ci` trips over other platforms' optional CLI packages in a lock file; install is enough.
npm install --no-audit --no-fund --loglevel=error
npx tauri build --bundles deb
DEB=$(ls -t target/release/bundle/deb/*.deb | head -1)
echo "Pakiet: $DEB ($(du -h "$DEB" | cut -f1))"
$SUDO apt-get install -y -qq "./$DEB"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# KARTOTEKA_EXIT_WHEN_READY: the window closes itself once its first screen shows data.
out=$(KARTOTEKA_DB="$WORK/kartoteka.db" KARTOTEKA_EXIT_WHEN_READY=1 XDG_DATA_HOME="$WORK" \
  timeout 120 xvfb-run -a -s "-screen 0 1280x800x24" /usr/bin/kartoteka)
echo "$out"
echo "$out" | grep -q '^ready_ms=' || { echo "Zainstalowany program nie pokazał okna." >&2; exit 1; }
/usr/bin/kartoteka --db "$WORK/kartoteka.db" search test >/dev/null 2>&1 || true
ls "$WORK/kopie"/kartoteka-*.db >/dev/null || { echo "Brak kopii zapasowej zrobionej przy starcie." >&2; exit 1; }
echo "Zainstalowany pakiet działa: $(/usr/bin/kartoteka --version)"
