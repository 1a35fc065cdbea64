"""FSRS scheduling: the library's own outcomes, rating rules, the first-review-of-the-day rule, too easy."""

import datetime
from datetime import UTC

import fsrs
import pytest

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Card, Question, Rating, ReviewLog
from quizzes.reviews import answer_card
from quizzes.scheduling import LEARNING_STEPS, RELEARNING_STEPS, mark_too_easy, memory_strength, rating_for
from roadmap.models import Topic

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def numeric_card(alice):
    attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
    question = Question.objects.get(key="dot-product")
    submit_attempt(learner=alice, attempt_id=attempt.pk, answers=[{"question": question.pk, "value": 11}], now=T0)
    return Card.objects.get(learner=alice, question=question)


def reference_scheduler():
    """The library itself, with the settings Ascent uses (and a learner's default preferences)."""
    return fsrs.Scheduler(enable_fuzzing=False, maximum_interval=365, desired_retention=0.9,
                          learning_steps=LEARNING_STEPS, relearning_steps=RELEARNING_STEPS)


@pytest.mark.parametrize(
    ("correct", "time_ms", "median", "rating"),
    [(False, 1000, 1000, Rating.AGAIN), (True, 1000, 1000, Rating.GOOD), (True, 2000, 1000, Rating.GOOD),
     (True, 2001, 1000, Rating.HARD), (True, 5000, None, Rating.GOOD), (False, 9000, 1000, Rating.AGAIN)],
)
def test_rating_rules(correct, time_ms, median, rating):
    assert rating_for(correct=correct, time_ms=time_ms, median_ms=median) == rating


def test_a_card_is_created_at_the_first_quiz_answer_and_matches_the_library(alice, quiz_content):
    card = numeric_card(alice)
    expected, _ = reference_scheduler().review_card(
        fsrs.Card(), fsrs.Rating.Good, T0
    )
    assert card.state == int(expected.state) and card.step == expected.step
    assert card.stability == pytest.approx(expected.stability) and card.difficulty == pytest.approx(expected.difficulty)
    assert card.due == expected.due
    # Unanswered questions of the attempt got no card.
    assert Card.objects.filter(learner=alice).count() == 1


def test_a_fixed_review_sequence_matches_the_library(alice, quiz_content):
    card = numeric_card(alice)
    scheduler = reference_scheduler()
    reference, _ = scheduler.review_card(fsrs.Card(), fsrs.Rating.Good, T0)
    for value, rating in [(11, fsrs.Rating.Good), (3, fsrs.Rating.Again), (11, fsrs.Rating.Good),
                          (11, fsrs.Rating.Good)]:
        at = Card.objects.get(pk=card.pk).due  # review exactly when due, on a later day each time
        at = max(at, reference.due) + datetime.timedelta(days=1)
        answer_card(learner=alice, card_id=card.pk, answer={"value": value}, now=at)
        reference, _ = scheduler.review_card(reference, rating, at)
        stored = Card.objects.get(pk=card.pk)
        assert stored.state == int(reference.state)
        assert stored.stability == pytest.approx(reference.stability)
        assert stored.difficulty == pytest.approx(reference.difficulty)
        assert stored.due == reference.due
    assert ReviewLog.objects.filter(card=card).count() == 5


def test_only_the_first_review_of_a_local_day_moves_the_schedule(alice, quiz_content):
    alice.time_zone = "Pacific/Auckland"  # 09:00 UTC is 22:00 the same day there, in March
    alice.save()
    card = numeric_card(alice)
    due_after_first = Card.objects.get(pk=card.pk).due
    answer_card(learner=alice, card_id=card.pk, answer={"value": 3}, now=T0 + datetime.timedelta(hours=1))
    assert Card.objects.get(pk=card.pk).due == due_after_first  # 23:00 local: same day, logged only
    assert list(ReviewLog.objects.filter(card=card).values_list("scheduled", flat=True).order_by("reviewed_at")) == [
        True, False]
    answer_card(learner=alice, card_id=card.pk, answer={"value": 3}, now=T0 + datetime.timedelta(hours=3))
    assert Card.objects.get(pk=card.pk).due != due_after_first  # 01:00 local: a new day


def test_too_easy_re_rates_a_right_answer(alice, quiz_content):
    card = numeric_card(alice)
    good_due = Card.objects.get(pk=card.pk).due
    mark_too_easy(learner=alice, card=card)
    card.refresh_from_db()
    expected, _ = reference_scheduler().review_card(
        fsrs.Card(), fsrs.Rating.Easy, T0
    )
    assert card.due == expected.due > good_due
    assert ReviewLog.objects.get(card=card).rating == Rating.EASY


def test_too_easy_is_refused_after_a_wrong_answer(alice, quiz_content):
    from quizzes.scheduling import NotTooEasy

    card = numeric_card(alice)
    answer_card(learner=alice, card_id=card.pk, answer={"value": 3}, now=T0 + datetime.timedelta(days=3))
    with pytest.raises(NotTooEasy):
        mark_too_easy(learner=alice, card=card)


def test_learner_settings_reach_the_scheduler(alice, quiz_content):
    alice.desired_retention, alice.maximum_interval = 0.97, 2
    alice.save()
    card = numeric_card(alice)
    for day in range(1, 6):
        answer_card(learner=alice, card_id=card.pk, answer={"value": 11}, now=T0 + datetime.timedelta(days=day * 3))
    card.refresh_from_db()
    assert card.due - card.last_review <= datetime.timedelta(days=2)


def test_memory_strength_fades_with_time(alice, quiz_content):
    card = numeric_card(alice)
    topic_id = card.question.topic_id
    fresh = memory_strength(alice, now=T0 + datetime.timedelta(hours=1))[topic_id]
    later = memory_strength(alice, now=T0 + datetime.timedelta(days=30))[topic_id]
    assert fresh.cards == 1 and 0.95 < fresh.strength <= 1.0
    assert later.strength < fresh.strength


def test_memory_strength_never_sleeps(alice, quiz_content, monkeypatch):
    # fsrs.Card() without a card_id sleeps 1 ms to make its id unique: once per card, on every page.
    numeric_card(alice)

    def no_sleep(seconds):
        raise AssertionError(f"slept {seconds} s")

    monkeypatch.setattr(fsrs.card.time, "sleep", no_sleep)
    assert memory_strength(alice, now=T0)


def test_a_later_quiz_reschedules_existing_cards_as_the_library_does(alice, quiz_content):
    card = numeric_card(alice)
    created_at = card.created_at
    question = card.question
    reference, _ = reference_scheduler().review_card(fsrs.Card(), fsrs.Rating.Good, T0)
    for at, value, rating in [(T0 + datetime.timedelta(hours=1), 3, None),  # the same day: logged only
                              (T0 + datetime.timedelta(days=3), 3, fsrs.Rating.Again),
                              (T0 + datetime.timedelta(days=9), 11, fsrs.Rating.Good)]:
        attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
        submit_attempt(learner=alice, attempt_id=attempt.pk, answers=[{"question": question.pk, "value": value}],
                       now=at)
        if rating is not None:
            reference, _ = reference_scheduler().review_card(reference, rating, at)
        stored = Card.objects.get(pk=card.pk)
        assert (stored.state, stored.step, stored.due) == (int(reference.state), reference.step, reference.due)
        assert stored.stability == pytest.approx(reference.stability)
        assert stored.difficulty == pytest.approx(reference.difficulty)
        assert stored.last_review == reference.last_review and stored.created_at == created_at
    assert list(ReviewLog.objects.filter(card=card).order_by("reviewed_at").values_list("scheduled", "rating")) == [
        (True, Rating.GOOD), (False, Rating.AGAIN), (True, Rating.AGAIN), (True, Rating.GOOD)]
