"""The placement test's API: start, answer one question at a time, read the proposal, confirm it (issue 17)."""

import json

import pytest

from learning.models import TopicProgress
from quizzes.models import Card, PlacementAnswer, PlacementSession, Question, ReviewLog
from tests.quizzes.test_no_answer_leak import assert_no_leak

pytestmark = pytest.mark.django_db


def right_answer(question_id):
    question = Question.objects.get(pk=question_id)
    if question.type == "numeric":
        return {"question": question_id, "value": question.numeric_answer}
    return {"question": question_id, "choices": [c.pk for c in question.choices.all() if c.is_correct]}


def wrong_answer(question_id):
    question = Question.objects.get(pk=question_id)
    if question.type == "numeric":
        return {"question": question_id, "value": question.numeric_answer + 1000}
    return {"question": question_id, "choices": [question.choices.filter(is_correct=False).first().pk]}


def start(api, slug="first"):
    return api.post(f"/api/roadmaps/{slug}/placement/")


def answer(api, session_id, body):
    return api.post(f"/api/placements/{session_id}/answer/", body, format="json")


def take(api, *, knows=lambda question: True):
    """Starts and answers until finished: right on what `knows` says, wrong otherwise."""
    body = start(api).json()
    while not body["finished"]:
        question = body["question"]["id"]
        response = answer(api, body["id"], right_answer(question) if knows(question) else wrong_answer(question))
        assert response.status_code == 200, response.json()
        body = response.json()
    return body


def test_start_serves_a_question_without_its_answer(api, alice, placement_content):
    api.force_authenticate(alice)
    response = start(api)
    assert response.status_code == 201
    body = response.json()
    assert body["asked"] == 0 and body["max_questions"] == 15 and not body["finished"]
    assert body["question"]["id"] in set(Question.objects.filter(topic__slug__in=["vectors", "matrices"])
                                         .values_list("pk", flat=True))
    assert_no_leak(json.dumps(body))
    assert_no_leak(json.dumps(api.get(f"/api/placements/{body['id']}/").json()))


def test_a_learner_who_knows_everything_is_proposed_everything_and_confirming_marks_done_with_cards(
    api, alice, placement_content
):
    api.force_authenticate(alice)
    body = take(api)
    assert body["finished"] and body["question"] is None and 1 <= body["asked"] <= 15
    assert [p["topic"] for p in body["proposal"]] == ["vectors", "matrices", "gradient-descent"]
    assert all(0.6 <= p["confidence"] <= 1 for p in body["proposal"])
    assert {p["title"] for p in body["proposal"]} == {"Vectors", "Matrices", "Gradient Descent"}
    answered = set(PlacementAnswer.objects.filter(session_id=body["id"]).values_list("question_id", flat=True))

    response = api.post(f"/api/placements/{body['id']}/confirm/", {"topics": ["vectors", "matrices"]}, format="json")
    assert response.status_code == 200 and response.json()["confirmed"]
    assert response.json()["confirmed_topics"] == ["matrices", "vectors"]
    assert set(TopicProgress.objects.filter(learner=alice).values_list("topic__slug", "status")) == {
        ("vectors", "done"), ("matrices", "done")}
    # A card per question answered on a confirmed topic, reviewed once as a quiz's answer is.
    answered = set(Question.objects.filter(pk__in=answered, topic__slug__in=["vectors", "matrices"])
                   .values_list("pk", flat=True))
    reviewed = Card.objects.filter(learner=alice, logs__isnull=False).distinct()
    assert set(reviewed.values_list("question_id", flat=True)) == answered
    assert list(ReviewLog.objects.filter(card__learner=alice).values_list("source", flat=True).distinct()) == ["quiz"]
    assert ReviewLog.objects.filter(card__learner=alice).count() == len(answered)
    # Their other questions: new cards with no review, due over the next week, to check what the learner claimed.
    others = Question.objects.filter(topic__slug__in=["vectors", "matrices"], active=True).exclude(pk__in=answered)
    unasked = Card.objects.filter(learner=alice, question__in=others)
    assert unasked.count() == others.count() > 0 and not ReviewLog.objects.filter(card__in=unasked).exists()
    confirmed_at = PlacementSession.objects.get(pk=body["id"]).confirmed_at
    assert {(card.due - confirmed_at).days for card in unasked} <= set(range(1, 8))
    assert Card.objects.filter(learner=alice).count() == Question.objects.filter(
        topic__slug__in=["vectors", "matrices"], active=True).count()


def test_a_learner_who_knows_nothing_is_proposed_nothing(api, alice, placement_content):
    api.force_authenticate(alice)
    body = take(api, knows=lambda question: False)
    assert body["finished"] and body["proposal"] == []


def test_only_chosen_topics_are_marked_and_get_cards(api, alice, placement_content):
    api.force_authenticate(alice)
    body = take(api)
    response = api.post(f"/api/placements/{body['id']}/confirm/", {"topics": ["vectors"]}, format="json")
    assert response.status_code == 200
    assert list(TopicProgress.objects.filter(learner=alice).values_list("topic__slug", flat=True)) == ["vectors"]
    assert set(Card.objects.filter(learner=alice).values_list("question__topic__slug", flat=True)) <= {"vectors"}


def test_i_dont_know_is_a_miss_and_never_a_card(api, alice, placement_content):
    api.force_authenticate(alice)
    body = start(api).json()
    response = answer(api, body["id"], {"question": body["question"]["id"], "dont_know": True})
    assert response.status_code == 200 and response.json()["asked"] == 1
    assert PlacementAnswer.objects.get(session_id=body["id"]).answer == {"dont_know": True}
    assert not PlacementAnswer.objects.get(session_id=body["id"]).correct


def test_the_same_answer_sent_twice_is_graded_once(api, alice, placement_content):
    api.force_authenticate(alice)
    body = start(api).json()
    sent = right_answer(body["question"]["id"])
    first = answer(api, body["id"], sent)
    again = answer(api, body["id"], sent)
    assert first.status_code == again.status_code == 200
    assert again.json()["asked"] == 1 and PlacementAnswer.objects.filter(session_id=body["id"]).count() == 1


def test_a_placement_answer_calibrates_the_question(api, alice, placement_content):
    api.force_authenticate(alice)
    body = start(api).json()
    question = body["question"]["id"]
    answer(api, body["id"], right_answer(question))
    assert Question.objects.get(pk=question).calibrated_difficulty < 0  # a right answer: easier than average


def served_state(session_id):
    session = PlacementSession.objects.get(pk=session_id)
    return session.state, session.finished_at, PlacementAnswer.objects.filter(session_id=session_id).count()


@pytest.mark.parametrize(("make_body", "field", "words"), [
    (lambda q: {"question": 999999, "choices": []}, "question", "not the one asked now"),
    (lambda q: {"question": q.pk, "value": 1} if q.type != "numeric" else {"question": q.pk, "choices": [1]},
     None, "not"),
    (lambda q: {"question": q.pk, "value": "eleven"}, "value", "valid number"),
    (lambda q: {"question": q.pk}, "non_field_errors", "exactly one of"),
    (lambda q: {"question": q.pk, "choices": [1], "dont_know": True}, "non_field_errors", "exactly one of"),
    (lambda q: {"question": q.pk, "dont_know": True, "colour": "red"}, "colour", "nknown"),
    (lambda q: {"choices": [1]}, "question", "required"),
])
def test_bad_answers_are_refused_naming_the_field_and_save_nothing(api, alice, placement_content, make_body, field,
                                                                   words):
    api.force_authenticate(alice)
    body = start(api).json()
    question = Question.objects.get(pk=body["question"]["id"])
    before = served_state(body["id"])
    response = answer(api, body["id"], make_body(question))
    assert response.status_code == 400
    errors = response.json()
    field = field or ("choices" if question.type == "numeric" else "value")
    assert field in errors and words in json.dumps(errors[field]), errors
    assert served_state(body["id"]) == before
    assert Question.objects.get(pk=question.pk).calibrated_difficulty is None


def test_answering_another_question_than_the_one_served_is_refused(api, alice, placement_content):
    api.force_authenticate(alice)
    body = start(api).json()
    other = Question.objects.filter(topic__slug="vectors").exclude(pk=body["question"]["id"]).first()
    response = answer(api, body["id"], right_answer(other.pk))
    assert response.status_code == 400 and "not the one asked now" in response.json()["question"][0]
    assert PlacementAnswer.objects.count() == 0


def test_a_finished_test_takes_no_more_answers(api, alice, placement_content):
    api.force_authenticate(alice)
    body = take(api)
    last = PlacementAnswer.objects.filter(session_id=body["id"]).order_by("-position").first()
    other = Question.objects.filter(topic__slug="vectors").exclude(pk=last.question_id).first()
    response = answer(api, body["id"], right_answer(other.pk))
    assert response.status_code == 400 and "finished" in response.json()["session"][0]


def on_vectors(question_id):
    return Question.objects.get(pk=question_id).topic.slug == "vectors"


@pytest.mark.parametrize(("topics", "field", "words"), [
    (["gradient-descent"], "topics", "not among the topics"),  # not proposed
    (["no-such-topic"], "topics", "not among the topics"),
    (["vectors", "vectors"], "topics", "twice"),
    ("vectors", "topics", "list"),
])
def test_bad_confirmations_are_refused_and_mark_nothing(api, alice, placement_content, topics, field, words):
    api.force_authenticate(alice)
    body = take(api, knows=on_vectors)
    assert [p["topic"] for p in body["proposal"]] == ["vectors"]
    response = api.post(f"/api/placements/{body['id']}/confirm/", {"topics": topics}, format="json")
    assert response.status_code == 400 and words in json.dumps(response.json()[field])
    assert not TopicProgress.objects.exists() and not Card.objects.exists()
    assert PlacementSession.objects.get(pk=body["id"]).confirmed_at is None


def test_confirming_twice_or_before_the_end_is_refused(api, alice, placement_content):
    api.force_authenticate(alice)
    unfinished = start(api).json()
    response = api.post(f"/api/placements/{unfinished['id']}/confirm/", {"topics": []}, format="json")
    assert response.status_code == 400 and "not finished" in response.json()["session"][0]
    body = take(api)
    assert api.post(f"/api/placements/{body['id']}/confirm/", {"topics": ["vectors"]}, format="json").status_code == 200
    again = api.post(f"/api/placements/{body['id']}/confirm/", {"topics": ["matrices"]}, format="json")
    assert again.status_code == 400 and "already confirmed" in again.json()["session"][0]
    assert not TopicProgress.objects.filter(topic__slug="matrices").exists()


def test_another_learner_gets_404_and_anonymous_401(api, alice, bob, placement_content):
    api.force_authenticate(alice)
    body = start(api).json()
    sent = right_answer(body["question"]["id"])
    api.force_authenticate(bob)
    assert api.get(f"/api/placements/{body['id']}/").status_code == 404
    assert answer(api, body["id"], sent).status_code == 404
    assert api.post(f"/api/placements/{body['id']}/confirm/", {"topics": []}, format="json").status_code == 404
    api.force_authenticate(None)
    assert start(api).status_code == 401
    assert api.get(f"/api/placements/{body['id']}/").status_code == 401
    assert answer(api, body["id"], sent).status_code == 401
    assert PlacementAnswer.objects.count() == 0


def test_unknown_roadmap_is_404_and_one_without_questions_400(api, alice, small_content):
    small_content.load()
    api.force_authenticate(alice)
    assert start(api, "no-such-roadmap").status_code == 404
    response = start(api, "first")
    assert response.status_code == 400 and "no quiz questions" in response.json()["roadmap"][0]


def test_query_budgets_do_not_grow_with_the_roadmap(api, alice, placement_content, django_assert_max_num_queries):
    api.force_authenticate(alice)
    with django_assert_max_num_queries(10):
        body = start(api).json()
    with django_assert_max_num_queries(3):
        api.get(f"/api/placements/{body['id']}/")
    with django_assert_max_num_queries(15):
        body = answer(api, body["id"], right_answer(body["question"]["id"])).json()
    while not body["finished"]:
        body = answer(api, body["id"], right_answer(body["question"]["id"])).json()
    with django_assert_max_num_queries(17):  # three topics; one topic or ninety, the same queries
        response = api.post(f"/api/placements/{body['id']}/confirm/",
                            {"topics": ["vectors", "matrices", "gradient-descent"]}, format="json")
    assert response.status_code == 200
