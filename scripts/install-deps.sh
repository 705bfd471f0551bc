#!/usr/bin/env bash
# Installs what Kartoteka needs to build, run and test on Debian/Ubuntu: the WebKitGTK and
# GTK libraries Tauri links against, Xvfb and WebKitWebDriver for the window tests, poppler for
# PDF checks, Debian's python3-xlwt and python3-odf to write the .xls and .ods sheets the
# import tests read, python3-icalendar (a real iCalendar parser for the room calendar export and
# the published events feed), python3-html5lib (a strict HTML5 parser for the published site),
# chromium (the published pages rendered and screenshotted by a real browser),
# python3-aiosmtpd (a real SMTP server for the mail tests), libdbus (the
# system password vault), PostgreSQL (a throwaway server for the server-backend tests, through
# pg_virtualenv), Node.js for the Tauri CLI that builds the .deb, and a Rust toolchain when
# there is none.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
PKGS="build-essential pkg-config file curl ca-certificates libwebkit2gtk-4.1-dev libxdo-dev libssl-dev
libayatana-appindicator3-dev librsvg2-dev xvfb xauth webkit2gtk-driver poppler-utils python3 python3-xlwt python3-odf python3-icalendar python3-html5lib chromium python3-aiosmtpd libdbus-1-dev dbus-daemon
postgresql postgresql-common"
# Node.js only for the Tauri CLI that builds installers; any node >= 18 will do (it may come
# from elsewhere than Debian, so it is looked for as a command, not as a package).
command -v npm >/dev/null 2>&1 || PKGS="$PKGS nodejs npm"
missing=""
for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "Instaluję pakiety systemowe:$missing"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null 2>&1; then
  echo "Instaluję Rusta (rustup)…"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
fi
