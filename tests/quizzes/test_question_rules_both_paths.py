"""The admin and a content file refuse exactly the same bad questions (quizzes/question_rules.py), and save
nothing: each case is posted to the real admin add form (with its choices inline) and loaded from a file."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Choice, Question
from roadmap.models import Topic
from tests.conftest import QUIZ

pytestmark = pytest.mark.django_db

GOOD = {"key": "new-question", "type": "single", "difficulty": 2, "prompt": "A brand new prompt?",
        "explanation": "Because of the reasons given here."}


def single(*choices):
    return [{"text": text, "correct": correct} for text, correct in choices]


# (content-file question, what the admin says, what the loader says)
BAD = {
    "true/false with a third choice": (
        {"type": "true_false", "answer": True,
         "choices": single(("True", True), ("False", False), ("Maybe", False))},
        "exactly two choices, True and False", "takes answer, not choices"),
    "true/false with other texts": (
        {"type": "true_false", "answer": True, "choices": single(("Yes", True), ("No", False))},
        "exactly two choices, True and False", "takes answer, not choices"),
    "single with two identical choices": (
        {"choices": single(("The median", True), ("the  median", False))},
        "two choices have the same text", "two choices have the same text"),
    "single with no correct choice": (
        {"choices": single(("a", False), ("b", False))}, "exactly one correct choice, not 0",
        "exactly one correct choice, not 0"),
    "single with two correct choices": (
        {"choices": single(("a", True), ("b", True))}, "exactly one correct choice, not 2",
        "exactly one correct choice, not 2"),
    "single with one choice": (
        {"choices": single(("a", True))}, "at least two choices", "2 to 8 choices"),
    "multiple with none correct": (
        {"type": "multiple", "choices": single(("a", False), ("b", False))},
        "at least one correct and one wrong", "at least one correct and one wrong"),
    "multiple with none wrong": (
        {"type": "multiple", "choices": single(("a", True), ("b", True))},
        "at least one correct and one wrong", "at least one correct and one wrong"),
    "numeric without tolerance": (
        {"type": "numeric", "answer": 3}, "positive tolerance", "positive tolerance"),
    "numeric with a zero tolerance": (
        {"type": "numeric", "answer": 3, "tolerance": 0}, "positive tolerance", "positive tolerance"),
    "numeric without its answer": (
        {"type": "numeric", "tolerance": 0.1}, "needs its answer", "needs a number answer"),
    "numeric with choices": (
        {"type": "numeric", "answer": 3, "tolerance": 0.1, "choices": single(("a", True), ("b", False))},
        "has no choices", "not choices"),
    "choice question with a numeric answer": (
        {"answer": 3, "choices": single(("a", True), ("b", False))}, "belong to numeric questions",
        "belong to numeric questions"),
    "missing explanation": (
        {"explanation": "", "choices": single(("a", True), ("b", False))}, "This field is required",
        "missing explanation"),
    "duplicate prompt in the topic": (
        {"prompt": "which average  resists OUTLIERS?", "choices": single(("a", True), ("b", False))},
        "same prompt", "same prompt"),
}


def admin_form(question: dict) -> dict:
    """The admin add form and its choices formset, as the browser posts them, for a content-file question."""
    choices = question.get("choices")
    if choices is None and question["type"] == "true_false":
        choices = single(("True", question["answer"]), ("False", not question["answer"]))
    numeric = question["type"] == "numeric" or "answer" in question and question["type"] != "true_false"
    data = {
        "topic": Topic.objects.get(slug="vectors").pk, "key": question["key"], "type": question["type"],
        "difficulty": question["difficulty"], "active": "on", "prompt": question["prompt"],
        "explanation": question["explanation"], "tolerance_kind": "absolute",
        "numeric_answer": question.get("answer", "") if numeric else "", "tolerance": question.get("tolerance", ""),
        "choices-TOTAL_FORMS": str(len(choices or [])), "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0", "choices-MAX_NUM_FORMS": "1000",
    }
    for i, choice in enumerate(choices or []):
        data |= {f"choices-{i}-text": choice["text"], f"choices-{i}-order": i, f"choices-{i}-feedback": ""}
        if choice.get("correct"):
            data[f"choices-{i}-is_correct"] = "on"
    return data


@pytest.fixture
def staff_client(client, django_user_model, quiz_content):
    admin = django_user_model.objects.create_superuser(email="admin@example.com", password="pw-admin-123")
    client.force_login(admin)
    return client


def saved():
    return Question.objects.count(), Choice.objects.count()


@pytest.mark.parametrize("case", list(BAD))
def test_the_admin_refuses_it(staff_client, case):
    question, admin_says, _ = BAD[case]
    before = saved()
    response = staff_client.post("/admin/quizzes/question/add/", admin_form(GOOD | question))
    assert response.status_code == 200
    assert admin_says.lower() in response.content.decode().lower()
    assert saved() == before and not Question.objects.filter(key="new-question").exists()


@pytest.mark.parametrize("case", list(BAD))
def test_a_content_file_refuses_it(quiz_content, case):
    question, _, loader_says = BAD[case]
    before = saved()
    quiz_content.questions("vectors", [*QUIZ, GOOD | question])
    with pytest.raises(CommandError) as error:
        call_command("load_content", "--path", str(quiz_content.root), stdout=StringIO())
    assert "questions/vectors.yaml: question 5" in str(error.value) and loader_says in str(error.value)
    assert saved() == before and not Question.objects.filter(key="new-question").exists()


@pytest.mark.parametrize("question", [
    {"choices": single(("a", True), ("b", False))},
    {"type": "multiple", "choices": single(("a", True), ("b", True), ("c", False))},
    {"type": "true_false", "answer": False},
    {"type": "numeric", "answer": 3, "tolerance": 0.1},
])
def test_both_accept_a_good_question_and_store_the_same_html(staff_client, quiz_content, question):
    question = GOOD | {"prompt": "Is `x` **bold**?"} | question
    assert staff_client.post("/admin/quizzes/question/add/", admin_form(question)).status_code == 302
    from_admin = Question.objects.get(key="new-question")
    admin_html = (from_admin.prompt_html, from_admin.explanation_html,
                  sorted(from_admin.choices.values_list("text", "text_html", "is_correct")))
    from_admin.delete()
    quiz_content.questions("vectors", [*QUIZ, question])
    call_command("load_content", "--path", str(quiz_content.root), stdout=StringIO())
    from_file = Question.objects.get(key="new-question")
    assert admin_html == (from_file.prompt_html, from_file.explanation_html,
                          sorted(from_file.choices.values_list("text", "text_html", "is_correct")))
    assert from_file.prompt_html == "<p>Is <code>x</code> <strong>bold</strong>?</p>"
