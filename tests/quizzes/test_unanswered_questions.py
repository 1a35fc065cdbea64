"""A quiz form with questions left blank is not graded until the learner has seen them named and confirmed:
a blank scores 0 and never comes back for review (the pages without JavaScript; quiz.js: tests/e2e)."""

import pytest

from quizzes.attempts import served_items
from quizzes.models import Answer, Attempt, Card
from quizzes.unanswered import CONFIRM_FIELD, unanswered_sentence
from tests.conftest import quiz_with_more_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(client, alice, quiz_content):
    client.force_login(alice)
    client.post("/topics/vectors/quiz/")
    return Attempt.objects.get()


def right_answer(item) -> dict:
    """The form field of a right answer to a served question."""
    from quizzes.models import Question

    question = Question.objects.get(pk=item.id)
    if question.type == "numeric":
        return {f"q{item.id}": "11"}
    return {f"q{item.id}": [str(c.pk) for c in question.choices.filter(is_correct=True)]}


def test_the_sentence_names_the_questions():
    class Item:
        def __init__(self, position):
            self.position = position

    assert unanswered_sentence([Item(2)]) == "Question 3 is unanswered."
    assert unanswered_sentence([Item(1), Item(4)]) == "Questions 2 and 5 are unanswered."
    assert unanswered_sentence([Item(0), Item(1), Item(4)]) == "Questions 1, 2 and 5 are unanswered."


def test_blank_questions_are_named_and_nothing_is_graded(client, attempt):
    items = served_items(attempt)
    form = {**right_answer(items[0]), **right_answer(items[2])}
    response = client.post(f"/quiz/{attempt.pk}/submit/", form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Questions 2 and 4 are unanswered." in html
    assert html.count('class="question card"') == 2  # only the blank ones are asked again
    assert f'data-question="{items[1].id}"' in html and f'data-question="{items[3].id}"' in html
    assert f'data-question="{items[0].id}"' not in html
    for name, values in form.items():  # the answers given ride along
        for value in values if isinstance(values, list) else [values]:
            assert f'name="{name}" value="{value}"' in html
    assert f'name="{CONFIRM_FIELD}"' in html
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not Answer.objects.exists() and not Card.objects.exists()


def test_confirmed_blanks_are_graded(client, attempt):
    items = served_items(attempt)
    form = {**right_answer(items[0]), **right_answer(items[2]), CONFIRM_FIELD: "1"}
    response = client.post(f"/quiz/{attempt.pk}/submit/", form)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 2 and attempt.submitted_at is not None
    assert Card.objects.count() == 2  # the blanks do not come back for review


def test_an_empty_form_names_every_question(client, attempt):
    html = client.post(f"/quiz/{attempt.pk}/submit/", {}).content.decode()
    assert "Questions 1, 2, 3 and 4 are unanswered." in html
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_a_bad_number_is_still_refused_first(client, attempt):
    numeric = next(item for item in served_items(attempt) if item.type == "numeric")
    response = client.post(f"/quiz/{attempt.pk}/submit/", {f"q{numeric.id}": "eleven"})
    assert response.status_code == 400 and "is not a number" in response.content.decode()


def test_a_submitted_attempt_is_not_asked_again(client, attempt):
    client.post(f"/quiz/{attempt.pk}/submit/", {CONFIRM_FIELD: "1"})
    response = client.post(f"/quiz/{attempt.pk}/submit/", {})  # the same (blank) answers: the stored result
    assert response.status_code == 302


def test_another_learner_gets_404(client, attempt, bob):
    client.force_login(bob)
    assert client.post(f"/quiz/{attempt.pk}/submit/", {}).status_code == 404


@pytest.mark.parametrize("extra", [0, 10])
def test_the_confirmation_budget_does_not_grow(client, alice, small_content, django_assert_max_num_queries, extra):
    small_content.questions("vectors", quiz_with_more_questions(extra))
    small_content.load()
    client.force_login(alice)
    client.post("/topics/vectors/quiz/")
    attempt = Attempt.objects.get()
    # session, learner, attempt, served questions, their choices
    with django_assert_max_num_queries(6):
        assert "unanswered" in client.post(f"/quiz/{attempt.pk}/submit/", {}).content.decode()
