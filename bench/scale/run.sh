#!/usr/bin/env bash
# Scale benchmark: every endpoint's query count and median latency with 1,000 cards in the database and with
# 1,000,000, for the same learner 0 (100 cards in both), then EXPLAIN (ANALYZE, BUFFERS) of every query at
# 1,000,000. Two databases: <name>_small with SMALL learners and <name> with LARGE learners, both made by
# make_load_data with the same seed and clock. Prints Markdown for bench/RESULTS.md.
#   bench/scale/run.sh                          # 10 and 10,000 learners of 100 cards, 150 rounds
#   LARGE=2000 ROUNDS=40 bench/scale/run.sh     # a quicker look
# Without DATABASE_URL it runs on a throwaway PostgreSQL and Redis; with it, <name>_small is dropped and
# made again, and load learners are added to <name>.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${DATABASE_URL:-}" ]; then exec scripts/with_test_services.sh "$0" "$@"; fi

SMALL="${SMALL:-10}" LARGE="${LARGE:-10000}" CARDS="${CARDS:-100}" ROUNDS="${ROUNDS:-150}"
EXPLAIN_OUT="${EXPLAIN_OUT:-$(mktemp --suffix=.txt)}"
NOW="${NOW:-$(date -u +%Y-%m-%dT%H:%M:%S+00:00)}"  # one clock for both databases: learner 0 is the same in each
export DEBUG=0 SECRET_KEY=bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=testserver
export SECURE_SSL_REDIRECT=0 DJANGO_SETTINGS_MODULE=bench.settings FSRS_ENABLE_FUZZING=0 STATIC_ROOT="$(mktemp -d)"
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend  # the reminder queries are EXPLAINed, not sent
LARGE_DB="${DATABASE_URL##*/}" SMALL_DB="${DATABASE_URL##*/}_small"
SMALL_URL="${DATABASE_URL%/*}/$SMALL_DB"
psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $SMALL_DB" -c "CREATE DATABASE $SMALL_DB"

manage() { uv run --frozen python manage.py "$@"; }
uv run --frozen python manage.py collectstatic --noinput -v 0
for url in "$SMALL_URL" "$DATABASE_URL"; do
  DATABASE_URL="$url" manage migrate --noinput -v 0
  DATABASE_URL="$url" manage load_content >/dev/null
done
echo "==> $SMALL learners in $SMALL_DB" >&2
DATABASE_URL="$SMALL_URL" manage make_load_data --learners "$SMALL" --cards "$CARDS" --now "$NOW"
echo "==> $LARGE learners in $LARGE_DB" >&2
manage make_load_data --learners "$LARGE" --cards "$CARDS" --now "$NOW"
echo
uv run --frozen python bench/scale/bench.py --small "$SMALL_DB" --large "$LARGE_DB" --rounds "$ROUNDS" \
  --explain --explain-out "$EXPLAIN_OUT"
echo
echo "Every EXPLAINed query and its scans: $EXPLAIN_OUT"
