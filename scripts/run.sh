#!/usr/bin/env bash
# `make run`: migrate, load the content, then serve the site with a Celery worker and beat beside it.
# Embedded defaults (SQLite and kombu's file-system broker under .data/) unless DATABASE_URL and
# CELERY_BROKER_URL say otherwise. Ctrl-C stops all of it.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
# The reminder e-mails' links (built by the worker, which has no request to take a host from).
export SITE_URL="${SITE_URL:-http://127.0.0.1:$PORT}"
mkdir -p .data/broker/queue .data/broker/processed .data/mail .data/static

uv run --frozen python manage.py migrate --noinput
uv run --frozen python manage.py load_content

pids=()
stop() { trap - INT TERM EXIT; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop INT TERM EXIT

uv run --frozen celery -A config worker --beat --pool=solo --loglevel=INFO \
  --schedule=.data/celerybeat-schedule &
pids+=($!)
echo "==> Ascent on http://127.0.0.1:$PORT (Ctrl-C stops the web server, worker and beat)"
uv run --frozen python manage.py runserver "127.0.0.1:$PORT" &
pids+=($!)
wait -n "${pids[@]}"
