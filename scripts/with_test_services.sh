#!/usr/bin/env bash
# Starts a throwaway PostgreSQL and Redis on free ports, runs the given command with DATABASE_URL,
# CELERY_BROKER_URL and REDIS_URL pointing at them, and stops both afterwards, even when the command fails.
# Works as root (the PostgreSQL binaries then run as the postgres user) and as a normal user.
# PG_OPTIONS adds server options (benchmarks: "-c shared_preload_libraries=pg_stat_statements").
set -euo pipefail

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ascent-test.XXXXXX")
PGDATA="$WORK/pg"
PGPORT=$(free_port)
REDISPORT=$(free_port)
mkdir -p "$PGDATA"

as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$WORK" "$PGDATA"
  as_pg=(runuser -u postgres --)
fi

cleanup() {
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate -w stop >/dev/null 2>&1 || true
  redis-cli -p "$REDISPORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

"${as_pg[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust --no-sync -E UTF8 >/dev/null
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/log" -w -o \
  "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_OPTIONS:-}" \
  start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres ascent  # for benchmarks and scripts; tests make their own
redis-server --save '' --appendonly no --bind 127.0.0.1 --port "$REDISPORT" --daemonize yes \
  --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK"
for _ in $(seq 50); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/ascent"
export CELERY_BROKER_URL="redis://127.0.0.1:$REDISPORT/0"
export REDIS_URL="redis://127.0.0.1:$REDISPORT/1"
echo "==> PostgreSQL on $PGPORT, Redis on $REDISPORT"
set +e
"$@"
status=$?
set -e
exit $status
