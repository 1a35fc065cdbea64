"""A chunk of reminders goes out through one SMTP session, to a real SMTP server on loopback (aiosmtpd); a
recipient the server refuses costs only that e-mail: the session is opened again for the next ones, and the
refused learner's claim stays held for the task's retry."""

import datetime
import socket

import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from quizzes.models import Card, Question, ReminderDay
from quizzes.reminders import SendFailures, send_batch

pytestmark = pytest.mark.django_db


class Recorder:
    """Accepts every message except to `refused`, noting each message's recipients and client connection."""

    def __init__(self):
        self.delivered: list[tuple[str, tuple]] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.delivered += [(to, session.peer) for to in envelope.rcpt_tos]
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    yield recorder
    controller.stop()


@pytest.fixture
def due_learners(quiz_content):
    question = Question.objects.get(key="dot-product")
    now = timezone.now()
    ids = []
    for i in range(5):
        learner = User.objects.create_user(email=f"smtp{i}@example.com", time_zone="UTC",
                                           next_reminder_at=now - datetime.timedelta(minutes=1))
        EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
        Card.objects.create(learner=learner, question=question, due=now - datetime.timedelta(hours=1),
                            last_review=now - datetime.timedelta(days=3), stability=3.0, difficulty=5.0, state=2)
        ids.append(learner.pk)
    return ids


def test_a_chunk_is_one_smtp_session(smtp_server, due_learners):
    assert send_batch(learner_ids=due_learners, claim_token="one").sent == 5
    assert sorted(to for to, _ in smtp_server.delivered) == [f"smtp{i}@example.com" for i in range(5)]
    assert len({peer for _, peer in smtp_server.delivered}) == 1
    assert ReminderDay.objects.filter(status="sent").count() == 5


def test_a_refused_recipient_costs_only_its_email(smtp_server, due_learners):
    smtp_server.refused = {"smtp2@example.com"}
    with pytest.raises(SendFailures) as failures:
        send_batch(learner_ids=due_learners, claim_token="t")
    assert failures.value.learner_ids == [due_learners[2]]
    assert sorted(to for to, _ in smtp_server.delivered) == [f"smtp{i}@example.com" for i in (0, 1, 3, 4)]
    assert len({peer for _, peer in smtp_server.delivered}) == 2  # a fresh session after the refusal
    days = ReminderDay.objects.filter(learner_id__in=due_learners)
    assert days.filter(status="sent").count() == 4
    assert days.get(status="claimed").learner_id == due_learners[2]
    # The task's retry, once the server takes it: that one e-mail, and nothing sent twice.
    smtp_server.refused = set()
    assert send_batch(learner_ids=failures.value.learner_ids, claim_token="t").sent == 1
    assert sorted(to for to, _ in smtp_server.delivered) == [f"smtp{i}@example.com" for i in range(5)]
