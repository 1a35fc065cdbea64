"""POST /api/topics/{slug}/quiz/ serves up to ten questions at random, records what was served, leaks nothing."""

import pytest

from quizzes.models import Question, ServedQuestion
from roadmap.models import Topic
from tests.conftest import QUIZ, quiz_with_more_questions

pytestmark = pytest.mark.django_db


def test_start_serves_every_question_without_answers(api, alice, quiz_content):
    api.force_authenticate(alice)
    response = api.post("/api/topics/vectors/quiz/")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "topic", "started_at", "expires_at", "questions"}
    assert len(body["questions"]) == 4
    for question in body["questions"]:
        assert set(question) == {"id", "type", "prompt", "prompt_html", "choices"}
        for choice in question["choices"]:
            assert set(choice) == {"id", "text", "text_html"}
    numeric = next(q for q in body["questions"] if q["type"] == "numeric")
    assert numeric["choices"] == []
    served = ServedQuestion.objects.filter(attempt_id=body["id"]).order_by("position")
    assert [s.question_id for s in served] == [q["id"] for q in body["questions"]]
    for s, question in zip(served, body["questions"], strict=True):
        assert s.choice_order == [c["id"] for c in question["choices"]]
    # Shown from what serving read: the same as reading the attempt back.
    assert api.get(f"/api/attempts/{body['id']}/").json()["questions"] == body["questions"]


def test_at_most_ten_questions_drawn_at_random_with_shuffled_choices(api, alice, small_content):
    many = [
        {"key": f"q{i}", "type": "single", "prompt": f"Question {i}?", "explanation": "Because it is so, really.",
         "choices": [{"text": f"right {i}", "correct": True}] + [{"text": f"wrong {i}.{j}"} for j in range(4)]}
        for i in range(25)
    ]
    small_content.questions("vectors", many)
    small_content.load()
    api.force_authenticate(alice)
    draws = [api.post("/api/topics/vectors/quiz/").json() for _ in range(6)]
    assert all(len(d["questions"]) == 10 for d in draws)
    assert len({tuple(q["id"] for q in d["questions"]) for d in draws}) > 1  # different draws
    orders = {tuple(c["id"] for c in d["questions"][0]["choices"]) for d in draws}
    assert len(orders) > 1 or len({d["questions"][0]["id"] for d in draws}) > 1


def test_inactive_questions_are_not_served(api, alice, quiz_content):
    Question.objects.exclude(key="dot-product").update(active=False)
    api.force_authenticate(alice)
    body = api.post("/api/topics/vectors/quiz/").json()
    assert [q["type"] for q in body["questions"]] == ["numeric"]


def test_a_topic_without_questions_is_400(api, alice, quiz_content):
    api.force_authenticate(alice)
    response = api.post("/api/topics/matrices/quiz/")
    assert response.status_code == 400 and "no quiz questions yet" in response.json()["topic"][0]


def test_unknown_topic_is_404_and_anonymous_is_401(api, alice, quiz_content):
    assert api.post("/api/topics/vectors/quiz/").status_code == 401
    api.force_authenticate(alice)
    assert api.post("/api/topics/nope/quiz/").status_code == 404


@pytest.mark.parametrize(("history", "more_questions"), [(0, 0), (30, 0), (0, 40)])
def test_start_budget_does_not_grow_with_past_answers_or_questions(api, alice, quiz_content,
                                                                   django_assert_max_num_queries, history,
                                                                   more_questions):
    from quizzes.attempts import start_attempt, submit_attempt

    if more_questions:
        quiz_content.questions("vectors", quiz_with_more_questions(more_questions))
        quiz_content.load()
    for _ in range(history):
        attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
        submit_attempt(learner=alice, attempt_id=attempt.pk, answers=[])
    api.force_authenticate(alice)
    # The topic's questions, the drawn ones' choices, savepoint, attempt, served questions, release; and the
    # learner's cached pages made stale.
    with django_assert_max_num_queries(7):
        assert api.post("/api/topics/vectors/quiz/").status_code == 201


def test_question_fixture_has_every_type():
    assert {q["type"] for q in QUIZ} == {"single", "multiple", "numeric", "true_false"}
