"""The placement test's pages, without JavaScript: start from the roadmap, one question a page, confirm."""

import re

import pytest

from learning.models import TopicProgress
from quizzes.models import Card, PlacementAnswer, PlacementSession, Question
from tests.quizzes.test_no_answer_leak import assert_no_leak

pytestmark = pytest.mark.django_db


def served_id(html: str) -> int:
    return int(re.search(r'name="question" value="(\d+)"', html).group(1))


def session_of(html: str) -> int:
    return int(re.search(r'name="session" value="(\d+)"', html).group(1))


def right_fields(html: str) -> dict:
    """The form's fields answering the question on the page right."""
    question = Question.objects.get(pk=served_id(html))
    fields = {"session": session_of(html), "question": question.pk}
    if question.type == "numeric":
        return {**fields, f"q{question.pk}": str(question.numeric_answer)}
    return {**fields, f"q{question.pk}": [c.pk for c in question.choices.all() if c.is_correct]}


@pytest.fixture
def learner(client, alice, placement_content):
    client.force_login(alice)
    return alice


def test_the_roadmap_page_offers_it_to_a_signed_in_learner_only(client, placement_content, alice):
    assert "I know some of this" not in client.get("/roadmaps/first/").content.decode()
    client.force_login(alice)
    assert "I know some of this" in client.get("/roadmaps/first/").content.decode()


def test_take_it_by_forms_and_confirm(client, learner, django_assert_max_num_queries):
    response = client.post("/roadmaps/first/placement/start/")
    assert response.status_code == 302 and response.url == "/roadmaps/first/placement/"
    with django_assert_max_num_queries(10):
        page = client.get("/roadmaps/first/placement/").content.decode()
    assert "Question 1 of at most 15" in page
    body = page[page.index("<main"):page.index("</main>")]
    assert_no_leak(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body))
    asked = 0
    while 'name="question"' in page:
        asked += 1
        assert f"Question {asked} of at most 15" in page
        response = client.post("/roadmaps/first/placement/answer/", right_fields(page))
        assert response.status_code == 302
        page = client.get("/roadmaps/first/placement/").content.decode()
    assert "You seem to know 3 topics" in page
    assert page.count('name="topics"') == 3 and page.count(" checked") == 3
    response = client.post("/roadmaps/first/placement/confirm/",
                           {"session": session_of(page), "topics": ["vectors", "matrices"]})
    assert response.status_code == 302 and response.url == "/roadmaps/first/"
    assert "Marked 2 topics done" in client.get("/roadmaps/first/").content.decode()
    assert set(TopicProgress.objects.values_list("topic__slug", flat=True)) == {"vectors", "matrices"}
    assert Card.objects.filter(learner=learner).exists()
    # Confirmed, the test is over: the page offers a new one.
    assert "Start the test" in client.get("/roadmaps/first/placement/").content.decode()


def test_i_dont_know_and_resuming(client, learner):
    client.post("/roadmaps/first/placement/start/")
    page = client.get("/roadmaps/first/placement/").content.decode()
    client.post("/roadmaps/first/placement/answer/",
                {"session": session_of(page), "question": served_id(page), "dont_know": "1"})
    assert PlacementAnswer.objects.get().answer == {"dont_know": True}
    # "I know some of this" again resumes the same test rather than starting another.
    client.post("/roadmaps/first/placement/start/")
    assert PlacementSession.objects.count() == 1
    assert "Question 2 of at most 15" in client.get("/roadmaps/first/placement/").content.decode()


@pytest.mark.parametrize(("fields", "words"), [
    (lambda q: {"question": q, f"q{q}": "eleven"}, "not a number"),
    (lambda q: {"question": "x"}, "does not exist"),
    (lambda q: {"question": Question.objects.exclude(pk=q).first().pk}, "not the one asked now"),
    (lambda q: {"question": q, "dont_know": "yes"}, "no other value than 1"),
    (lambda q: {"question": q, "session": "x"}, "names none"),
])
def test_bad_answers_show_the_question_again_with_the_problem(client, learner, fields, words):
    client.post("/roadmaps/first/placement/start/")
    page = client.get("/roadmaps/first/placement/").content.decode()
    question = served_id(page)
    if Question.objects.get(pk=question).type != "numeric" and "number" in words:
        words = "unknown choice"
        sent = {"question": question, f"q{question}": "x"}
    else:
        sent = fields(question)
    response = client.post("/roadmaps/first/placement/answer/", {"session": session_of(page), **sent})
    assert response.status_code == 400 and words in response.content.decode()
    assert served_id(response.content.decode()) == question
    assert not PlacementAnswer.objects.exists()


def test_a_bad_confirmation_is_refused_and_marks_nothing(client, learner):
    client.post("/roadmaps/first/placement/start/")
    page = client.get("/roadmaps/first/placement/").content.decode()
    while 'name="question"' in page:
        client.post("/roadmaps/first/placement/answer/", right_fields(page))
        page = client.get("/roadmaps/first/placement/").content.decode()
    response = client.post("/roadmaps/first/placement/confirm/", {"session": session_of(page),
                                                                 "topics": ["vectors", "nope"]})
    assert response.status_code == 400 and "nope: not among the topics" in response.content.decode()
    assert not TopicProgress.objects.exists()


def test_another_learners_test_is_404_from_the_forms(client, learner, bob):
    client.post("/roadmaps/first/placement/start/")
    page = client.get("/roadmaps/first/placement/").content.decode()
    client.force_login(bob)
    assert client.post("/roadmaps/first/placement/answer/", right_fields(page)).status_code == 404
    assert client.post("/roadmaps/first/placement/confirm/",
                       {"session": session_of(page), "topics": []}).status_code == 404
    assert client.post("/roadmaps/second/placement/answer/", right_fields(page)).status_code == 404
    assert not PlacementAnswer.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, placement_content):
    for url in ("/roadmaps/first/placement/", ):
        assert client.get(url).status_code == 302
    for url in ("/roadmaps/first/placement/start/", "/roadmaps/first/placement/answer/",
                "/roadmaps/first/placement/confirm/"):
        response = client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not PlacementSession.objects.exists()
