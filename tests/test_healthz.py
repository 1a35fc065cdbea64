"""GET /healthz: the database, Redis and the last beat run, as the compose health checks and operators see them."""

import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from quizzes.models import ScheduledRun
from quizzes.scheduled_runs import REMINDERS_FAN_OUT, record_run
from quizzes.tasks import fan_out_reminders

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_all_well_when_the_beat_ran_recently(client, django_assert_max_num_queries):
    record_run(name=REMINDERS_FAN_OUT)
    with django_assert_max_num_queries(2):
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"] == ("ok" if os.environ.get("REDIS_URL") else "not configured")
    assert body["checks"]["beat"]["status"] == "ok"
    assert response["Cache-Control"] == "no-store"


def test_the_fan_out_task_records_its_run():
    fan_out_reminders()
    assert ScheduledRun.objects.get(name=REMINDERS_FAN_OUT).last_run_at > timezone.now() - timedelta(minutes=1)


def test_a_beat_that_never_ran_or_stopped_is_degraded_not_down(client):
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["beat"] == {"task": REMINDERS_FAN_OUT, "last_run": None, "status": "never"}

    ScheduledRun.objects.create(name=REMINDERS_FAN_OUT, last_run_at=timezone.now() - timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["beat"]["status"] == "late"


def test_redis_down_is_degraded_not_down(client):
    record_run(name=REMINDERS_FAN_OUT)
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    with override_settings(REDIS_URL=dead, CELERY_BROKER_URL=dead):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["redis"].startswith("error: ")


def test_database_down_is_503():
    # A separate process whose database is a closed port: the real failure, not a mock of it.
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/healthz'); "
        "print(r.status_code, r.json()['status'], r.json()['checks']['database'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": f"postgres://x@127.0.0.1:{closed_port()}/x"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["503", "error", "error:", "OperationalError"], result.stderr
