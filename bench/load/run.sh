#!/usr/bin/env bash
# Load benchmark of pages, API reads and writes against a bare Django view, in one run:
# gunicorn (4 sync workers as in docker-compose, DEBUG off) on a throwaway PostgreSQL and
# Redis with the real content, loaded by wrk from the same machine. Prints a Markdown table for
# bench/RESULTS.md: requests/s, the ratio to the bare view, p50/p95, the CPU time gunicorn, PostgreSQL and
# the whole machine spent a request (cpu_ticks.py), and whether each target is met.
#   bench/load/run.sh                                # 10 s per endpoint, 32 connections, 64 learners
#   DURATION=30s CONNECTIONS=64 LEARNERS=200 bench/load/run.sh
#   ONLY="bare view|search" bench/load/run.sh        # a subset (a regex over the names below)
#   LEARNERS_FROM_LOAD_DATA=1 LEARNERS=1000 bench/load/run.sh   # on a database filled by make_load_data
#                                                    # (set DATABASE_URL and REDIS_URL to use it)
# Signed-in requests rotate over the learners; writes use each precondition once (a due card per review
# answer, an attempt opened by the quiz-start run per submit). See prepare.py and requests.lua.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${DATABASE_URL:-}" ]; then exec scripts/with_test_services.sh "$0" "$@"; fi
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

DURATION="${DURATION:-10s}" CONNECTIONS="${CONNECTIONS:-32}" PORT="${BENCH_PORT:-8765}"
# 4 sync workers, as docker-compose.yml runs gunicorn: a worker waiting on PostgreSQL leaves the CPU to another.
WORKERS="${WORKERS:-4}" THREADS=2 ONLY="${ONLY:-.}"
case "$DURATION" in *m) SECONDS_OF_RUN=$((60 * ${DURATION%m})) ;; *) SECONDS_OF_RUN=${DURATION%s} ;; esac
export DEBUG=0 SECRET_KEY=bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=0 DJANGO_SETTINGS_MODULE=bench.settings STATIC_ROOT="$(mktemp -d)" LOG_LEVEL=WARNING
# Connections kept for the whole run (60 s in production): a backend that ended mid-run would take its CPU
# time out of cpu_ticks.py's count. Reconnecting once a minute costs each worker a few milliseconds.
export DATABASE_CONN_MAX_AGE=3600
# The throttles on quiz start and token creation would answer 429 to a load test: lifted for the bench.
export THROTTLE_QUIZ_START=1000000/min THROTTLE_TOKEN_CREATE=1000000/min
WORK=$(mktemp -d)
py() { uv run --frozen python "$@"; }

py manage.py migrate --noinput -v 0
[ "${LEARNERS_FROM_LOAD_DATA:-0}" = 1 ] || py manage.py load_content >/dev/null
py manage.py collectstatic --noinput -v 0
py bench/load/prepare.py learners "$WORK"
uv run --frozen gunicorn config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --log-level warning &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait $GUNICORN 2>/dev/null; rm -rf "$WORK" "$STATIC_ROOT"' EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/bench/bare/" >/dev/null && break; sleep 0.2; done

ROADMAP=al-mamari-machine-learning-roadmap TOPIC=gradient-descent
# name | target class | a path, or @request-file:mode (prepare.py writes the files; `once` uses each line once)
endpoints=(
  "bare view|bare|/bench/bare/"
  "home|anonymous|/"
  "roadmap page|anonymous|/roadmaps/$ROADMAP/"
  "roadmap page, signed in|signed-in|@roadmap-signed-in:cycle"
  "topic page|anonymous|/topics/$TOPIC/"
  "topic page, signed in|signed-in|@topic-signed-in:cycle"
  "search (20 queries)|anonymous|@search:cycle"
  "dashboard|signed-in|@dashboard:cycle"
  "API me, the signed-in floor|API read|@me:cycle"
  "API roadmap|API read|/api/roadmaps/$ROADMAP/"
  "API topic|API read|/api/topics/$TOPIC/"
  "review answer|write|@review-answer:once"
  "quiz start|write|@quiz-start:cycle"
  "quiz submit|write|@quiz-submit:once"
  "bare view, again|bare|/bench/bare/"
)
# Each endpoint once before measuring: the caches hold what a running site's would.
for entry in "${endpoints[@]}"; do
  path="${entry##*|}"
  [[ $path == @* ]] || curl -fs -o /dev/null "http://127.0.0.1:$PORT$path"
done

RESULTS="$WORK/results.tsv"
for entry in "${endpoints[@]}"; do
  IFS='|' read -r name class target <<<"$entry"
  [[ $name =~ $ONLY ]] || continue
  if [[ $target == @* ]]; then
    file="${target#@}" file="${file%%:*}" mode="${target##*:}"
    [ "$file" != quiz-submit ] || py bench/load/prepare.py submits "$WORK"
    [ -s "$WORK/$file.req" ] || { echo "skipping $name: no requests prepared" >&2; continue; }
    if [ "$mode" = cycle ] && [[ $(head -c4 "$WORK/$file.req") == GET* ]]; then
      # Each learner's page once, just before measuring it: the run measures learners who have looked at
      # their pages since their last change. Warmed minutes earlier, many entries would have ended (one of
      # the learner's cards fell due). A first view after a change is a miss: bench/RESULTS.md gives its
      # cost from profile.py. (wrk waits out -d even when every line is sent.)
      wrk -t"$THREADS" -c8 -d20s -s bench/load/requests.lua "http://127.0.0.1:$PORT/" -- "$WORK/$file.req" once \
        "$THREADS" >/dev/null
    fi
    # wrk reads the script's file for each thread in turn and starts a thread as soon as its file is read:
    # the first thread's requests during the next one's reading count, that time does not. Only the lines
    # a run can use (3,000 a second, ten times the writes' rate) keep that reading a few milliseconds.
    head -n "$((3000 * SECONDS_OF_RUN))" "$WORK/$file.req" >"$WORK/run.req"
    python3 bench/load/cpu_ticks.py >"$WORK/ticks.json"
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/load/requests.lua \
      "http://127.0.0.1:$PORT/" -- "$WORK/run.req" "$mode" "$THREADS")
  else
    python3 bench/load/cpu_ticks.py >"$WORK/ticks.json"
    out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/load/percentiles.lua \
      "http://127.0.0.1:$PORT$target")
  fi
  total=$(awk '/requests in/ {print $1}' <<<"$out")
  # Read before the drain below: the CPU gunicorn and PostgreSQL spent on the measured requests.
  read -r app_ms db_ms machine_ms < <(python3 bench/load/cpu_ticks.py --since "$WORK/ticks.json" --requests "$total")
  # Requests still queued in gunicorn when wrk stops would slow the next endpoint's run: let them drain.
  curl -fs --max-time 120 -o /dev/null "http://127.0.0.1:$PORT/bench/bare/"; sleep 1
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '/^p50/ {print $2}' <<<"$out") p95=$(awk '/^p95/ {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out") errors=$(awk '/Socket errors/ {print $0}' <<<"$out")
  exhausted=$(grep -c '^exhausted' <<<"$out" || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$class" "$rps" "$p50" "$p95" "$total" \
    "${non2xx:-0}" "$exhausted" "${errors:-}" "$app_ms" "$db_ms" "$machine_ms" >>"$RESULTS"
  echo "$name: $rps requests/s, p95 $p95 ms${non2xx:+, non-2xx $non2xx}" >&2
done

python3 - "$RESULTS" "$CONNECTIONS" <<'EOF'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
targets = {"anonymous": 0.6, "signed-in": 0.3, "API read": 0.3, "write": 0.2}
bare = [float(r[2]) for r in rows if r[1] == "bare"]
reference = sum(bare) / len(bare) if bare else float("nan")
print(f"Reference: the bare view's mean, {reference:.0f} requests/s; p95 target < 50 ms at {sys.argv[2]} connections.\n")
print("| endpoint | requests/s | ratio to bare | target | p50 ms | p95 ms | CPU ms a request: gunicorn, PostgreSQL, machine | met |")
print("|---|---|---|---|---|---|---|---|")
for name, kind, rps, p50, p95, total, non2xx, exhausted, errors, app_ms, db_ms, machine_ms in rows:
    ratio = float(rps) / reference
    notes = []
    if non2xx != "0":
        notes.append(f"{non2xx} of {total} non-2xx")
    if exhausted != "0":
        notes.append(f"stopped after {total} requests: preconditions used up")
    if errors:
        notes.append(errors.strip())
    if kind == "bare":
        target, met = "", ""
    else:
        ok = ratio >= targets[kind] and float(p95) < 50 and non2xx == "0"
        target, met = f"{kind} >= {targets[kind]}", "met" if ok else "**missed**"
    name += f" ({'; '.join(notes)})" if notes else ""
    print(f"| {name} | {float(rps):.0f} | {ratio:.2f} | {target} | {p50} | {p95} | {app_ms}, {db_ms}, {machine_ms} | {met} |")
EOF
