#!/usr/bin/env bash
# Fault drills under load (bench/faults/drill.py): starts its own PostgreSQL, Redis, gunicorn and Celery
# worker, prints Markdown for bench/RESULTS.md on stdout and progress on stderr. About three minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
exec uv run --frozen python bench/faults/drill.py "$@"
