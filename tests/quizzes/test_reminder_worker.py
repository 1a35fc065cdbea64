"""Integration: a real Celery worker process consumes the fan-out from the throwaway Redis and writes the
reminders with the file e-mail backend; a second fan-out sends nothing more."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import User
from quizzes.models import Card, Question, ReminderDay

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL", "").startswith("redis://"),
                       reason="needs the throwaway Redis that `make test` starts"),
]


@pytest.fixture
def worker(tmp_path):
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "FSRS_ENABLE_FUZZING": "0",
    }
    log = open(tmp_path / "worker.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{os.getpid()}@%h"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while "ready." not in (tmp_path / "worker.log").read_text():
        assert process.poll() is None, (tmp_path / "worker.log").read_text()
        assert time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.2)
    yield tmp_path / "mail"
    process.terminate()
    process.wait(timeout=30)
    log.close()


def mails(folder: Path) -> list[str]:
    return sorted(p.read_text() for p in folder.glob("*.log")) if folder.exists() else []


def wait_for(condition, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_real_worker_sends_each_reminder_once(worker, quiz_content):
    from quizzes.tasks import fan_out_reminders

    question = Question.objects.get(key="dot-product")
    now = timezone.now()
    for i in range(5):
        learner = User.objects.create_user(email=f"learner{i}@example.com", time_zone="Pacific/Kiritimati")
        EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
        User.objects.filter(pk=learner.pk).update(next_reminder_at=now - datetime.timedelta(minutes=5))
        Card.objects.create(learner=learner, question=question, due=now - datetime.timedelta(hours=1),
                            last_review=now - datetime.timedelta(days=4), stability=3.0, difficulty=5.0, state=2)
    fan_out_reminders.delay()
    wait_for(lambda: ReminderDay.objects.filter(status="sent").count() == 5)
    # The file backend writes one file per connection; count the messages in them.
    text = "\n".join(mails(worker))
    assert text.count("Subject: [Ascent] 1 question to review today") == 5
    for i in range(5):
        assert f"To: learner{i}@example.com" in text
    fan_out_reminders.delay()
    time.sleep(3)
    assert "\n".join(mails(worker)).count("Subject:") == 5
