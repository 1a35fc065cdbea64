"""Item statistics against a hand-computed example: five learners' first attempts at four questions.

    learner  q1 q2 q3 q4  total
    1         1  1  1  1    4
    2         1  1  0  1    3
    3         1  0  0  0    1
    4         0  1  0  0    1
    5         1  0  1  1    3

facility = mean of the column; discrimination = Pearson correlation of the column with (total - column):
q1 0.8 / 0.2942, q2 0.6 / -0.1400, q3 0.4 / 0.4564, q4 0.6 / 0.8729 (checked with numpy.corrcoef).
"""

import pytest

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Question
from quizzes.statistics import verdict, with_item_statistics
from roadmap.models import Topic

pytestmark = pytest.mark.django_db

GRID = [(1, 1, 1, 1), (1, 1, 0, 1), (1, 0, 0, 0), (0, 1, 0, 0), (1, 0, 1, 1)]
EXPECTED = {"q1": (0.8, 0.294174), "q2": (0.6, -0.140028), "q3": (0.4, 0.456435), "q4": (0.6, 0.872872)}


@pytest.fixture
def topic(small_content):
    small_content.questions("vectors", [
        {"key": f"q{i}", "type": "single", "prompt": f"Question {i}?", "explanation": "An explanation of it all.",
         "choices": [{"text": "right", "correct": True}, {"text": "wrong"}]}
        for i in range(1, 5)
    ])
    small_content.load()
    return Topic.objects.get(slug="vectors")


def answer(learner, topic, marks):
    attempt = start_attempt(learner=learner, topic=topic)
    answers = []
    for i, mark in enumerate(marks, start=1):
        question = Question.objects.get(key=f"q{i}")
        choice = question.choices.get(text="right" if mark else "wrong")
        answers.append({"question": question.pk, "choices": [choice.pk]})
    submit_attempt(learner=learner, attempt_id=attempt.pk, answers=answers)


def test_facility_and_discrimination_over_first_attempts(topic, django_user_model, django_assert_max_num_queries):
    learners = [django_user_model.objects.create_user(email=f"l{n}@example.com") for n in range(5)]
    for learner, marks in zip(learners, GRID, strict=True):
        answer(learner, topic, marks)
    answer(learners[0], topic, (0, 0, 0, 0))  # a second attempt: not counted
    with django_assert_max_num_queries(1):
        stats = {q.key: q for q in with_item_statistics(Question.objects.all())}
    for key, (facility, discrimination) in EXPECTED.items():
        assert stats[key].stat_attempts == 5
        assert stats[key].facility == pytest.approx(facility, abs=1e-6)
        assert stats[key].discrimination == pytest.approx(discrimination, abs=1e-5)
    flags = {
        key: verdict(attempts=q.stat_attempts, facility=q.facility, discrimination=q.discrimination).needs_checking
        for key, q in stats.items()
    }
    assert flags == {"q1": True, "q2": True, "q3": False, "q4": False}


def test_sortable_in_sql(topic, django_user_model):
    for n, marks in enumerate(GRID):
        answer(django_user_model.objects.create_user(email=f"s{n}@example.com"), topic, marks)
    ordered = with_item_statistics(Question.objects.all()).order_by("-discrimination")
    assert [q.key for q in ordered] == ["q4", "q3", "q1", "q2"]


def test_no_variance_leaves_discrimination_undefined(topic, django_user_model):
    for n in range(5):
        answer(django_user_model.objects.create_user(email=f"v{n}@example.com"), topic, (1, 1, 1, 1))
    stats = with_item_statistics(Question.objects.filter(key="q1")).get()
    assert stats.facility == 1.0 and stats.discrimination is None
    assert verdict(attempts=5, facility=1.0, discrimination=None).reasons == ("too easy (facility over 0.95)",)


def test_too_few_attempts_are_not_flagged():
    assert not verdict(attempts=3, facility=0.0, discrimination=-1).needs_checking


def test_admin_question_list_is_sortable_and_shows_the_flag(client, topic, django_user_model):
    for n, marks in enumerate(GRID):
        answer(django_user_model.objects.create_user(email=f"a{n}@example.com"), topic, marks)
    admin = django_user_model.objects.create_superuser(email="admin@example.com", password="pw-admin-123")
    client.force_login(admin)
    html = client.get("/admin/quizzes/question/?o=7").content.decode()
    assert "needs checking" in html and "0.87" in html and "0.29" in html
    question = Question.objects.get(key="q2")
    page = client.get(f"/admin/quizzes/question/{question.pk}/change/").content.decode()
    assert "Discrimination index: -0.14" in page and "Needs checking" in page
