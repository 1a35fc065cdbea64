"""The export holds every row that belongs to the learner (found by walking the models that point at the
user, as the deletion test does) and none of anyone else's; its query count does not grow with the data."""

import csv
import datetime
import io
import json

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.utils import timezone

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Attempt, Card, ParameterFit, Question, ReminderDay, ReviewLog
from quizzes.reviews import answer_card
from roadmap.models import Topic
from tests.conftest import LearnerState

pytestmark = pytest.mark.django_db

# Where each model that belongs to a learner shows up in the export: (section, how many of the learner's rows
# the section holds). A new model pointing at the user fails test_every_learner_model_is_exported until it
# is exported and listed here.
SECTIONS = {
    "accounts.User": lambda data: 1 if data["profile"]["email"] else 0,
    "accounts.ApiToken": lambda data: len(data["api_tokens"]),
    "account.EmailAddress": lambda data: len(data["email_addresses"]),
    "account.EmailConfirmation": lambda data: len(data["email_confirmations"]),
    "admin.LogEntry": lambda data: len(data["admin_actions"]),
    "learning.TopicProgress": lambda data: len(data["progress"]),
    "learning.ResourceTick": lambda data: len(data["resource_ticks"]),
    "learning.TopicNote": lambda data: len(data["notes"]),
    "learning.Follow": lambda data: len(data["follows"]),
    "learning.Activity": lambda data: len(data["activity"]),
    "quizzes.Attempt": lambda data: len(data["attempts"]),
    "quizzes.ServedQuestion": lambda data: sum(len(a["questions"]) for a in data["attempts"]),
    "quizzes.Answer": lambda data: sum(q["answer"] is not None for a in data["attempts"] for q in a["questions"]),
    "quizzes.Card": lambda data: len(data["cards"]),
    "quizzes.ReviewLog": lambda data: len(data["review_logs"]),
    "quizzes.ReminderDay": lambda data: len(data["reminder_days"]),
    "quizzes.ParameterFit": lambda data: len(data["parameter_fits"]),
    "quizzes.PlacementSession": lambda data: len(data["placement_tests"]),
    "quizzes.PlacementAnswer": lambda data: sum(len(p["answers"]) for p in data["placement_tests"]),
}


def learner_models() -> dict:
    """Every model whose rows belong to a user: a foreign key to the user, or to a model that belongs to one,
    with the lookup from the model to the user."""
    owned = {settings.AUTH_USER_MODEL: ("pk", apps.get_model(settings.AUTH_USER_MODEL))}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model._meta.label in owned or model._meta.proxy:  # a proxy's rows are its concrete model's
                continue
            for field in model._meta.concrete_fields:
                target = field.related_model._meta.label if field.is_relation and field.related_model else None
                if target in owned:
                    path = owned[target][0]
                    owned[model._meta.label] = (field.name if path == "pk" else f"{field.name}__{path}", model)
                    grew = True
                    break
    return owned


def fill(learner):
    """One of everything a learner can own, plus a second attempt and a same-day repeat review."""
    state = LearnerState(learner)
    ReminderDay.objects.create(learner=learner, local_date=datetime.date(2026, 12, 1), claim_token="t",
                               claimed_at=timezone.now(), status="sent", sent_at=timezone.now())
    address = EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    EmailConfirmation.create(address)
    LogEntry.objects.create(user=learner, object_repr=f"an edit by {learner.email}", action_flag=ADDITION,
                            change_message="[]")
    right = state.reviewed_card.question.choices.get(is_correct=True).pk
    answer_card(learner=learner, card_id=state.reviewed_card.pk, answer={"choices": [right]})
    ParameterFit.objects.create(learner=learner, fitted_at=timezone.now(), review_logs=600, train_items=400,
                                held_out_items=100, parameters=[0.5] * 21, log_loss_default=0.3,
                                log_loss_fitted=0.29, adopted=True)
    return state


@pytest.fixture
def both(alice, bob, quiz_content):
    return fill(alice), fill(bob)


def test_every_learner_model_is_exported(client, alice, bob, both):
    client.force_login(alice)
    data = json.loads(client.get("/settings/export/").content)
    assert data["format"] == 2
    models = learner_models()
    assert set(models) == set(SECTIONS), "export and list every model that belongs to a learner"
    for label, (path, model) in models.items():
        rows = model.objects.filter(**{path: alice.pk}).count()
        assert rows > 0, f"the test fills no {label}"
        assert SECTIONS[label](data) == rows, label


def test_another_learners_rows_never_appear(api, alice, bob, both):
    api.force_authenticate(alice)
    text = api.get("/api/me/export/").content.decode()
    assert "bob@example.com" not in text
    bob_cards = set(Card.objects.filter(learner=bob).values_list("id", flat=True))
    data = json.loads(text)
    assert not bob_cards & {c["id"] for c in data["cards"]}
    bob_attempts = set(Attempt.objects.filter(learner=bob).values_list("id", flat=True))
    assert not bob_attempts & {a["id"] for a in data["attempts"]}
    for secret in ("key_hash", "\"key\""):
        assert secret not in text


def test_attempts_hold_the_served_questions_and_answers(api, alice, both):
    api.force_authenticate(alice)
    data = api.get("/api/me/export/").json()
    submitted = next(a for a in data["attempts"] if a["submitted_at"])
    assert [q["position"] for q in submitted["questions"]] == sorted(q["position"] for q in submitted["questions"])
    numeric = next(q for q in submitted["questions"] if q["question"] == "vectors/dot-product")
    assert numeric["answer"]["value"] == 11 and numeric["answer"]["correct"] is True
    single = next(q for q in submitted["questions"] if q["question"] == "vectors/mean-or-median")
    assert len(single["choices_as_served"]) == 3 and len(single["answer"]["choices"]) == 1
    card = data["cards"][0]
    assert {"state", "stability", "difficulty", "due", "last_review"} <= set(card)


def test_the_export_query_count_does_not_grow(api, alice, both, django_assert_max_num_queries):
    api.force_authenticate(alice)
    with django_assert_max_num_queries(24) as few:
        api.get("/api/me/export/")
    vectors = Topic.objects.get(slug="vectors")
    for _ in range(3):
        attempt = start_attempt(learner=alice, topic=vectors)
        submit_attempt(learner=alice, attempt_id=attempt.pk, answers=[])
    with django_assert_max_num_queries(len(few.captured_queries)):
        api.get("/api/me/export/")


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_review_csv_is_in_the_fsrs_revlog_layout(api, alice, both):
    api.force_authenticate(alice)
    response = api.get("/api/me/export/reviews.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="ascent-reviews.csv"'
    header, *rows = rows_of(response)
    assert header == ["card_id", "review_time", "review_rating", "review_state", "review_duration", "elapsed_days"]
    assert len(rows) == ReviewLog.objects.filter(card__learner=alice).count()
    mine = set(Card.objects.filter(learner=alice).values_list("id", flat=True))
    assert {int(r[0]) for r in rows} == mine
    by_card = {}
    for card_id, review_time, rating, state, _duration, elapsed in rows:
        by_card.setdefault(int(card_id), []).append((int(review_time), int(rating), int(state), int(elapsed)))
    for reviews in by_card.values():
        assert [r[0] for r in reviews] == sorted(r[0] for r in reviews)
        first = reviews[0]
        assert first[2] == 0 and first[3] == -1  # a card's first review: new, no previous review
        assert all(1 <= r[1] <= 4 for r in reviews)


def test_the_review_csv_states_and_elapsed_days_follow_the_card(api, alice, quiz_content):
    """Quiz (day 0, wrong), review two days later (right), then wrong that same day: states 0, the quiz's, the
    review's (a same-day repeat changes nothing, and sees the state the review left); elapsed days -1, 2, 0."""
    vectors = Topic.objects.get(slug="vectors")
    question = Question.objects.get(topic=vectors, key="orthogonal")
    wrong = question.choices.get(is_correct=False).pk
    right = question.choices.get(is_correct=True).pk
    attempt = start_attempt(learner=alice, topic=vectors)
    submit_attempt(learner=alice, attempt_id=attempt.pk, answers=[{"question": question.pk, "choices": [wrong]}])
    card = Card.objects.get(learner=alice, question=question)
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    Card.objects.filter(pk=card.pk).update(last_review=two_days_ago, due=two_days_ago)
    ReviewLog.objects.filter(card=card).update(reviewed_at=two_days_ago)
    state_after_quiz = Card.objects.get(pk=card.pk).state
    answer_card(learner=alice, card_id=card.pk, answer={"choices": [right]})
    answer_card(learner=alice, card_id=card.pk, answer={"choices": [wrong]})
    assert not ReviewLog.objects.filter(card=card).latest("reviewed_at").scheduled
    state_after_review = Card.objects.get(pk=card.pk).state
    api.force_authenticate(alice)
    _, *rows = rows_of(api.get("/api/me/export/reviews.csv"))
    assert [(int(r[2]), int(r[3]), int(r[5])) for r in rows] == [
        (1, 0, -1), (3, state_after_quiz, 2), (1, state_after_review, 0),
    ]


def test_anonymous_visitors_get_no_export(api):
    assert api.get("/api/me/export/reviews.csv").status_code in (401, 403)
    assert api.get("/api/me/export/").status_code in (401, 403)


def test_the_review_csv_query_budget(api, alice, both, django_assert_max_num_queries):
    api.force_authenticate(alice)
    with django_assert_max_num_queries(6):
        api.get("/api/me/export/reviews.csv")
