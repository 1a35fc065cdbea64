"""A learner takes a quiz end to end in a real browser: answers with the keyboard and mouse, submits once
(a double click included), reads the result with explanations, and marks the topic done."""

import pytest
from playwright.sync_api import expect

from learning.models import TopicProgress
from quizzes.models import Answer, Attempt

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, url):
    page.goto(f"{url}/accounts/login/")
    page.locator("input[name=login]").fill("alice@example.com")
    page.locator("input[name=password]").fill("alice-password-1")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(f"{url}/dashboard/")


def test_take_a_quiz(page, live_server, quiz_content, alice):
    url = live_server.url
    sign_in(page, url)
    page.goto(f"{url}/topics/vectors/")
    page.get_by_role("button", name="Take the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quiz: Vectors")
    expect(page.locator("html.js")).to_have_count(0)  # the quiz module does not need the class
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(4)

    # The single-choice question by keyboard: focus its first radio, then arrow to "The mean" (wrong).
    single = page.locator("fieldset.question", has_text="Which average resists outliers?")
    single.get_by_role("radio").first.focus()
    for _ in range(3):
        if single.get_by_label("The mean").is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(single.get_by_label("The mean")).to_be_checked()

    multiple = page.locator("fieldset.question", has_text="Which of these are vectors?")
    multiple.get_by_label("[1, 2]").check()  # one of two correct choices: half a point
    page.locator("fieldset.question", has_text="[1, 2] · [3, 4]").get_by_label("Your answer").fill("11")
    page.locator("fieldset.question", has_text="Orthogonal").get_by_label("True").check()
    screenshot(page, "quiz")

    page.get_by_role("button", name="Submit answers").dblclick()
    expect(page.get_by_role("heading", level=1)).to_have_text("You scored 63%")
    attempt = Attempt.objects.get()
    assert attempt.score == 2.5 and Answer.objects.filter(attempt=attempt).count() == 4
    assert all(a.time_ms is not None for a in Answer.objects.filter(attempt=attempt))
    expect(page.locator(".result.is-partial")).to_have_count(1)
    expect(page.get_by_text("Multiply matching entries", exact=False)).to_be_visible()
    expect(page.get_by_text("To review")).to_be_visible()
    screenshot(page, "quiz-result")
    expect(page.get_by_role("button", name="Mark “Vectors” done")).to_have_count(0)  # under 80%

    page.get_by_role("button", name="Take the quiz again").click()
    page.locator("fieldset.question", has_text="Which average").get_by_label("The median").check()
    vectors = page.locator("fieldset.question", has_text="Which of these are vectors?")
    vectors.get_by_label("[1, 2]").check()
    vectors.get_by_label("(3, 4, 5)").check()
    page.locator("fieldset.question", has_text="[1, 2] · [3, 4]").get_by_label("Your answer").fill("11")
    page.locator("fieldset.question", has_text="Orthogonal").get_by_label("True").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You scored 100%")
    page.get_by_role("button", name="Mark “Vectors” done").click()
    expect(page.get_by_text("This topic is marked done")).to_be_visible()
    assert TopicProgress.objects.get(learner=alice).status == "done"

    page.goto(f"{url}/topics/vectors/")
    expect(page.locator(".quiz-scores")).to_contain_text("Best 100%")
    screenshot(page, "topic-quiz-history", full_page=False)
