"""The admin's question form enforces the loader's rules."""

import pytest

from quizzes.models import Question
from roadmap.models import Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model, quiz_content):
    admin = django_user_model.objects.create_superuser(email="admin@example.com", password="pw-admin-123")
    client.force_login(admin)
    return client


def form(kind="single", choices=(("a", True), ("b", False)), **extra):
    data = {
        "topic": Topic.objects.get(slug="vectors").pk, "key": "new-question", "type": kind, "difficulty": 2,
        "active": "on", "prompt": "A brand new prompt?", "explanation": "Because of the reasons given here.",
        "numeric_answer": "", "tolerance": "", "tolerance_kind": "absolute",
        "choices-TOTAL_FORMS": str(len(choices)), "choices-INITIAL_FORMS": "0", "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    for i, (text, correct) in enumerate(choices):
        data |= {f"choices-{i}-text": text, f"choices-{i}-order": i, f"choices-{i}-feedback": ""}
        if correct:
            data[f"choices-{i}-is_correct"] = "on"
    return data | extra


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"choices": (("a", True), ("b", True))}, "exactly one correct choice, not 2"),
        ({"choices": (("a", False), ("b", False))}, "exactly one correct choice, not 0"),
        ({"kind": "multiple", "choices": (("a", True), ("b", True))}, "at least one correct and one wrong"),
        ({"choices": (("a", True),)}, "at least two choices"),
        ({"kind": "numeric", "choices": ()}, "needs its answer"),
        ({"kind": "numeric", "choices": (), "numeric_answer": "3", "tolerance": "0"}, "positive tolerance"),
        ({"kind": "numeric", "numeric_answer": "3", "tolerance": "0.1"}, "has no choices"),
        ({"prompt": "Which average resists outliers?"}, "same prompt"),
        ({"explanation": ""}, "This field is required"),
    ],
)
def test_invalid_questions_are_refused(admin_client, data, message):
    response = admin_client.post("/admin/quizzes/question/add/", form(**data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.filter(key="new-question").exists()


def test_a_valid_question_is_saved_rendered(admin_client):
    response = admin_client.post("/admin/quizzes/question/add/", form(prompt="What is `x`?"))
    assert response.status_code == 302
    question = Question.objects.get(key="new-question")
    assert question.prompt_html == "<p>What is <code>x</code>?</p>"
    assert question.choices.count() == 2 and question.choices.get(is_correct=True).text_html == "a"
