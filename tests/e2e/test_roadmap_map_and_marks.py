"""The roadmap page in a real browser: a learner marks a topic done from the map with the keyboard alone
(with a visible focus ring), switches to the list (remembered), skips the map, marks from the list without
JavaScript; on a phone the map is a column that needs no sideways scrolling, under a compact header."""

import pytest
from playwright.sync_api import expect

from learning.models import TopicProgress

from .conftest import csp_checked_page, screenshot
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

ROADMAP = "al-mamari-machine-learning-roadmap"
FIRST = "Descriptive Statistics"  # the roadmap's first topic


def tab_to(page, selector: str, *, presses: int = 60):
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_mark_a_topic_done_from_the_map_with_the_keyboard(page, live_server, real_content, alice):
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/roadmaps/{ROADMAP}/")
    node = page.locator(".map-wide .map-node", has_text=FIRST)
    tab_to(page, ".map-wide .map-node")
    expect(node).to_be_focused()
    ring = node.locator(".focus-ring")
    assert ring.evaluate("r => getComputedStyle(r).strokeWidth") == "4px"
    assert ring.evaluate("r => getComputedStyle(r).stroke") == "rgb(194, 65, 12)"  # --focus, light theme
    expect(page.locator(".map-edges path.is-highlighted").first).to_be_attached()
    node.scroll_into_view_if_needed()
    screenshot(page, "roadmap-map-keyboard-focus", full_page=False)

    page.keyboard.press("Tab")  # the node's own mark button comes next
    expect(page.get_by_role("button", name=f"Mark “{FIRST}” done").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(node).to_have_attribute("data-state", "done")
    expect(page.locator('.outline-topics li[data-state="done"]', has_text=FIRST)).to_have_count(1)
    expect(page.locator("[data-mark-status]")).to_have_text(f"“{FIRST}” marked done.")
    undo = page.get_by_role("button", name=f"Mark “{FIRST}” not started (it is done)").first
    expect(undo).to_be_focused()  # the focus stays where the learner was
    assert TopicProgress.objects.get(learner=alice, topic__title=FIRST).status == "done"
    screenshot(page, "roadmap-map-marked", full_page=False)

    page.keyboard.press("Enter")  # and undone the same way
    expect(node).to_have_attribute("data-state", "not_started")
    assert TopicProgress.objects.get(learner=alice, topic__title=FIRST).status == "not_started"


def test_focus_ring_in_the_dark_theme(page, live_server, real_content, alice):
    alice.theme = "dark"
    alice.save(update_fields=["theme"])
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/roadmaps/{ROADMAP}/")
    tab_to(page, ".map-wide .map-node")
    ring = page.locator(".map-wide .map-node", has_text=FIRST).locator(".focus-ring")
    assert ring.evaluate("r => getComputedStyle(r).stroke") == "rgb(251, 191, 36)"  # --focus, dark theme
    page.locator(".map-wide .map-node", has_text=FIRST).scroll_into_view_if_needed()
    screenshot(page, "roadmap-map-keyboard-focus-dark", full_page=False)


def test_the_skip_link_jumps_over_the_map_to_the_list(page, live_server, real_content):
    page.goto(f"{live_server.url}/roadmaps/{ROADMAP}/")
    tab_to(page, ".skip-map")
    expect(page.locator(".skip-map")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#topic-list")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(".outline a").first).to_be_focused()


def test_list_view_is_remembered(page, live_server, real_content):
    page.goto(f"{live_server.url}/roadmaps/{ROADMAP}/")
    expect(page.locator(".map-wide")).to_be_visible()
    page.locator(".view-switch").get_by_role("link", name="List").click()
    expect(page.locator(".map-panel")).to_be_hidden()
    expect(page.locator(".outline")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/roadmaps/{ROADMAP}/?view=list")
    screenshot(page, "roadmap-list", full_page=False)
    page.goto(f"{live_server.url}/roadmaps/{ROADMAP}/")  # back later: the list again
    expect(page.locator(".map-panel")).to_be_hidden()
    expect(page.locator('.view-switch [aria-current="page"]')).to_have_text("List")
    page.locator(".view-switch").get_by_role("link", name="Map").click()
    expect(page.locator(".map-wide")).to_be_visible()


def test_list_view_and_marking_without_javascript(browser, live_server, real_content, alice):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page, violations = csp_checked_page(context)
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/roadmaps/{ROADMAP}/?view=list")
    expect(page.locator(".map-panel")).to_be_hidden()
    item = page.locator(".outline-topics li", has_text="Probability Theory").first
    item.get_by_role("button", name="Mark “Probability Theory” done").click()
    expect(page).to_have_url(f"{live_server.url}/roadmaps/{ROADMAP}/?view=list")
    expect(page.get_by_text("“Probability Theory” marked done.")).to_be_visible()
    expect(item).to_have_attribute("data-state", "done")
    expect(item.get_by_role("button", name="Mark “Probability Theory” not started (it is done)")).to_be_visible()
    assert TopicProgress.objects.get(learner=alice, topic__title="Probability Theory").status == "done"
    context.close()
    assert violations == []


def test_the_map_is_a_column_on_a_phone(phone, live_server, real_content, alice):
    sign_in(phone, live_server.url)
    header = phone.locator(".site-header").bounding_box()
    assert header["height"] <= 100, f"the header is {header['height']}px tall on a phone"
    phone.goto(f"{live_server.url}/roadmaps/{ROADMAP}/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the roadmap page is {width}px wide on a 390px phone"
    expect(phone.locator(".map-wide")).to_be_hidden()
    column = phone.locator(".map-column")
    expect(column).to_be_visible()
    assert column.evaluate("c => c.scrollWidth <= c.clientWidth"), "the map itself scrolls sideways"
    node = column.locator(".map-box", has_text="Probability Theory")
    assert node.bounding_box()["width"] >= 220  # boxes at a readable size, not a shrunken wide map
    screenshot(phone, "roadmap-phone-top", full_page=False)
    node.scroll_into_view_if_needed()
    screenshot(phone, "roadmap-phone-map", full_page=False)
    column.get_by_role("button", name="Mark “Probability Theory” done").tap()
    expect(node).to_have_attribute("data-state", "done")
