"""POST /api/attempts/{id}/submit/: grading, bad input (400, nothing saved), privacy, once-only grading."""

import datetime

import pytest
from django.utils import timezone

from learning.models import Activity
from quizzes.models import Answer, Attempt, Card, Choice, Question
from tests.conftest import quiz_with_more_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(api, alice, quiz_content):
    api.force_authenticate(alice)
    return api.post("/api/topics/vectors/quiz/").json()


def ids(key):
    question = Question.objects.get(key=key)
    return question.pk, {c.text: c.pk for c in question.choices.all()}


def perfect_answers():
    single, single_choices = ids("mean-or-median")
    multiple, multiple_choices = ids("which-are-vectors")
    numeric, _ = ids("dot-product")
    tf, tf_choices = ids("orthogonal")
    return [
        {"question": single, "choices": [single_choices["The median"]], "time_ms": 4000},
        {"question": multiple, "choices": [multiple_choices["[1, 2]"], multiple_choices["(3, 4, 5)"]]},
        {"question": numeric, "value": 11.004},
        {"question": tf, "choices": [tf_choices["True"]]},
    ]


def submit(api, attempt_id, answers):
    return api.post(f"/api/attempts/{attempt_id}/submit/", {"answers": answers}, format="json")


def test_perfect_score(api, started):
    response = submit(api, started["id"], perfect_answers())
    assert response.status_code == 200
    body = response.json()
    assert (body["score"], body["max_score"], body["percent"], body["passed"]) == (4, 4, 100, True)
    assert {r["question"] for r in body["results"]} == {q["id"] for q in started["questions"]}
    single = next(r for r in body["results"] if r["type"] == "single")
    assert single["correct"] and single["your_choices"] == single["correct_choices"]
    assert "extreme value" in single["explanation"]
    assert Answer.objects.get(question__key="mean-or-median").time_ms == 4000
    assert Activity.objects.filter(kind="quiz").count() == 1


def test_partial_credit_and_blanks(api, started):
    multiple, choices = ids("which-are-vectors")
    response = submit(api, started["id"], [{"question": multiple, "choices": [choices["[1, 2]"], choices["a string"]]}])
    body = response.json()
    assert body["score"] == 0.0  # 1/2 - 1/2
    result = next(r for r in body["results"] if r["question"] == multiple)
    assert result["points"] == 0.0 and not result["correct"]
    assert Answer.objects.filter(attempt_id=started["id"]).count() == 4  # blanks are stored as zero-point answers


def wrong_choice_of_another_question():
    single, _ = ids("mean-or-median")
    _, tf_choices = ids("orthogonal")
    return [{"question": single, "choices": [tf_choices["True"]]}]


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        (wrong_choice_of_another_question, "is not one of this question's"),
        (lambda: [{"question": 999999, "choices": []}], "not part of this attempt"),
        (lambda: [{"question": ids("dot-product")[0], "value": "eleven"}], "A valid number is required"),
        (lambda: [{"question": ids("dot-product")[0], "choices": [1]}], "takes a value, not choices"),
        (lambda: [{"question": ids("orthogonal")[0], "value": 1}], "takes choices, not a value"),
        (lambda: [{"question": ids("dot-product")[0], "value": 11}] * 2, "answered twice"),
        (lambda: [{"question": ids("mean-or-median")[0],
                   "choices": list(ids("mean-or-median")[1].values())[:2]}], "takes one choice, not 2"),
        (lambda: [{"question": ids("which-are-vectors")[0],
                   "choices": [list(ids("which-are-vectors")[1].values())[0]] * 2}], "picked twice"),
        (lambda: [{"question": ids("dot-product")[0]}], "Give either choices"),
        (lambda: [{"question": ids("dot-product")[0], "value": 11, "bonus": True}], "Unknown"),
        (lambda: "not a list", "Expected a list"),
    ],
)
def test_bad_answers_are_400_and_nothing_is_saved(api, started, answers, words):
    payload = answers() if callable(answers) else answers
    response = submit(api, started["id"], payload)
    assert response.status_code == 400
    assert words in str(response.json()), response.json()
    assert not Answer.objects.exists()
    assert Attempt.objects.get(pk=started["id"]).submitted_at is None


def test_not_a_number_and_infinity_are_refused(api, started):
    question = ids("dot-product")[0]
    for literal in ["NaN", "Infinity", "1e999"]:
        body = f'{{"answers": [{{"question": {question}, "value": {literal}}}]}}'
        response = api.generic("POST", f"/api/attempts/{started['id']}/submit/", body, content_type="application/json")
        assert response.status_code == 400, literal
    assert not Answer.objects.exists()


def test_malformed_json_and_missing_answers_field(api, started):
    response = api.generic("POST", f"/api/attempts/{started['id']}/submit/", "{", content_type="application/json")
    assert response.status_code == 400
    assert api.post(f"/api/attempts/{started['id']}/submit/", {}, format="json").status_code == 400
    assert not Answer.objects.exists()


def test_the_same_answers_again_return_the_same_result(api, started):
    first = submit(api, started["id"], perfect_answers()).json()
    again = submit(api, started["id"], perfect_answers())
    assert again.status_code == 200 and again.json() == first
    assert Answer.objects.count() == 4
    assert Activity.objects.filter(kind="quiz").count() == 1


def test_the_result_shown_at_submit_is_the_one_stored(api, started):
    """The submit's results are built from what grading read; reading them back gives the same."""
    multiple, choices = ids("which-are-vectors")
    numeric, _ = ids("dot-product")
    answers = [{"question": multiple, "choices": [choices["[1, 2]"]], "time_ms": 7000},
               {"question": numeric, "value": 10.5}]  # a partial credit, a miss and two blanks
    body = submit(api, started["id"], answers).json()
    detail = api.get(f"/api/attempts/{started['id']}/").json()
    assert body["results"] == detail["results"]
    assert (body["score"], body["percent"], body["submitted_at"]) == (
        detail["score"], detail["percent"], detail["submitted_at"])
    assert submit(api, started["id"], answers).json() == body


def test_other_answers_to_a_submitted_attempt_are_refused(api, started):
    submit(api, started["id"], perfect_answers())
    response = submit(api, started["id"], [])
    assert response.status_code == 400 and "already submitted" in response.json()["attempt"][0]
    assert Attempt.objects.get(pk=started["id"]).score == 4


def test_an_expired_attempt_is_refused(api, started):
    Attempt.objects.filter(pk=started["id"]).update(started_at=timezone.now() - datetime.timedelta(hours=25))
    response = submit(api, started["id"], perfect_answers())
    assert response.status_code == 400 and "expired" in response.json()["attempt"][0]
    assert not Answer.objects.exists()


def test_another_learner_gets_404(api, bob, started):
    api.force_authenticate(bob)
    assert submit(api, started["id"], []).status_code == 404
    # Whatever the body: a bad one does not tell bob the attempt exists.
    assert submit(api, started["id"], "not a list").status_code == 404
    assert api.generic("POST", f"/api/attempts/{started['id']}/submit/", "{",
                       content_type="application/json").status_code == 404
    assert api.get(f"/api/attempts/{started['id']}/").status_code == 404
    assert not Answer.objects.exists()


def test_anonymous_gets_401(api, started):
    api.force_authenticate(None)
    assert submit(api, started["id"], []).status_code == 401


def test_first_attempt_flag(api, started):
    submit(api, started["id"], [])
    second = api.post("/api/topics/vectors/quiz/").json()
    submit(api, second["id"], [])
    assert list(Attempt.objects.order_by("started_at").values_list("is_first", flat=True)) == [True, False]


def answers_to(started) -> list[dict]:
    """A timed answer to every question served, the first choice or 11."""
    return [
        {"question": q["id"], "time_ms": 5000,
         **({"value": 11} if q["type"] == "numeric" else {"choices": [q["choices"][0]["id"]]})}
        for q in started["questions"]
    ]


@pytest.mark.parametrize(("history", "more_questions"), [(0, 0), (25, 0), (3, 40)])
def test_submit_and_results_budgets_do_not_grow(api, alice, quiz_content, django_assert_max_num_queries, history,
                                                 more_questions):
    if more_questions:
        quiz_content.questions("vectors", quiz_with_more_questions(more_questions))
        quiz_content.load()
    api.force_authenticate(alice)
    for _ in range(history):
        past = api.post("/api/topics/vectors/quiz/").json()
        submit(api, past["id"], answers_to(past))
    # Cards last reviewed on an earlier day: this submit reschedules them, and creates the ones never answered.
    Card.objects.update(last_review=timezone.now() - datetime.timedelta(days=2))
    attempt = api.post("/api/topics/vectors/quiz/").json()
    # Savepoint, attempt (locked), served questions, choices, answers, choices picked, attempt, activity,
    # median, cards (locked), new cards, rescheduled cards, review logs, release; the learner's cached pages
    # made stale; the learner's due counts per day, once for the whole quiz, when an interval leaves a choice of
    # days (load balancing).
    with django_assert_max_num_queries(16):
        assert submit(api, attempt["id"], answers_to(attempt)).status_code == 200
    with django_assert_max_num_queries(8):  # the same answers again: the stored answers, the result; stale pages
        assert submit(api, attempt["id"], answers_to(attempt)).status_code == 200
    with django_assert_max_num_queries(7):
        assert api.get(f"/api/attempts/{attempt['id']}/").status_code == 200
    with django_assert_max_num_queries(3):
        assert api.get("/api/attempts/").status_code == 200


def test_attempt_list_and_detail_are_the_learners_own(api, alice, bob, started):
    api.force_authenticate(bob)
    assert api.get("/api/attempts/").json()["results"] == []
    api.force_authenticate(alice)
    listed = api.get("/api/attempts/", {"topic": "vectors"}).json()["results"]
    assert [a["status"] for a in listed] == ["open"]
    detail = api.get(f"/api/attempts/{started['id']}/").json()
    assert "questions" in detail and "results" not in detail
    submit(api, started["id"], perfect_answers())
    detail = api.get(f"/api/attempts/{started['id']}/").json()
    assert detail["status"] == "submitted" and detail["percent"] == 100 and len(detail["results"]) == 4


def test_choice_ids_carry_no_hint_of_the_answer(quiz_content):
    """Choices are inserted in a shuffled order, so the correct one is not reliably the first id."""
    positions = []
    for question in Question.objects.filter(type__in=["single"]):
        ordered = list(Choice.objects.filter(question=question).order_by("pk").values_list("is_correct", flat=True))
        positions.append(ordered.index(True))
    assert positions  # one question here; the shuffle itself is exercised in the loader
