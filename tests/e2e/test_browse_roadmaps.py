"""A visitor opens the home page, a roadmap, a topic and the search, in a real browser."""

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

ROADMAP = "al-mamari-machine-learning-roadmap"


def test_home_roadmap_topic_and_search(page, live_server, real_content):
    page.goto(live_server.url + "/")
    expect(page).to_have_title("Machine-learning roadmaps · Ascent")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "home")

    page.get_by_role("link", name="Machine Learning Roadmap").first.click()
    expect(page).to_have_url(f"{live_server.url}/roadmaps/{ROADMAP}/")
    expect(page.locator("svg.roadmap-map .map-node")).to_have_count(86)
    expect(page.locator("svg.roadmap-map .map-edges path").first).to_be_attached()
    screenshot(page, "roadmap")
    screenshot(page, "roadmap-top", full_page=False)
    page.evaluate("window.scrollTo(0, document.querySelector('.map-scroll').offsetTop + 1500)")
    page.locator(".map-node", has_text="Neural Networks").first.hover()
    screenshot(page, "roadmap-map", full_page=False)

    # The list view links to the same topics; follow one.
    page.locator(".outline").get_by_role("link", name="Gradient Descent and Optimizers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gradient Descent and Optimizers")
    expect(page.locator(".prose h2").first).to_be_visible()
    expect(page.locator(".resource-list a").first).to_be_visible()
    expect(page.locator("a[rel=next]")).to_be_visible()
    screenshot(page, "topic")
    screenshot(page, "topic-top", full_page=False)

    page.locator("a[rel=next]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Linear Regression")

    page.get_by_label("Search topics and resources").first.fill("precision recall")
    page.keyboard.press("Enter")
    expect(page.locator("#topic-results")).to_be_visible()
    expect(page.locator("#topic-results + .result-list li a").first).to_have_text("Classification Metrics")
    screenshot(page, "search")


def test_search_forgives_typos_and_word_beginnings(page, live_server, real_content):
    page.goto(live_server.url + "/")
    page.get_by_label("Search topics and resources").first.fill("neural netwrk")
    page.keyboard.press("Enter")
    expect(page.locator("#topic-results + .result-list li a").first).to_have_text("Neural Networks")
    screenshot(page, "search-typo")
    page.get_by_label("Search topics and resources").first.fill("backprop")
    page.keyboard.press("Enter")
    expect(page.locator("#topic-results + .result-list li a").first).to_be_visible()


def test_map_node_is_reachable_by_keyboard(page, live_server, real_content):
    page.goto(f"{live_server.url}/roadmaps/{ROADMAP}/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    first_node = page.locator(".map-node").first
    first_node.focus()
    expect(page.locator(".map-edges path.is-highlighted").first).to_be_attached()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/topics/descriptive-statistics/?roadmap={ROADMAP}")


def test_phone_width_and_dark_theme(phone, live_server, real_content):
    phone.goto(f"{live_server.url}/topics/classification-metrics/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    screenshot(phone, "topic-phone")
    phone.get_by_role("button", name="Switch colour theme").click()
    theme = phone.evaluate("document.documentElement.dataset.theme")
    assert theme in {"dark", "light"}
    if theme != "dark":
        phone.get_by_role("button", name="Switch colour theme").click()
    phone.goto(f"{live_server.url}/roadmaps/{ROADMAP}/")
    assert phone.evaluate("document.documentElement.dataset.theme") == "dark"  # remembered
    screenshot(phone, "roadmap-phone-dark", full_page=False)
