"""Enter never submits a quiz, and unanswered questions are named and confirmed before grading: with the
quiz module (an inline panel, keyboard usable) and without JavaScript (a confirmation page)."""

import pytest
from playwright.sync_api import expect

from quizzes.attempts import served_items
from quizzes.models import Attempt, Card

from .conftest import csp_checked_page, screenshot
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page, violations = csp_checked_page(context)
    yield page
    context.close()
    assert violations == []


def start_quiz(page, url):
    sign_in(page, url)
    page.goto(f"{url}/topics/vectors/")
    page.get_by_role("button", name="Take the quiz").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quiz: Vectors")
    attempt = Attempt.objects.get()
    return attempt, served_items(attempt)


def numbers(items, kinds):
    return [item.position + 1 for item in items if item.type in kinds]


def test_enter_does_not_submit_and_blanks_are_confirmed(page, live_server, quiz_content, alice):
    attempt, items = start_quiz(page, live_server.url)
    number = page.locator("fieldset.question[data-type=numeric]").get_by_label("Your answer")
    number.fill("11")
    number.press("Enter")
    page.wait_for_timeout(300)  # a submit would have navigated by now
    expect(page.get_by_role("heading", level=1)).to_have_text("Quiz: Vectors")
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    numeric_position = numbers(items, {"numeric"})[0]
    if numeric_position < len(items):  # Enter moved on to the next question
        next_id = items[numeric_position].id
        assert page.evaluate("document.activeElement.closest('[data-question]').dataset.question") == str(next_id)

    page.get_by_role("button", name="Submit answers").click()
    panel = page.get_by_role("alertdialog")
    blank = [n for n in range(1, 5) if n != numeric_position]
    expect(panel).to_contain_text(f"Questions {blank[0]}, {blank[1]} and {blank[2]} are unanswered.")
    expect(panel).to_be_focused()
    screenshot(page, "quiz-unanswered", full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    panel.scroll_into_view_if_needed()
    screenshot(page, "quiz-unanswered-phone", full_page=False)
    box = panel.get_by_role("button", name="Submit anyway").bounding_box()
    assert box["x"] + box["width"] <= 390  # both buttons fit a phone's width
    panel.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Answer them first"
    expect(panel).to_be_hidden()
    first_blank = items[blank[0] - 1].id
    assert page.evaluate("document.activeElement.closest('[data-question]').dataset.question") == str(first_blank)
    page.locator("fieldset.question[data-type=true_false]").get_by_label("True").check()
    page.get_by_role("button", name="Submit answers").click()
    left = [n for n in blank if n != numbers(items, {"true_false"})[0]]
    expect(panel).to_contain_text(f"Questions {left[0]} and {left[1]} are unanswered.")
    attempt.refresh_from_db()
    assert attempt.submitted_at is None
    panel.get_by_role("button", name="Submit anyway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You scored 50%")
    assert Card.objects.filter(learner=alice).count() == 2


def test_without_javascript_enter_does_not_submit_and_a_page_asks(no_js_page, live_server, quiz_content, alice):
    page = no_js_page
    attempt, items = start_quiz(page, live_server.url)
    page.locator("fieldset.question[data-type=numeric]").get_by_label("Your answer").fill("11")
    page.locator("fieldset.question[data-type=numeric]").get_by_label("Your answer").press("Enter")
    page.wait_for_timeout(300)
    expect(page.get_by_role("heading", level=1)).to_have_text("Quiz: Vectors")
    attempt.refresh_from_db()
    assert attempt.submitted_at is None

    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Not submitted yet")
    blank = [n for n in range(1, 5) if n != numbers(items, {"numeric"})[0]]
    sentence = f"Questions {blank[0]}, {blank[1]} and {blank[2]} are unanswered."
    expect(page.get_by_role("alert")).to_contain_text(sentence)
    expect(page.locator("fieldset.question")).to_have_count(3)
    screenshot(page, "quiz-unanswered-no-js", full_page=False)
    page.locator("fieldset.question[data-type=true_false]").get_by_label("True").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You scored 50%")
    assert Card.objects.filter(learner=alice).count() == 2
