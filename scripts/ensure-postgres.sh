#!/usr/bin/env bash
# Installs Debian's PostgreSQL (used by the shared-ledger tests, which start their own cluster on a
# free loopback port) when it is absent, and prints the folder of its binaries (initdb, pg_ctl).
# Idempotent; a no-op when a PostgreSQL server is already installed.
set -euo pipefail
find_bin() {
  for dir in ${PG_BIN:-} /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then echo "$dir"; return 0; fi
  done
  return 1
}
if bin=$(find_bin); then echo "$bin"; exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "ensure-postgres: no PostgreSQL server found; installing Debian's postgresql" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
bin=$(find_bin) || { echo "ensure-postgres: initdb/pg_ctl still missing" >&2; exit 1; }
echo "$bin"
