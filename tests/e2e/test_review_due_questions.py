"""Answer a quiz, move the clock three days on, and review the due questions in a real browser."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.models import Card, ReviewLog

from .conftest import screenshot
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def answer_everything(page, right=True):
    choice = "The median" if right else "The mean"
    page.locator("fieldset.question", has_text="Which average").get_by_label(choice).check()
    vectors = page.locator("fieldset.question", has_text="Which of these are vectors?")
    vectors.get_by_label("[1, 2]").check()
    vectors.get_by_label("(3, 4, 5)").check()
    page.locator("fieldset.question", has_text="[1, 2] · [3, 4]").get_by_label("Your answer").fill("11")
    page.locator("fieldset.question", has_text="Orthogonal").get_by_label("True").check()


def answer_the_review(page, *, number: str = "11") -> str:
    """Answers the question on the review page right, the numeric one with `number`; returns its type."""
    question = page.locator("fieldset.question")
    kind = question.get_attribute("data-type")
    if kind == "numeric":
        question.get_by_label("Your answer").fill(number)
    elif kind == "multiple":
        question.get_by_label("[1, 2]").check()
        question.get_by_label("(3, 4, 5)").check()
    elif kind == "true_false":
        question.get_by_label("True").check()
    else:
        question.get_by_label("The median").check()
    page.get_by_role("button", name="Check my answer").click()
    return kind


def test_review_after_a_quiz(page, live_server, quiz_content, alice):
    url = live_server.url
    sign_in(page, url)
    page.goto(f"{url}/topics/vectors/")
    page.get_by_role("button", name="Take the quiz").click()
    answer_everything(page)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You scored 100%")
    assert Card.objects.filter(learner=alice).count() == 4

    page.goto(f"{url}/reviews/")
    expect(page.get_by_role("heading", name="All caught up")).to_be_visible()
    screenshot(page, "review-caught-up", full_page=False)

    # Three days pass: shift every timestamp of the cards back, as if the quiz were three days ago.
    shift = datetime.timedelta(days=3)
    for card in Card.objects.filter(learner=alice):
        Card.objects.filter(pk=card.pk).update(due=min(card.due - shift, timezone.now()),
                                               last_review=card.last_review - shift)
    ReviewLog.objects.update(reviewed_at=timezone.now() - shift)

    page.goto(f"{url}/dashboard/")
    expect(page.locator(".due-count")).to_have_text("4")
    screenshot(page, "dashboard-reviews")
    page.get_by_role("link", name="Review now").click()
    expect(page.get_by_text("4 questions due")).to_be_visible()
    screenshot(page, "review-question", full_page=False)

    answered = 0
    while page.locator("form[data-review-form]").count():
        kind = answer_the_review(page, number="12")  # the numeric one wrong: Again
        expect(page.locator("article.result")).to_be_visible()
        if answered == 0:
            screenshot(page, "review-result", full_page=False)
        if kind == "numeric":
            expect(page.get_by_role("heading", level=1)).to_have_text("Not quite")
            expect(page.get_by_role("button", name="Too easy: show it less often")).to_have_count(0)
        else:
            expect(page.get_by_role("heading", level=1)).to_have_text("Right")
            if kind == "true_false":
                page.get_by_role("button", name="Too easy: show it less often").click()
                expect(page.get_by_text("Marked too easy")).to_be_visible()
        answered += 1
        page.locator(".review-next a.button").click()
    assert answered == 4
    expect(page.get_by_role("heading", name="All caught up")).to_be_visible()
    logs = ReviewLog.objects.filter(card__learner=alice, source="review")
    assert logs.count() == 4 and logs.filter(rating=4).count() == 1 and logs.filter(rating=1).count() == 1
    assert not Card.objects.filter(learner=alice, due__lte=timezone.now()).exists()
