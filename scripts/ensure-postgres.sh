#!/usr/bin/env bash
# Makes sure PostgreSQL's initdb/pg_ctl exist for the test suite; installs them with apt as root.
set -euo pipefail
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "PostgreSQL not found: installing it with apt-get (for the PostgreSQL tests)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  exit 0
fi
echo "PostgreSQL (initdb, pg_ctl) not found: its tests will be skipped (and fail under CI=true)." >&2
