import datetime
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.utils import timezone

from accounts.models import User
from quizzes.models import Card, Question

from .services import RedisServer, app_env


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.close()


@pytest.fixture
def persistent_redis():
    server = RedisServer(persistent=True).start()
    yield server
    server.close()


@pytest.fixture
def worker_env(tmp_path):
    """The environment of a worker on this test's database, delivering with the slow recording backend."""
    db = connection.settings_dict

    def env(broker_url: str, **overrides):
        return app_env(
            DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            CELERY_BROKER_URL=broker_url,
            EMAIL_BACKEND="tests.email_backends.SlowRecordingBackend",
            EMAIL_RECORD_FILE=tmp_path / "delivered.txt",
            **overrides,
        )

    return env


def delivered(tmp_path: Path, prefix: str = "") -> list[str]:
    """The recipients the slow recording backend delivered to, in order, one line per e-mail."""
    path = tmp_path / "delivered.txt"
    return [line for line in path.read_text().splitlines() if line.startswith(prefix)] if path.exists() else []


@pytest.fixture
def due_learners(quiz_content):
    """Learners whose reminder time has passed, each with a verified e-mail and a card due."""
    question = Question.objects.get(key="dot-product")

    def make(n, *, prefix="learner"):
        now = timezone.now()
        learners = []
        for i in range(n):
            learner = User.objects.create_user(email=f"{prefix}{i}@example.com", time_zone="UTC")
            EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
            User.objects.filter(pk=learner.pk).update(next_reminder_at=now - datetime.timedelta(minutes=5))
            Card.objects.create(learner=learner, question=question, due=now - datetime.timedelta(hours=1),
                                last_review=now - datetime.timedelta(days=4), stability=3.0, difficulty=5.0, state=2)
            learners.append(learner.email)
        return learners

    return make


def start_fan_out(broker_url: str):
    """What beat does every 15 minutes: put one fan-out task on the broker."""
    from config.celery import app
    from quizzes.tasks import fan_out_reminders

    with app.connection_for_write(broker_url) as conn:
        fan_out_reminders.apply_async(connection=conn)
