"""In Chromium, pages full of script and event-handler payloads (a display name, a note saved through the page's
JavaScript and shown with innerHTML, a topic, its resources, a roadmap, quiz questions, feedback and explanations)
never run any of them: no dialog opens, while the payloads' text is there to read."""

import pytest
from playwright.sync_api import expect

from tests.conftest import XSS, XSS_SHORT

from .conftest import screenshot
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_payloads_never_run_in_the_browser(page, live_server, hostile_content, alice):
    alice.display_name = XSS_SHORT
    alice.save()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    url = live_server.url
    sign_in(page, url)

    page.goto(f"{url}/topics/hostile/")
    expect(page.locator("html.js")).to_be_attached()  # the note module runs
    page.locator("#note-body").fill(XSS)
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("[data-note-form] .form-status")).to_have_text("Note saved.")
    expect(page.locator("[data-note-preview]")).to_contain_text("a Markdown link")
    for target in ["[data-note-preview]", ".prose", ".resource a", "h1"]:
        page.locator(target).first.hover()
    page.locator("[data-note-preview] a").first.click()  # the Markdown link, stripped of its javascript: URL
    screenshot(page, "xss-topic", full_page=False)

    page.reload()  # the note again, rendered by the server this time
    expect(page.get_by_role("heading", level=1)).to_contain_text("<script>alert(1)</script>")
    for path in ["/", "/roadmaps/hostile-roadmap/", "/search/?q=alert", "/dashboard/", "/settings/"]:
        page.goto(f"{url}{path}")
        page.locator("main").hover()

    page.goto(f"{url}/topics/hostile/")
    page.get_by_role("button", name="Take the quiz").click()
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("button", name="Submit anyway").click()  # every question left blank, on purpose
    expect(page.get_by_role("heading", level=1)).to_have_text("You scored 0%")
    expect(page.locator(".explanation").first).to_contain_text("<img src=x onerror=alert")
    page.goto(f"{url}/reviews/")

    assert dialogs == []
    page.evaluate("() => alert('probe')")  # the listener does see a dialog when script runs
    assert dialogs == ["probe"]
