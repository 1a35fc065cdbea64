"""The loop after a bad quiz, in a real browser: every answer wrong, the result says when each question comes
back and offers relearning now; the topic and the dashboard show the memory lost at once; relearning the
misses the same day is logged without moving any schedule; the menu counts what is due."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from caching.learner_pages import learner_state_changed
from quizzes.models import Card, ReviewLog

from .conftest import screenshot
from .test_review_due_questions import answer_the_review
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def answer_everything_wrong(page):
    page.locator("fieldset.question", has_text="Which average").get_by_label("The mean").check()
    page.locator("fieldset.question", has_text="Which of these are vectors?").get_by_label("a string").check()
    page.locator("fieldset.question", has_text="[1, 2] · [3, 4]").get_by_label("Your answer").fill("12")
    page.locator("fieldset.question", has_text="Orthogonal").get_by_label("False").check()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_bad_quiz_then_relearning(browser, live_server, quiz_content, alice, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500)
    page = context.new_page()
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    url, suffix = live_server.url, "" if width > 500 else "-phone"
    sign_in(page, url)
    page.goto(f"{url}/topics/vectors/")
    page.get_by_role("button", name="Take the quiz").click()
    answer_everything_wrong(page)
    screenshot(page, f"loop-quiz{suffix}")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You scored 0%")
    expect(page.locator(".comes-back")).to_have_count(4)
    for text in page.locator(".comes-back").all_text_contents():
        assert text.startswith("Comes back for review tomorrow, ")
    screenshot(page, f"loop-quiz-result{suffix}")

    page.goto(f"{url}/topics/vectors/")
    expect(page.locator(".memory-line")).to_contain_text("0%")
    screenshot(page, f"loop-topic{suffix}")
    page.goto(f"{url}/dashboard/")
    expect(page.locator(".memory-list")).to_contain_text("0% · 4 questions")
    expect(page.locator(".menu-due")).to_have_count(0)  # reviewed today: nothing due until tomorrow
    screenshot(page, f"loop-dashboard{suffix}")

    schedules = {c.pk: (c.due, c.stability, c.last_review) for c in Card.objects.filter(learner=alice)}
    page.goto(f"{url}/reviews/")
    expect(page.get_by_role("heading", name="All caught up")).to_be_visible()
    screenshot(page, f"loop-caught-up{suffix}", full_page=False)
    page.get_by_role("link", name="Relearn missed (4)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relearn today’s misses")
    expect(page.locator("#header-q")).to_have_value("")
    screenshot(page, f"loop-relearn{suffix}", full_page=False)
    for left in (3, 2, 1, 0):
        answer_the_review(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Right")
        expect(page.locator(".lead")).to_contain_text("does not move its schedule")
        if left:
            expect(page.locator(".lead")).to_contain_text(f"{left} more to relearn")
            page.get_by_role("link", name="Next question").click()
        else:
            page.get_by_role("link", name="Done").click()
    expect(page.get_by_role("heading", name="Nothing left to relearn")).to_be_visible()
    assert {c.pk: (c.due, c.stability, c.last_review) for c in Card.objects.filter(learner=alice)} == schedules
    assert ReviewLog.objects.filter(scheduled=False, correct=True).count() == 4

    page.goto(f"{url}/topics/vectors/")
    expect(page.locator(".memory-line")).to_contain_text("100%")  # recalled just now

    # Two days on, the cards are due: the menu counts them. (The clock cannot move under a live server, so
    # the cards are moved back instead, and the learner's cached pages dropped as the due time would.)
    for card in Card.objects.filter(learner=alice):
        Card.objects.filter(pk=card.pk).update(due=timezone.now() - datetime.timedelta(hours=1),
                                               last_review=card.last_review - datetime.timedelta(days=2))
    ReviewLog.objects.update(reviewed_at=timezone.now() - datetime.timedelta(days=2))
    learner_state_changed(learner_id=alice.pk)
    page.goto(f"{url}/dashboard/")
    expect(page.locator(".menu-due")).to_have_text("4 due")
    expect(page.locator(".due-count")).to_have_text("4")
    screenshot(page, f"loop-dashboard-due{suffix}", full_page=False)
    context.close()
    assert violations == []
