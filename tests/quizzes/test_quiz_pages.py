"""The quiz pages without JavaScript: start from the topic page, answer by form post, read the result."""

import datetime

import pytest
from django.utils import timezone

from learning.models import TopicProgress
from quizzes.models import Attempt, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(client, alice, quiz_content):
    client.force_login(alice)
    return alice


def form_answers(all_right=True):
    data = {}
    for question in Question.objects.all():
        if question.type == "numeric":
            data[f"q{question.pk}"] = "11" if all_right else "12,5"
        else:
            picks = question.choices.filter(is_correct=all_right) if all_right else question.choices.filter(
                is_correct=False)[:1]
            data[f"q{question.pk}"] = [str(c.pk) for c in picks]
    return data


def test_topic_page_offers_the_quiz(client, learner):
    html = client.get("/topics/vectors/").content.decode()
    assert "Take the quiz" in html and "4 quiz questions" not in html


def test_anonymous_sees_the_quiz_exists_and_a_prompt(client, quiz_content):
    html = client.get("/topics/vectors/").content.decode()
    assert "4 quiz questions test this topic" in html and "Take the quiz" not in html
    assert client.post("/topics/vectors/quiz/").status_code == 302  # to sign in
    assert not Attempt.objects.exists()


def test_take_a_quiz_by_form_and_mark_the_topic_done(client, learner):
    attempt_url = client.post("/topics/vectors/quiz/").url
    page = client.get(attempt_url).content.decode()
    assert page.count('class="question card"') == 4
    assert "Each correct choice you pick earns its share" in page  # the partial-credit rule is stated
    attempt = Attempt.objects.get()
    response = client.post(f"/quiz/{attempt.pk}/submit/", form_answers(all_right=True))
    assert response.status_code == 302 and response.url == attempt_url
    result = client.get(attempt_url).content.decode()
    assert "You scored 100%" in result and "Mark “Vectors” done" in result
    client.post("/topics/vectors/status/", {"status": "done", "next": attempt_url})
    assert TopicProgress.objects.get(learner=learner).status == "done"
    topic_page = client.get("/topics/vectors/").content.decode()
    assert "Best <strong>100%</strong>" in topic_page


def test_a_poor_result_links_to_the_resources(client, learner):
    attempt_url = client.post("/topics/vectors/quiz/").url
    attempt = Attempt.objects.get()
    client.post(f"/quiz/{attempt.pk}/submit/", form_answers(all_right=False))
    html = client.get(attempt_url).content.decode()
    assert "You scored 0%" in html and "To review" in html and "Video on vectors" in html
    assert "Mark “Vectors” done" not in html


def test_a_non_number_is_refused_with_a_message(client, learner):
    client.post("/topics/vectors/quiz/")
    attempt = Attempt.objects.get()
    numeric = Question.objects.get(type="numeric")
    response = client.post(f"/quiz/{attempt.pk}/submit/", {f"q{numeric.pk}": "eleven"})
    assert response.status_code == 400 and "is not a number" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_another_learners_attempt_is_404(client, learner, bob):
    client.post("/topics/vectors/quiz/")
    attempt = Attempt.objects.get()
    client.force_login(bob)
    assert client.get(f"/quiz/{attempt.pk}/").status_code == 404
    assert client.post(f"/quiz/{attempt.pk}/submit/", {}).status_code == 404


def test_an_expired_attempt_says_so(client, learner):
    client.post("/topics/vectors/quiz/")
    attempt = Attempt.objects.get()
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - datetime.timedelta(days=2))
    response = client.get(f"/quiz/{attempt.pk}/")
    assert response.status_code == 410 and "This quiz has expired" in response.content.decode()


def test_page_budgets(client, learner, django_assert_max_num_queries):
    client.post("/topics/vectors/quiz/")
    attempt = Attempt.objects.get()
    with django_assert_max_num_queries(6):
        client.get(f"/quiz/{attempt.pk}/")
    client.post(f"/quiz/{attempt.pk}/submit/", form_answers())
    with django_assert_max_num_queries(10):
        client.get(f"/quiz/{attempt.pk}/")
