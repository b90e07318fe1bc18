#!/usr/bin/env bash
# System packages the test suite drives for real: Debian's Chromium (browser tests) and
# PostgreSQL (the suite's second run). Installs only what is missing; needs root (CI is).
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
if ((${#need[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi
