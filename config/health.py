"""GET /healthz: the database, Redis and the last beat run, for the compose health checks and operators.

Only a database failure makes it 503: without the database nothing works, while pages, quizzes and
reviews keep working with Redis down and a late beat only delays reminders. Those two make the status
"degraded" (still 200), so a load balancer keeps the web server in rotation and a human still sees why.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from redis import Redis

from quizzes import scheduled_runs

REDIS_TIMEOUT = 0.5


def healthz(request):
    checks = {"database": _database(), "redis": _redis()}
    checks["beat"] = _beat() if checks["database"] == "ok" else "unknown"
    if checks["database"] != "ok":
        status, code = "error", 503
    elif checks["redis"] not in ("ok", "not configured") or checks["beat"]["status"] != "ok":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    response = JsonResponse({"status": status, "checks": checks}, status=code)
    response["Cache-Control"] = "no-store"
    return response


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        return f"error: {error.__class__.__name__}"
    return "ok"


def _redis() -> str:
    """Pings every Redis the site uses: the cache and, when it is Redis, the Celery broker."""
    urls = {url for url in (settings.REDIS_URL, settings.CELERY_BROKER_URL) if url.startswith(("redis://", "rediss://"))}
    if not urls:
        return "not configured"
    for url in sorted(urls):
        try:
            with Redis.from_url(url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT) as client:
                client.ping()
        except Exception as error:  # noqa: BLE001
            return f"error: {error.__class__.__name__}"
    return "ok"


def _beat() -> dict:
    name = scheduled_runs.REMINDERS_FAN_OUT
    last = scheduled_runs.last_run(name=name)
    late = scheduled_runs.is_late(name=name, last_run_at=last)
    return {
        "task": name,
        "last_run": last.isoformat() if last else None,
        "status": "never" if last is None else ("late" if late else "ok"),
    }
