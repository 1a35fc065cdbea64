"""What a learner sees when a form is refused (issue 14): the review form again with the field's problem, and the
400 page for a field no form of ours sends (here a status edited in the page), on a desktop and a phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from learning.models import TopicProgress
from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Card, Question, ReviewLog
from roadmap.models import Topic

from .conftest import screenshot
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def numeric_card_due(alice, quiz_content):
    numeric = Question.objects.get(type="numeric")
    attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
    submit_attempt(learner=alice, attempt_id=attempt.pk, answers=[{"question": numeric.pk, "value": 11}])
    Card.objects.update(due=timezone.now() - datetime.timedelta(hours=1),
                        last_review=timezone.now() - datetime.timedelta(days=2))
    return Card.objects.get()


@pytest.mark.parametrize("device", ["page", "phone"])
def test_a_refused_review_answer_and_a_refused_status(request, live_server, numeric_card_due, device):
    page = request.getfixturevalue(device)
    url = live_server.url
    sign_in(page, url)
    page.goto(f"{url}/reviews/")
    page.get_by_label("Your answer").fill("1e400")
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("alert")).to_have_text("“1e400” is too large a number.")
    expect(page.get_by_label("Your answer")).to_be_visible()
    screenshot(page, f"refused-review-answer-{device}", full_page=False)
    assert not ReviewLog.objects.filter(source="review").exists()

    page.goto(f"{url}/topics/vectors/")
    status = page.locator("form[data-status-form] input[name=status]").first
    status.evaluate("input => { input.value = 'nan'; }")
    status.check()
    page.locator("form[data-status-form]").evaluate("form => form.submit()")  # the form itself, not its script
    expect(page.get_by_role("heading", level=1)).to_have_text("That could not be saved")
    expect(page.get_by_role("alert")).to_contain_text("The status field takes one of")
    screenshot(page, f"refused-status-{device}")
    assert not TopicProgress.objects.filter(status="nan").exists()
