#!/usr/bin/env bash
# Reminder fan-out end to end: N learners (LEARNERS, default 100000) with a due card, bulk-created in a
# throwaway PostgreSQL; a real Celery worker (prefork, 2 processes) consuming from a throwaway Redis;
# e-mails rendered in full and handed to Django's dummy backend (no SMTP server to measure).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${DATABASE_URL:-}" ]; then exec scripts/with_test_services.sh "$0" "$@"; fi
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend FSRS_ENABLE_FUZZING=0
uv run --frozen python manage.py migrate --noinput -v 0
uv run --frozen python manage.py load_content >/dev/null
LOG=$(mktemp)
uv run --frozen celery -A config worker --concurrency=2 --loglevel=WARNING --without-gossip --without-mingle \
  >"$LOG" 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null; rm -f "$LOG"' EXIT
sleep 5
WORKER_PID=$(pgrep -f "celery -A config worker" | head -1) uv run --frozen python bench/reminders/bench.py
