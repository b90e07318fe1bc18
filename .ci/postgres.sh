#!/usr/bin/env bash
# Start a PostgreSQL server on loopback (Debian cluster tools) and create the spasmcare role,
# allowed to create the test database. Idempotent.
set -euo pipefail
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | awk '{print $2}' | grep -qx main || pg_createcluster "$version" main
pg_ctlcluster "$version" main start 2>/dev/null || pg_ctlcluster "$version" main status >/dev/null
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 1
done
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname='spasmcare'\"" | grep -q 1 \
  || su postgres -c "psql -q -c \"CREATE ROLE spasmcare LOGIN CREATEDB PASSWORD 'spasmcare'\""
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname='spasmcare'\"" | grep -q 1 \
  || su postgres -c "createdb -O spasmcare spasmcare"
