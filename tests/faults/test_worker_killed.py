"""Fault drill: a Celery worker killed (SIGKILL) in the middle of a reminder chunk. After the restart every
learner of the chunk has exactly one e-mail: the ones sent before the kill are not sent again, the others
are sent once.

E-mails take 0.4 s each (tests/email_backends.SlowRecordingBackend), so the kill lands deterministically
in the middle of the third one, which therefore was never delivered."""

import os
import signal
import time
from collections import Counter

import pytest
from django.core import mail

from accounts.models import User
from quizzes.models import ReminderDay
from quizzes.reminders import send_batch

from .conftest import delivered, start_fan_out
from .services import Worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

SEND_SECONDS = 0.4


def kill_during_third_email(tmp_path, prefix, kill):
    wait_for(lambda: len(delivered(tmp_path, prefix)) == 2, what="two e-mails")
    time.sleep(SEND_SECONDS / 2)
    kill()
    days = ReminderDay.objects.filter(learner__email__startswith=prefix)
    assert len(delivered(tmp_path, prefix)) == 2
    assert days.filter(status="sent").count() == 2
    assert days.filter(status="claimed").count() == 4  # held by the dead process's chunk


def assert_each_exactly_once(tmp_path, prefix, learners):
    days = ReminderDay.objects.filter(learner__email__startswith=prefix)
    wait_for(lambda: days.filter(status="sent").count() == len(learners), what="every e-mail")
    assert Counter(delivered(tmp_path, prefix)) == Counter(learners)


def test_a_worker_killed_mid_chunk(tmp_path, redis_server, worker_env, due_learners):
    """Two kills, each during the third e-mail of a chunk of six.

    1. Only the pool process running the task dies (the OOM killer's choice): the worker puts the message
       back at once (task_reject_on_worker_lost) and a fresh pool process finishes the chunk.
    2. The whole worker dies (its container killed): the message stays unacknowledged in Redis and is
       delivered again, once the visibility timeout has passed (2 s here, an hour in production), to the
       worker started again."""
    env = worker_env(redis_server.url, EMAIL_SEND_SECONDS=SEND_SECONDS, CELERY_VISIBILITY_TIMEOUT=2)
    worker = Worker(env=env, log=tmp_path / "worker.log", pool="prefork")
    try:
        pool_learners = due_learners(6, prefix="pool")
        start_fan_out(redis_server.url)
        [child] = worker.children()
        kill_during_third_email(tmp_path, "pool", lambda: os.kill(child, signal.SIGKILL))
        assert_each_exactly_once(tmp_path, "pool", pool_learners)

        learners = due_learners(6, prefix="whole")
        start_fan_out(redis_server.url)
        kill_during_third_email(tmp_path, "whole", worker.kill)
        time.sleep(2)  # a worker starting after the visibility timeout restores the message at once
        worker = Worker(env=env, log=tmp_path / "worker.log", pool="prefork")
        assert_each_exactly_once(tmp_path, "whole", learners)
    finally:
        worker.stop()


def test_an_email_sent_again_after_a_kill_is_the_same_message(due_learners):
    """The one window left: the server accepted the e-mail and the worker died before marking the day
    sent (a millisecond per e-mail; the drill hit it once in three kills). The chunk then runs again and
    sends that e-mail a second time, under the same Message-ID, which mail providers show once."""
    [email] = due_learners(1)
    learner_ids = [User.objects.get(email=email).pk]
    send_batch(learner_ids=learner_ids, claim_token="t")
    ReminderDay.objects.update(status="claimed", sent_at=None)  # as if killed just before the UPDATE
    send_batch(learner_ids=learner_ids, claim_token="t")
    first, again = mail.outbox
    assert first.message()["Message-ID"] == again.message()["Message-ID"]
    assert first.message()["Message-ID"].startswith("<reminder.")
