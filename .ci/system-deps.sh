#!/usr/bin/env bash
# System packages the project needs beside its Python packages: Debian's Chromium (browser
# tests), PostgreSQL (the suite's second run), and what WeasyPrint loads to make PDFs (Pango,
# HarfBuzz with its subsetter, fonts: DejaVu, and KACST for Arabic script), and gettext for
# rebuilding the family pages' translation catalogues (`make messages`; the compiled catalogues
# are committed, so the app and the tests do not need it).
# Installs only what is missing; needs root (CI is).
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v msgfmt >/dev/null || need+=(gettext)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-kacst; do
  dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q '^install ok installed$' \
    || need+=("$pkg")
done
if ((${#need[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
