"""A Celery worker keeps its database connection from one task to the next, as gunicorn's workers keep theirs
from one request to the next (a reminder chunk no longer pays for a new PostgreSQL backend), and replaces it by
itself after PostgreSQL restarts: each task starts by closing a connection that is broken or too old, as Django
does at each request (config/celery.py)."""

import time
from datetime import UTC, datetime

import psycopg
import pytest
from django.db import connection

from quizzes import scheduled_runs
from quizzes.models import ScheduledRun

from .conftest import delivered, start_fan_out
from .services import PostgresServer, Worker, app_env, wait_for

pytestmark = pytest.mark.django_db(transaction=True)  # the seeded rows must be committed to be copied


def worker_backends(postgres) -> list[int]:
    with psycopg.connect(postgres.url) as conn:
        return [pid for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )]


def last_fan_out(postgres) -> datetime | None:
    with psycopg.connect(postgres.url) as conn:
        row = conn.execute(f"SELECT last_run_at FROM {ScheduledRun._meta.db_table} WHERE name = %s",
                           [scheduled_runs.REMINDERS_FAN_OUT]).fetchone()
    return row[0] if row else None


def test_a_worker_keeps_its_connection_and_replaces_it_after_a_restart(tmp_path, due_learners, redis_server):
    learners = due_learners(3)
    test_db = connection.settings_dict
    postgres = PostgresServer().start(
        copy_of=f"postgres://{test_db['USER']}@{test_db['HOST']}:{test_db['PORT']}/{test_db['NAME']}"
    )
    worker = None
    try:
        broker = f"{redis_server.url}/0"
        worker = Worker(env=app_env(DATABASE_URL=postgres.url, CELERY_BROKER_URL=broker,
                                    EMAIL_BACKEND="tests.email_backends.SlowRecordingBackend",
                                    EMAIL_RECORD_FILE=tmp_path / "delivered.txt"),
                        log=tmp_path / "worker.log")
        start_fan_out(broker)  # the fan-out, then its chunk: two tasks
        wait_for(lambda: sorted(delivered(tmp_path)) == sorted(learners), what="the reminders")
        # Both tasks are done and their connection stays open: one backend, idle, for the next task.
        wait_for(lambda: len(worker_backends(postgres)) == 1, what="the worker's connection, kept")
        [before] = worker_backends(postgres)

        postgres.restart()  # ends every session: the worker's connection is now broken
        restarted = datetime.now(UTC)
        time.sleep(0.1)
        start_fan_out(broker)
        wait_for(lambda: (last_fan_out(postgres) or restarted) > restarted, what="a fan-out after the restart")
        [after] = worker_backends(postgres)
        assert after != before
        assert "Traceback" not in (tmp_path / "worker.log").read_text()
    finally:
        if worker:
            worker.stop()
        postgres.close()
