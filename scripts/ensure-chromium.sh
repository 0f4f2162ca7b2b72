#!/usr/bin/env bash
# Installs Debian's chromium (used by the browser tests through playwright-core) when it is absent.
# Idempotent; a no-op when /usr/bin/chromium (or $CHROMIUM_PATH) already exists.
set -euo pipefail
bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$bin" ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "ensure-chromium: $bin not found; installing Debian's chromium" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
[ -x "$bin" ] || { echo "ensure-chromium: chromium still missing at $bin" >&2; exit 1; }
