"""The admin's question list at 1400 px: each question by its prompt, every statistics column in view."""

import pytest

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Question
from roadmap.models import Topic

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

GRID = [(1, 1, 1, 1), (1, 1, 0, 1), (1, 0, 0, 0), (0, 1, 0, 0), (1, 0, 1, 1), (1, 1, 0, 1)]
PROMPTS = [
    "Which of these statements about the bias-variance trade-off of a deep decision tree trained on a small "
    "dataset with many noisy features is true?",
    "A model's training loss keeps falling while its validation loss rises after epoch twelve: what is happening?",
    "Why does standardising the features usually speed up gradient descent on a linear regression problem?",
    "What is `softmax([0, 0])`?",
]


@pytest.fixture
def questions_with_statistics(small_content, django_user_model):
    small_content.questions("vectors", [
        {"key": f"a-rather-long-question-key-number-{i}", "type": "single", "prompt": prompt,
         "explanation": "An explanation of it all.", "choices": [{"text": "right", "correct": True}, {"text": "wrong"}]}
        for i, prompt in enumerate(PROMPTS, start=1)
    ])
    small_content.load()
    Topic.objects.filter(slug="vectors").update(title="Vectors and matrices in machine learning")
    topic = Topic.objects.get(slug="vectors")
    questions = list(Question.objects.filter(topic=topic).order_by("key"))
    for n, marks in enumerate(GRID):
        learner = django_user_model.objects.create_user(email=f"learner{n}@example.com")
        attempt = start_attempt(learner=learner, topic=topic)
        submit_attempt(learner=learner, attempt_id=attempt.pk, answers=[
            {"question": q.pk, "choices": [q.choices.get(text="right" if mark else "wrong").pk]}
            for q, mark in zip(questions, marks, strict=True)
        ])


def test_the_question_list_shows_prompts_and_fits_1400_px(browser, live_server, questions_with_statistics,
                                                          django_user_model):
    django_user_model.objects.create_superuser(email="admin@example.com", password="pw-admin-123")
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin@example.com")
    page.fill("#id_password", "pw-admin-123")
    page.click("input[type=submit]")
    page.goto(f"{live_server.url}/admin/quizzes/question/")
    table = page.locator("#result_list")
    assert "What is softmax([0, 0])?" in table.inner_text()  # the prompt, as plain text
    assert "a-rather-long-question-key-number-4" not in table.inner_text()
    headers = [header.lower() for header in table.locator("thead th").all_inner_texts()]
    for column in ["question", "attempts", "facility", "discrimination", "check"]:
        assert any(column in header for header in headers), headers
    assert page.evaluate("document.documentElement.scrollWidth") <= 1400
    # Nothing of the table is hidden: its scrolling box does not scroll.
    assert page.evaluate("(() => { const box = document.querySelector('.results');"
                         " return box.scrollWidth <= box.clientWidth; })()")
    screenshot(page, "admin-question-list-1400")
    context.close()
