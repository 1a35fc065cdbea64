"""Light days and a holiday pause set by keyboard on the settings card, then the dashboard's forecast: paused days
hatched, light days muted, what fell due in the pause spread over the days after; the review page says paused.
Both fit a phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quizzes.balancing import WEEKDAYS
from quizzes.models import Card, Question
from tests.conftest import quiz_with_more_questions

from .conftest import SCREENSHOTS
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def shot(locator, name):
    """The element alone: a full-page shot scrolled to it shows the sticky header across the page."""
    SCREENSHOTS.mkdir(exist_ok=True)
    locator.page.evaluate("window.scrollTo(0, 0)")
    locator.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture
def loaded(small_content, alice):
    small_content.questions("vectors", quiz_with_more_questions(36))
    small_content.load()
    today = timezone.now().date()
    # 40 cards: a dozen due over the next three days, the rest spread over the four days after (alice is on UTC).
    offsets = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2] + [3 + i % 4 for i in range(28)]
    Card.objects.bulk_create(
        Card(learner=alice, question=q, stability=5, difficulty=5, state=2,
             due=datetime.datetime.combine(today + datetime.timedelta(days=d), datetime.time(12), datetime.UTC))
        for q, d in zip(Question.objects.order_by("pk"), offsets, strict=True)
    )
    return alice


def test_a_learner_pauses_for_a_holiday_and_sees_it_on_the_forecast(page, live_server, loaded):
    url = live_server.url
    sign_in(page, url)
    page.goto(f"{url}/settings/")
    card = page.locator(".days-off")
    today = timezone.now().date()
    light = WEEKDAYS[(today + datetime.timedelta(days=4)).weekday()]
    # By keyboard: a weekday box toggles with Space, the date takes typed digits.
    card.locator(f"input[value='{light}']").focus()
    page.keyboard.press("Space")
    until = today + datetime.timedelta(days=2)
    card.locator("input[type=date]").fill(f"{until:%Y-%m-%d}")
    card.get_by_role("button", name="Save light days and pause").click()
    expect(page.get_by_text("Reviews and reminders paused until")).to_be_visible()
    expect(page.locator(".paused-note")).to_contain_text(f"Reviews paused until {until:%A}")
    shot(card, "settings-days-off")

    page.goto(f"{url}/dashboard/")
    bars = page.locator(".forecast-bars li")
    expect(bars).to_have_count(7)
    expect(page.locator(".forecast-bars li.forecast-paused")).to_have_count(3)
    expect(page.locator(".forecast-bars li.forecast-light")).to_have_count(1)
    expect(page.locator(".forecast-legend")).to_contain_text("paused")
    counts = [int(n) for n in page.locator(".forecast-count").all_inner_texts()]
    assert counts[:3] == [0, 0, 0] and sum(counts) == 40 and max(counts) <= 11  # spread, no flood
    shot(page.locator(".reviews-panel"), "forecast-days-off")

    page.goto(f"{url}/reviews/")
    expect(page.get_by_role("heading", name=f"Reviews paused until {until:%A}")).to_be_visible()
    page.get_by_role("button", name="Resume now").click()
    expect(page.get_by_text("Reviews resumed")).to_be_visible()
    loaded.refresh_from_db()
    assert loaded.reviews_paused_until is None


def test_a_refused_pause_is_said_in_the_card(page, live_server, loaded):
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/settings/")
    card = page.locator(".days-off")
    for day in WEEKDAYS:
        card.locator(f"input[value='{day}']").check()
    card.get_by_role("button", name="Save light days and pause").click()
    expect(page.locator("#light-days-error")).to_contain_text("Keep at least one weekday")
    shot(card, "settings-days-off-refused")


def test_days_off_fit_a_phone(phone, live_server, loaded):
    url = live_server.url
    sign_in(phone, url)
    phone.goto(f"{url}/settings/")
    card = phone.locator(".days-off")
    card.locator("input[value='sat']").check()
    card.locator("input[value='sun']").check()
    card.locator("input[type=date]").fill(f"{timezone.now().date() + datetime.timedelta(days=1):%Y-%m-%d}")
    card.get_by_role("button", name="Save light days and pause").click()
    expect(phone.locator(".paused-note")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(card, "settings-days-off-phone")
    phone.goto(f"{url}/dashboard/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone.locator(".reviews-panel"), "forecast-days-off-phone")
