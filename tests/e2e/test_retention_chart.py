"""The settings page's scheduling card: what each retention costs, as bars, and picking one by keyboard;
it fits a phone."""

import pytest
from playwright.sync_api import expect

from tests.quizzes.fitting_data import add_simulated_reviews, simulated_content

from .conftest import screenshot
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reviewed(small_content, alice):
    simulated_content(small_content)
    add_simulated_reviews(alice)
    return alice


def test_a_learner_sees_what_each_retention_costs_and_picks_one(page, live_server, reviewed):
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/settings/")
    card = page.locator("section", has=page.locator("#scheduler-heading"))
    expect(card.locator(".retention-option")).to_have_count(8)
    expect(card.locator(".retention-option.current")).to_contain_text("90%")
    card.scroll_into_view_if_needed()
    screenshot(page, "settings-retention-chart")
    # By keyboard: the arrow keys move within the radio group; the button saves the choice.
    card.locator("input[value='0.90']").focus()
    page.keyboard.press("ArrowUp")
    expect(card.locator("input[value='0.85']")).to_be_checked()
    card.get_by_role("button", name="Use this retention").click()
    expect(page.get_by_text("New reviews are scheduled for 85% recall.")).to_be_visible()
    reviewed.refresh_from_db()
    assert reviewed.desired_retention == 0.85


def test_the_scheduling_card_fits_a_phone(phone, live_server, reviewed):
    sign_in(phone, live_server.url)
    phone.goto(f"{live_server.url}/settings/")
    phone.locator("#scheduler-heading").scroll_into_view_if_needed()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "settings-retention-chart-phone")
