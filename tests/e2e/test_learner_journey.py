"""A learner signs up, confirms the e-mail from the outbox, follows a roadmap, marks topics, and sees the
dashboard and the map change, in a real browser (and marks a topic with JavaScript off)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from learning.models import ResourceTick, TopicNote, TopicProgress

from .conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)

ROADMAP = "al-mamari-machine-learning-roadmap"


@pytest.fixture
def auckland(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="Pacific/Auckland")
    page = context.new_page()
    yield page
    context.close()


def test_sign_up_follow_and_track(auckland, live_server, real_content, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    page = auckland
    url = live_server.url

    page.goto(f"{url}/accounts/signup/")
    expect(page.locator("select[name=time_zone]")).to_have_value("Pacific/Auckland")  # from the browser
    page.get_by_label("Email").fill("erin@example.com")
    page.get_by_label("Display name").fill("Erin")
    page.locator("input[name=password1]").fill("a-long-passphrase-42")
    page.locator("input[name=password2]").fill("a-long-passphrase-42")
    screenshot(page, "signup")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify", re.I))

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", url).replace("http://example.com", url))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(f"{url}/dashboard/")
    expect(page.get_by_text("You do not follow a roadmap yet")).to_be_visible()
    assert User.objects.get(email="erin@example.com").time_zone == "Pacific/Auckland"

    page.get_by_role("link", name="Machine Learning Roadmap").click()
    page.get_by_role("button", name="Follow this roadmap").click()
    expect(page.get_by_role("button", name="Unfollow")).to_be_visible()
    expect(page.get_by_text("Continue here: Descriptive Statistics")).to_be_visible()

    page.get_by_text("Continue here").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Descriptive Statistics")
    expect(page.locator("html.js")).to_be_attached()  # the tracking module is running
    page.get_by_label("Done").check()
    expect(page.locator("[data-status-form] .form-status")).to_have_text("Saved: Done.")
    page.locator("[data-tick-form] button").first.click()
    expect(page.locator("[data-tick-form] button").first).to_have_attribute("aria-pressed", "true")
    page.get_by_label("Note in Markdown").fill("Median beats mean when there are **outliers**.")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator("[data-note-preview] strong")).to_have_text("outliers")
    screenshot(page, "topic-tracked", full_page=False)
    page.locator(".tracking-panel").scroll_into_view_if_needed()
    screenshot(page, "topic-tracking-panel", full_page=False)

    page.locator("a[rel=next]").click()
    expect(page.locator("html.js")).to_be_attached()
    page.get_by_label("In progress").check()
    expect(page.locator("[data-status-form] .form-status")).to_have_text("Saved: In progress.")

    erin = User.objects.get(email="erin@example.com")
    assert TopicProgress.objects.filter(learner=erin, status="done").count() == 1
    assert ResourceTick.objects.filter(learner=erin).count() == 1
    assert TopicNote.objects.filter(learner=erin).count() == 1

    page.goto(f"{url}/roadmaps/{ROADMAP}/")
    expect(page.locator('.map-node[data-state="done"]')).to_have_count(1)
    expect(page.locator('.map-node[data-state="in_progress"]')).to_have_count(1)
    expect(page.get_by_text("Continue here: Probability Theory")).to_be_visible()
    page.locator("#your-progress-heading").scroll_into_view_if_needed()
    screenshot(page, "roadmap-tracked", full_page=False)

    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator(".followed .progress-label")).to_contain_text("1 of 86 topics")
    expect(page.locator(".heatmap rect.level-4")).to_have_count(1)
    expect(page.get_by_text("Current streak")).to_be_visible()
    expect(page.locator(".activity-list time").first).to_have_text("just now")  # written by relative-time.js
    screenshot(page, "dashboard")
    page.go_back()  # the roadmap page again: replayed from the cache, with everything marked above
    expect(page.locator('.map-node[data-state="done"]')).to_have_count(1)


def test_marking_a_topic_without_javascript(browser, live_server, real_content, alice):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill("alice@example.com")
    page.locator("input[name=password]").fill("alice-password-1")
    page.get_by_role("button", name="Sign In").click()
    page.goto(f"{live_server.url}/topics/linear-regression/")
    page.get_by_label("Skipped").check()
    page.get_by_role("button", name="Save status").click()
    expect(page.get_by_text("marked skipped")).to_be_visible()
    assert TopicProgress.objects.get(learner=alice).status == "skipped"
    context.close()
