#!/usr/bin/env bash
# The three writes (review answer, quiz start, quiz submit) in process: this process's CPU per request, the
# statements PostgreSQL received per request (pg_stat_statements, so BEGIN, COMMIT and Django's connection
# health check count too), and pyinstrument's tree. The same learners and request files as bench/load/run.sh.
#   bench/load/profile_writes.sh                 # 300 requests per write
#   REQUESTS=1000 bench/load/profile_writes.sh
#   CPROFILE=1 ONLY=quiz-submit bench/load/profile_writes.sh   # cProfile by own time, one write
#   CPROFILE=1 CPROFILE_CLOCK=cpu ONLY=quiz-submit bench/load/profile_writes.sh   # the same, timing CPU only
#   SAMPLE=1 ONLY=quiz-submit bench/load/profile_writes.sh     # CPU sampled (no tracing): ms a request per function
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${DATABASE_URL:-}" ]; then
  PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on" exec scripts/with_test_services.sh "$0" "$@"
fi
export DEBUG=0 SECRET_KEY=bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 DJANGO_SETTINGS_MODULE=bench.settings STATIC_ROOT="$(mktemp -d)" LOG_LEVEL=WARNING
export DATABASE_CONN_MAX_AGE=3600 THROTTLE_QUIZ_START=1000000/min THROTTLE_TOKEN_CREATE=1000000/min
N="${REQUESTS:-300}" WORK=$(mktemp -d)
trap 'rm -rf "$WORK" "$STATIC_ROOT"' EXIT
py() { uv run --frozen python "$@"; }
sql() { psql "$DATABASE_URL" -qAtc "$1"; }
py manage.py migrate --noinput -v 0
py manage.py load_content >/dev/null
py manage.py collectstatic --noinput -v 0
py bench/load/prepare.py learners "$WORK" >/dev/null
sql "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
for write in review-answer quiz-start quiz-submit; do
  [ "$write" != quiz-submit ] || py bench/load/prepare.py submits "$WORK" >/dev/null
  if ! [[ $write =~ ${ONLY:-.} ]]; then  # quiz start still opens the attempts that quiz submit submits
    [ "$write" != quiz-start ] || py bench/load/profile.py "$WORK/$write.req" "$N" >/dev/null
    continue
  fi
  sql "SELECT pg_stat_statements_reset()" >/dev/null
  echo "## $write"
  QUERIES=1 py bench/load/profile.py "$WORK/$write.req" "$N" 2>&1 | sed -n '1,/^Recorded\|Ordered by\|^CPU samples/p;/statuses/p;/tottime\|^inclusive/,/^$/p'
  # profile.py makes 2N + 2 requests: one to warm up, N timed, N profiled, one whose SQL it prints.
  sql "SELECT 'PostgreSQL statements a request: ' || round(sum(calls)::numeric / (2 * $N + 2), 2)
       FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"
  sql "SELECT 'PostgreSQL ms a request, planning + executing: ' || round(sum(total_plan_time + total_exec_time)::numeric / (2 * $N + 2), 3)
       FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"
  echo "calls a request | plan ms | execute ms | statement"
  sql "SELECT round(calls::numeric / (2 * $N + 2), 2) || ' | ' || round(mean_plan_time::numeric, 3) || ' | '
       || round(mean_exec_time::numeric, 3) || ' | ' || left(regexp_replace(query, '\s+', ' ', 'g'), 100)
       FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC, query"
done
