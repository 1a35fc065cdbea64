#!/usr/bin/env bash
# Load benchmark of the public pages and API against a bare Django view, in one run:
# gunicorn (2 sync workers, as many as cores, DEBUG off) on a throwaway PostgreSQL with the real content,
# loaded by wrk from the same machine. Prints a Markdown table for bench/RESULTS.md.
#   bench/load/run.sh                 # 10 s per endpoint, 32 connections
#   DURATION=30s CONNECTIONS=64 bench/load/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${DATABASE_URL:-}" ]; then exec scripts/with_test_services.sh "$0" "$@"; fi
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

DURATION="${DURATION:-10s}" CONNECTIONS="${CONNECTIONS:-32}" PORT="${BENCH_PORT:-8765}"
export DEBUG=0 SECRET_KEY=bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 ASCENT_BENCH=1 STATIC_ROOT="$(mktemp -d)"
uv run --frozen python manage.py migrate --noinput -v 0
uv run --frozen python manage.py load_content >/dev/null
uv run --frozen python manage.py collectstatic --noinput -v 0
uv run --frozen gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/bench/bare/" >/dev/null && break; sleep 0.2; done

endpoints=(
  "bare view|/bench/bare/"
  "home|/"
  "roadmap page|/roadmaps/al-mamari-machine-learning-roadmap/"
  "topic page|/topics/gradient-descent/"
  "search|/search/?q=gradient+descent"
  "API roadmap|/api/roadmaps/al-mamari-machine-learning-roadmap/"
  "API topic|/api/topics/gradient-descent/"
)
echo "| endpoint | requests/s | ratio to bare | p50 ms | p95 ms |"
echo "|---|---|---|---|---|"
bare_rps=""
for entry in "${endpoints[@]}"; do
  name="${entry%%|*}" path="${entry#*|}"
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/load/percentiles.lua "http://127.0.0.1:$PORT$path")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '/^p50/ {print $2}' <<<"$out"); p95=$(awk '/^p95/ {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  [ -n "$bare_rps" ] || bare_rps="$rps"
  ratio=$(python3 -c "print(f'{$rps / $bare_rps:.2f}')")
  echo "| $name${non2xx:+ (non-2xx: $non2xx)} | $rps | $ratio | $p50 | $p95 |"
done
