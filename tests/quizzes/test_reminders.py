"""Reminders: at each learner's local time, exactly once per local day, none lost, one-click unsubscribe."""

import datetime
import threading
from datetime import UTC

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from quizzes import reminders
from quizzes.models import Card, Question, ReminderDay, ReviewLog
from quizzes.reminders import fan_out, next_reminder_at, send_batch
from tests.email_backends import FlakyBackend

pytestmark = pytest.mark.django_db


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def make_learner(quiz_content):
    question = Question.objects.get(key="dot-product")

    def make(email, *, zone="UTC", hour=18, verified=True, due=True, enabled=True, now=None):
        learner = User.objects.create_user(email=email, password="pw-123456789", time_zone=zone,
                                           reminder_time=datetime.time(hour, 0), reminders_enabled=enabled)
        EmailAddress.objects.create(user=learner, email=email, verified=verified, primary=True)
        now = now or timezone.now()
        learner.next_reminder_at = now - datetime.timedelta(minutes=1)
        learner.save(update_fields=["next_reminder_at"])
        if due:
            Card.objects.create(learner=learner, question=question, due=now - datetime.timedelta(hours=2),
                                last_review=now - datetime.timedelta(days=3), stability=2.0, difficulty=5.0, state=2)
        return learner

    return make


def run_fan_out(now=None):
    """Runs the fan-out and the chunks it enqueues, in process."""
    chunks = []
    fan_out(enqueue=lambda ids, token: chunks.append((ids, token)), now=now)
    for ids, token in chunks:
        send_batch(learner_ids=ids, claim_token=token, now=now)
    return chunks


def test_reminder_instants_follow_each_learners_clock():
    auckland = User(time_zone="Pacific/Auckland", reminder_time=datetime.time(18, 0))  # UTC+13 in January
    honolulu = User(time_zone="Pacific/Honolulu", reminder_time=datetime.time(18, 0))  # UTC-10
    now = at(2026, 1, 10, 12, 0)
    assert next_reminder_at(auckland, after=now) == at(2026, 1, 11, 5, 0)  # 18:00 on the 11th there
    assert next_reminder_at(honolulu, after=now) == at(2026, 1, 11, 4, 0)  # 18:00 on the 10th there
    assert next_reminder_at(honolulu, after=at(2026, 1, 11, 4, 0)) == at(2026, 1, 12, 4, 0)


def test_daylight_saving_keeps_the_local_hour():
    new_york = User(time_zone="America/New_York", reminder_time=datetime.time(18, 0))
    assert next_reminder_at(new_york, after=at(2026, 3, 7, 12, 0)) == at(2026, 3, 7, 23, 0)  # EST, UTC-5
    assert next_reminder_at(new_york, after=at(2026, 3, 8, 12, 0)) == at(2026, 3, 8, 22, 0)  # EDT, UTC-4
    # 02:30 does not exist on 8 March 2026 in New York: the reminder goes just after the jump.
    early = User(time_zone="America/New_York", reminder_time=datetime.time(2, 30))
    assert next_reminder_at(early, after=at(2026, 3, 8, 5, 0)) == at(2026, 3, 8, 7, 30)


def test_only_the_right_learners_are_reminded(make_learner):
    make_learner("ready@example.com")
    make_learner("unverified@example.com", verified=False)
    make_learner("nothing-due@example.com", due=False)
    make_learner("off@example.com", enabled=False)
    later = make_learner("later@example.com")
    later.next_reminder_at = timezone.now() + datetime.timedelta(hours=3)
    later.save()
    run_fan_out()
    assert [m.to for m in mail.outbox] == [["ready@example.com"]]


def test_the_email(make_learner, settings):
    settings.SITE_URL = "https://ascent.example.com"
    make_learner("ada@example.com")
    run_fan_out()
    [message] = mail.outbox
    assert message.subject == "[Ascent] 1 question to review today"
    assert "Vectors: 1" in message.body and "https://ascent.example.com/reviews/" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "Review now" in html
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://ascent.example.com/reminders/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_chunks_emails_are_the_templates_rendered_alone(make_learner):
    """The composer renders the compiled templates with one Context for a whole chunk: each e-mail must be
    what the templates give on their own, nothing carried over from the learner before (a name, a topic)."""
    named = make_learner("grace@example.com")
    named.display_name = "Grace <Hopper> & Co"
    unnamed = make_learner("anon@example.com")
    unnamed.display_name = ""
    composer = reminders.ReminderComposer(now=timezone.now())
    many = [reminders.DueTopic(title=f"Topic {i} & <more>", slug=f"t{i}", due=1000 + i) for i in range(5)]
    for learner, topics in [(named, many), (unnamed, many[:1]), (named, many[:2])]:
        message = composer.message(learner, topics)
        count = sum(t.due for t in topics)
        context = {
            "review_url": composer.site + reverse("quizzes:review"), "site_url": composer.site,
            "settings_url": composer.site + reverse("accounts:settings"),
            "unsubscribe_days": reminders.UNSUBSCRIBE_LINK_DAYS,
            "learner": learner, "count": count, "topics": topics[:reminders.TOP_TOPICS],
            "more_topics": max(0, len(topics) - reminders.TOP_TOPICS),
            "unsubscribe_url": message.extra_headers["List-Unsubscribe"][1:-1],
        }
        assert message.body == render_to_string("emails/reminder.txt", context)
        assert message.alternatives[0][0] == render_to_string("emails/reminder.html", context)
    assert "Grace <Hopper> & Co" in composer.message(named, many).body  # plain text: not escaped
    assert "Grace &lt;Hopper&gt; &amp; Co" in composer.message(named, many).alternatives[0][0]


def test_fan_out_twice_sends_once_and_moves_to_tomorrow(make_learner):
    learner = make_learner("once@example.com")
    run_fan_out()
    run_fan_out()
    assert len(mail.outbox) == 1
    learner.refresh_from_db()
    assert learner.next_reminder_at > timezone.now()
    assert ReminderDay.objects.get().status == "sent"


def test_a_redelivered_or_duplicated_chunk_sends_once(make_learner):
    learner = make_learner("dup@example.com")
    send_batch(learner_ids=[learner.pk], claim_token="beat-one")
    send_batch(learner_ids=[learner.pk], claim_token="beat-two")  # a second beat's fan-out
    send_batch(learner_ids=[learner.pk], claim_token="beat-one")  # the first task, redelivered
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_email_each(make_learner):
    learners = [make_learner(f"w{i}@example.com") for i in range(6)]
    ids = [learner.pk for learner in learners]
    barrier = threading.Barrier(2)

    def worker(token):
        barrier.wait()
        send_batch(learner_ids=ids, claim_token=token)
        connection.close()

    threads = [threading.Thread(target=worker, args=(f"t{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"w{i}@example.com" for i in range(6))


def test_no_reminder_after_reviewing_today(make_learner):
    learner = make_learner("diligent@example.com")
    ReviewLog.objects.create(card=Card.objects.get(learner=learner), rating=3, reviewed_at=timezone.now(),
                             correct=True, source="review", scheduled=True)
    run_fan_out()
    assert mail.outbox == []
    learner.refresh_from_db()
    assert learner.next_reminder_at > timezone.now()  # tomorrow


def test_failures_are_retried_then_released_and_sent_later(make_learner, settings):
    settings.EMAIL_BACKEND = "tests.email_backends.FlakyBackend"
    FlakyBackend.failing = {"flaky@example.com"}
    flaky = make_learner("flaky@example.com")
    fine = make_learner("fine@example.com")
    with pytest.raises(reminders.SendFailures) as failures:
        send_batch(learner_ids=[flaky.pk, fine.pk], claim_token="t1")
    assert failures.value.learner_ids == [flaky.pk]
    assert [m.to for m in mail.outbox] == [["fine@example.com"]]
    # A retry of the same chunk (same token) tries only the unsent learner again.
    with pytest.raises(reminders.SendFailures):
        send_batch(learner_ids=failures.value.learner_ids, claim_token="t1")
    # The last retry failed: the claim is released, so the next fan-out picks the learner up again.
    assert reminders.release_claims(learner_ids=[flaky.pk], claim_token="t1") == 1
    FlakyBackend.failing = set()
    run_fan_out()
    assert sorted(m.to[0] for m in mail.outbox) == ["fine@example.com", "flaky@example.com"]
    run_fan_out()
    assert len(mail.outbox) == 2


def test_fan_out_queries_per_batch_not_per_learner(make_learner, django_assert_max_num_queries):
    for i in range(30):
        make_learner(f"bulk{i}@example.com")
    chunks = []
    with django_assert_max_num_queries(3):
        fan_out(enqueue=lambda ids, token: chunks.append(ids))
    assert sum(len(c) for c in chunks) == 30


def test_a_chunk_has_a_fixed_number_of_queries_plus_one_update_per_email(make_learner,
                                                                          django_assert_max_num_queries):
    ids = [make_learner(f"q{i}@example.com").pk for i in range(20)]
    with django_assert_max_num_queries(8 + 20):
        send_batch(learner_ids=ids, claim_token="x")
    assert len(mail.outbox) == 20


def test_unsubscribe_link(client, make_learner, bob):
    learner = make_learner("leaving@example.com")
    token = reminders.unsubscribe_token(learner)
    assert "Stop review reminders?" in client.get(f"/reminders/unsubscribe/{token}/").content.decode()
    response = client.post(f"/reminders/unsubscribe/{token}/")  # one click, no session, no CSRF token
    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    learner.refresh_from_db()
    assert learner.reminders_enabled is False
    bob.refresh_from_db()
    assert bob.reminders_enabled is True


def test_a_tampered_or_forged_link_does_nothing(client, make_learner, bob):
    learner = make_learner("target@example.com")
    token = reminders.unsubscribe_token(learner)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(f"/reminders/unsubscribe/{tampered}/").status_code == 400
    from django.core import signing

    forged = signing.dumps({"learner": bob.pk}, salt="not-the-right-salt", compress=True)
    assert client.post(f"/reminders/unsubscribe/{forged}/").status_code == 400
    learner.refresh_from_db()
    bob.refresh_from_db()
    assert learner.reminders_enabled and bob.reminders_enabled
