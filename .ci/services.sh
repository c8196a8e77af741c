#!/usr/bin/env bash
# Starts PostgreSQL and Redis on loopback for tests/ScaleOut.Tests (Debian packages; needs root and apt-get).
# Idempotent: installs only what is missing, starts only what is down, and (re)sets the test role every time.
# The tests connect with the defaults below; override them with BACKPROP_TEST_POSTGRES / BACKPROP_TEST_REDIS.
#   role backprop_test / password backprop_test, CREATEDB (each test run creates and drops its own database)
#   postgres on 127.0.0.1:5432, redis on 127.0.0.1:6379
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null || ! command -v redis-server >/dev/null; then
  echo "== installing postgresql redis-server"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server >/dev/null
fi

# PostgreSQL: Debian creates one cluster on install; start it if it is down and wait until it answers.
read -r version cluster < <(pg_lsclusters --no-header | awk 'NR == 1 { print $1, $2 }')
if [ -z "${version:-}" ]; then
  version="$(ls /usr/lib/postgresql | sort -n | tail -1)"; cluster=main
  pg_createcluster "$version" "$cluster"
fi
pg_ctlcluster "$version" "$cluster" status >/dev/null 2>&1 || pg_ctlcluster "$version" "$cluster" start
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p 5432 -q && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432 || { echo "postgresql did not start" >&2; exit 1; }
su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'backprop_test') THEN
    CREATE ROLE backprop_test LOGIN CREATEDB PASSWORD 'backprop_test';
  ELSE
    ALTER ROLE backprop_test LOGIN CREATEDB PASSWORD 'backprop_test';
  END IF;
END $$;
SQL

# Redis: on loopback only, no persistence (the backplane is pub/sub; nothing needs to survive).
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --bind 127.0.0.1 --port 6379 --save '' --appendonly no --daemonize yes
  for _ in $(seq 1 30); do
    redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "redis-server did not start" >&2; exit 1; }
echo "== postgresql $version/$cluster and redis-server are up on loopback"
