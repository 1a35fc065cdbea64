#!/usr/bin/env bash
# Reminder fan-out end to end: N learners (LEARNERS, default 100000) with a due card, bulk-created in a
# throwaway PostgreSQL; a real Celery worker (prefork, CONCURRENCY processes, default 2) consuming from a
# throwaway Redis; e-mails rendered in full and handed to Django's dummy backend, or with SMTP=1 sent over
# SMTP to a local aiosmtpd sink (bench/reminders/smtp_sink.py) that counts them.
# PROFILE=FILE also samples the worker's processes with py-spy during the fan-out (collapsed stacks in FILE).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${DATABASE_URL:-}" ]; then exec scripts/with_test_services.sh "$0" "$@"; fi
# DEBUG=0 as in production: with DEBUG on, Django times and logs every SQL statement in the worker.
export FSRS_ENABLE_FUZZING=0 DEBUG=0 SECRET_KEY="${SECRET_KEY:-bench-reminders-not-a-secret}"
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend
uv run --frozen python manage.py migrate --noinput -v 0
uv run --frozen python manage.py load_content >/dev/null
WORK=$(mktemp -d)
SINK=
if [ "${SMTP:-0}" = 1 ]; then
  EMAIL_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  export EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend EMAIL_HOST=127.0.0.1 EMAIL_PORT
  .venv/bin/python bench/reminders/smtp_sink.py "$EMAIL_PORT" "$WORK/sink.json" 2>"$WORK/sink.log" &
  SINK=$!
fi
.venv/bin/python -m celery -A config worker --concurrency="${CONCURRENCY:-2}" --loglevel=WARNING \
  --without-gossip --without-mingle >"$WORK/worker.log" 2>&1 &
WORKER=$!
stop() {
  kill "$WORKER" 2>/dev/null && wait "$WORKER" 2>/dev/null
  if [ -n "$SINK" ]; then
    kill "$SINK" 2>/dev/null && wait "$SINK" 2>/dev/null
    echo "SMTP sink: $(cat "$WORK/sink.json" 2>/dev/null || echo 'no count')"
  fi
  rm -rf "$WORK"
}
trap stop EXIT
sleep 5
WORKER_PID=$WORKER .venv/bin/python bench/reminders/bench.py
