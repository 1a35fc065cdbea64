"""`make_load_data`: load-test learners in bulk, repeatable from a seed, coherent with what the app records."""

import datetime
from io import StringIO

import fsrs
import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command, load_command_class
from django.utils import timezone

from accounts.models import User
from bench.load_data import LOAD_PASSWORD
from learning.models import Activity, Follow, TopicProgress
from quizzes.models import Answer, Attempt, Card, ReminderDay, ReviewLog, ServedQuestion
from quizzes.scheduling import scheduler_for
from tests.conftest import QUIZ

# The command writes from a second thread with its own connection: the data must really be committed.
pytestmark = pytest.mark.django_db(transaction=True)

NOW = "2026-11-21T12:00:00+00:00"


@pytest.fixture
def quizzed_content(content):
    """Two roadmaps of six topics, each topic with the four questions of QUIZ."""
    for i in range(6):
        content.topic(f"topic-{i}")
        content.questions(f"topic-{i}", QUIZ)
    content.roadmap("first", [("A", ["topic-0", "topic-1", "topic-2"]), ("B", ["topic-3"])])
    content.roadmap("second", [("C", ["topic-3", "topic-4", "topic-5"])], order=2)
    content.load()
    return content


def make(*args) -> str:
    out = StringIO()
    # bench is not an installed app of the product's settings, which the suite runs on: load its command by name.
    call_command(load_command_class("bench", "make_load_data"), *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> dict:
    """Everything generated, by natural keys (ids depend on the sequences, which tests share)."""
    learner = "learner__email"
    return {
        "users": list(User.objects.order_by("email").values_list(
            "email", "date_joined", "last_login", "display_name", "time_zone", "reminder_time", "reminders_enabled",
            "next_reminder_at")),
        "follows": list(Follow.objects.order_by(learner, "roadmap__slug").values_list(learner, "roadmap__slug")),
        "progress": list(TopicProgress.objects.order_by(learner, "topic__slug").values_list(
            learner, "topic__slug", "status", "updated_at")),
        "attempts": list(Attempt.objects.order_by(learner, "submitted_at").values_list(
            learner, "topic__slug", "started_at", "submitted_at", "score", "max_score", "is_first")),
        "answers": list(Answer.objects.order_by("attempt__learner__email", "attempt__submitted_at", "served__position")
                        .values_list("question__key", "served__choice_order", "value", "correct", "points", "time_ms")),
        "cards": list(Card.objects.order_by(learner, "question__topic__slug", "question__key").values_list(
            "state", "stability", "difficulty", "due", "last_review")),
        "logs": list(ReviewLog.objects.order_by("card__learner__email", "reviewed_at", "card__question__key")
                     .values_list("rating", "reviewed_at", "correct", "source", "scheduled", "card_before", "answer")),
        "activities": list(Activity.objects.order_by(learner, "at", "kind", "detail").values_list(
            "kind", "topic__slug", "detail", "at")),
        "reminder_days": list(ReminderDay.objects.order_by(learner, "local_date").values_list(
            learner, "local_date", "claim_token", "sent_at")),
    }


def test_learners_get_their_cards_logs_and_a_known_password(quizzed_content):
    out = make("--learners=5", "--cards=10", "--seed=3", "--batch-size=2")
    assert "Made 5 learners, learner0@load.test to learner4@load.test" in out

    learners = User.objects.order_by("pk")
    assert [u.email for u in learners] == [f"learner{n}@load.test" for n in range(5)]
    assert all(u.check_password(LOAD_PASSWORD) for u in learners)
    assert len({u.password for u in learners}) == 1  # hashed once
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 5
    for learner in learners:
        assert Card.objects.filter(learner=learner).count() == 10
        assert Follow.objects.filter(learner=learner).exists()
        assert learner.next_reminder_at > timezone.now()
    logs, cards = ReviewLog.objects.count(), Card.objects.count()
    assert cards <= logs <= 4 * cards
    assert not Attempt.objects.filter(submitted_at__isnull=True).exists()
    assert Answer.objects.count() == ServedQuestion.objects.count()
    assert TopicProgress.objects.count() >= Attempt.objects.filter(is_first=True).count()


def test_the_same_seed_makes_the_same_data_whatever_the_batches(quizzed_content):
    make("--learners=4", "--cards=10", "--seed=7", "--batch-size=3", f"--now={NOW}")
    first = snapshot()
    User.objects.all().delete()

    # In two runs (the second adds learners 2 and 3) and other batches: the same rows.
    make("--learners=2", "--cards=10", "--seed=7", "--batch-size=1", f"--now={NOW}")
    assert "Nothing to do" in make("--learners=2", "--cards=10", "--seed=7", f"--now={NOW}")
    out = make("--learners=4", "--cards=10", "--seed=7", "--batch-size=1", f"--now={NOW}")
    assert "Made 2 learners, learner2@load.test to learner3@load.test" in out
    assert snapshot() == first

    User.objects.all().delete()
    make("--learners=4", "--cards=10", "--seed=8", f"--now={NOW}")
    assert snapshot()["cards"] != first["cards"]


def test_every_card_replays_from_its_logs_and_nothing_is_in_the_future(quizzed_content):
    make("--learners=4", "--cards=12", "--logs-per-card=3")
    now = timezone.now()
    for card in Card.objects.select_related("learner", "question"):
        logs = list(card.logs.order_by("reviewed_at", "pk"))
        first_attempt = Attempt.objects.get(learner=card.learner, topic=card.question.topic, is_first=True)
        assert logs[0].source == "quiz" and logs[0].reviewed_at == first_attempt.submitted_at
        assert logs[0].correct == first_attempt.answers.get(question=card.question).correct
        assert card.created_at == logs[0].reviewed_at
        # The scheduled logs, replayed through the app's own scheduler, give the card's state.
        replayed = fsrs.Card(card_id=0, due=logs[0].reviewed_at.astimezone(datetime.UTC))
        for log in logs:
            if log.scheduled:
                assert log.card_before["due"] == replayed.due.isoformat()
                replayed, _ = scheduler_for(card.learner).review_card(
                    replayed, fsrs.Rating(log.rating), log.reviewed_at.astimezone(datetime.UTC))
        assert (card.state, card.stability, card.difficulty) == (int(replayed.state), replayed.stability,
                                                                  replayed.difficulty)
        assert (card.due, card.last_review) == (replayed.due, replayed.last_review)
        assert card.last_review <= now
    assert not ReviewLog.objects.filter(reviewed_at__gt=now).exists()
    assert not Attempt.objects.filter(submitted_at__gt=now).exists()
    assert not Activity.objects.filter(at__gt=now).exists()
    assert not ReminderDay.objects.filter(sent_at__gt=now).exists()
    assert ReminderDay.objects.filter(status="sent").exists()
    # Most cards are due later; a few are due now.
    assert Card.objects.filter(due__gt=now).count() > Card.objects.count() / 2


def test_a_generated_learner_uses_the_app(quizzed_content, client):
    make("--learners=6", "--cards=12")
    learner = max(User.objects.all(), key=lambda u: u.cards.filter(due__lte=timezone.now()).count())
    client.force_login(learner)
    assert client.get("/dashboard/").status_code == 200
    due = client.get("/api/reviews/due/").json()
    assert 1 <= due["count"] <= 12 and due["cards"]
    card = Card.objects.select_related("question").get(pk=due["cards"][0]["card"])
    assert card.learner == learner
    answer = {"value": 11} if card.question.type == "numeric" else {
        "choices": [card.question.choices.filter(is_correct=True).first().pk]}
    response = client.post(f"/api/reviews/{card.pk}/answer/", answer, content_type="application/json")
    assert response.status_code == 200
    assert datetime.datetime.fromisoformat(response.json()["next_due"]) > timezone.now()
    assert client.get("/api/attempts/").json()["count"] == Attempt.objects.filter(learner=learner).count()


def test_refuses_without_questions(db):
    with pytest.raises(CommandError, match="load_content"):
        make("--learners=1")
    assert not User.objects.exists()
