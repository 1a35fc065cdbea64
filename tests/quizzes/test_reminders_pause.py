"""While a learner's reviews are paused (its local today on or before `reviews_paused_until`) no reminder goes out;
they resume on the day after the pause, at the learner's own reminder time (fixed clocks)."""

import datetime
from datetime import UTC

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from quizzes.balancing import pause_reviews, resume_reviews
from quizzes.models import Card, Question
from quizzes.reminders import fan_out, next_reminder_at, plan_chunks, send_batch

pytestmark = pytest.mark.django_db

# Friday 4 December 2026, 19:00 UTC: past 18:00 for a learner in UTC.
NOW = datetime.datetime(2026, 12, 4, 19, tzinfo=UTC)


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def make_learner(quiz_content):
    question = Question.objects.get(key="dot-product")

    def make(email, *, zone="UTC", paused_until=None):
        learner = User.objects.create_user(email=email, password="pw-123456789", time_zone=zone,
                                           reminder_time=datetime.time(18, 0), reviews_paused_until=paused_until)
        EmailAddress.objects.create(user=learner, email=email, verified=True, primary=True)
        # Its reminder instant passed before the pause was set (by the admin, or a script): the selection refuses.
        User.objects.filter(pk=learner.pk).update(next_reminder_at=NOW - datetime.timedelta(minutes=5))
        Card.objects.create(learner=learner, question=question, due=NOW - datetime.timedelta(hours=2),
                            last_review=NOW - datetime.timedelta(days=3), stability=2.0, difficulty=5.0, state=2)
        return learner

    return make


def selected(now):
    return {pk for chunk in plan_chunks(now=now) for pk in chunk}


def run_fan_out(now):
    chunks = []
    fan_out(enqueue=lambda ids, token: chunks.append((ids, token)), now=now)
    for ids, token in chunks:
        send_batch(learner_ids=ids, claim_token=token, now=now)


def test_the_selection_leaves_out_learners_on_a_pause(make_learner):
    ready = make_learner("ready@example.com")
    paused = make_learner("paused@example.com", paused_until=datetime.date(2026, 12, 24))
    tomorrow = make_learner("tomorrow@example.com", paused_until=datetime.date(2026, 12, 5))
    ended = make_learner("ended@example.com", paused_until=datetime.date(2026, 12, 3))
    chosen = selected(NOW)
    assert ready.pk in chosen and ended.pk in chosen
    assert paused.pk not in chosen and tomorrow.pk not in chosen


def test_the_selection_never_leaves_out_a_learner_whose_pause_is_over_anywhere(make_learner):
    # Kiritimati's clock is the furthest ahead (UTC+14): at NOW it is already 09:00 on Saturday there, so a pause
    # until Friday is over.
    learner = make_learner("kiritimati@example.com", zone="Pacific/Kiritimati", paused_until=datetime.date(2026, 12, 4))
    assert learner.pk in selected(NOW)


def test_the_next_reminder_is_the_day_after_the_pause_in_the_learners_own_time():
    utc = User(time_zone="UTC", reminder_time=datetime.time(18, 0), reviews_paused_until=datetime.date(2026, 12, 10))
    assert next_reminder_at(utc, after=NOW) == at(2026, 12, 11, 18, 0)
    auckland = User(time_zone="Pacific/Auckland", reminder_time=datetime.time(18, 0),
                    reviews_paused_until=datetime.date(2026, 12, 10))  # UTC+13 in December
    assert next_reminder_at(auckland, after=NOW) == at(2026, 12, 11, 5, 0)
    over = User(time_zone="UTC", reminder_time=datetime.time(18, 0), reviews_paused_until=datetime.date(2026, 12, 1))
    assert next_reminder_at(over, after=NOW) == at(2026, 12, 5, 18, 0)  # a pause in the past changes nothing


def test_no_reminder_during_the_pause_and_one_the_day_after(make_learner):
    learner = make_learner("holiday@example.com")
    start = at(2026, 12, 4, 12, 0)
    pause_reviews(learner=learner, until=datetime.date(2026, 12, 6), now=start)  # Friday to Sunday
    Card.objects.filter(learner=learner).update(due=start)  # due in the pause all the same (a quiz taken in it)
    for day in (4, 5, 6):
        run_fan_out(at(2026, 12, day, 18, 5))
    assert mail.outbox == []
    run_fan_out(at(2026, 12, 7, 18, 5))  # Monday: the reminder goes
    assert [m.to for m in mail.outbox] == [["holiday@example.com"]]


def test_resuming_brings_todays_reminder_back(make_learner):
    learner = make_learner("back@example.com")
    start = at(2026, 12, 4, 12, 0)
    pause_reviews(learner=learner, until=datetime.date(2026, 12, 20), now=start)
    Card.objects.filter(learner=learner).update(due=start)  # something due today after all
    resume_reviews(learner=learner, now=start)
    run_fan_out(at(2026, 12, 4, 18, 5))
    assert [m.to for m in mail.outbox] == [["back@example.com"]]
