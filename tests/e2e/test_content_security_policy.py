"""The Content-Security-Policy holds in a real browser: the API docs and the admin run under it, and an
injected inline script is refused (every browser test fails on a violation: see conftest.csp_checked_page)."""

import pytest
from playwright.sync_api import expect

from .conftest import csp_checked_page, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_swagger_ui_runs_under_the_policy(page, live_server):
    page.goto(live_server.url + "/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.get_by_text("/api/topics/{slug}/quiz/").first).to_be_visible()
    screenshot(page, "api-docs", full_page=False)


def test_admin_runs_under_the_policy(page, live_server, django_user_model):
    django_user_model.objects.create_superuser(email="admin@example.com", password="admin-password-1")
    page.goto(live_server.url + "/admin/")
    page.locator("#id_username").fill("admin@example.com")
    page.locator("#id_password").fill("admin-password-1")
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/admin/roadmap/topic/add/")
    expect(page.locator("#topic_form")).to_be_visible()
    # The admin's own scripts run: the slug is prepopulated from the title as it is typed.
    page.locator("#id_title").press_sequentially("Kernel Methods")
    expect(page.locator("#id_slug")).to_have_value("kernel-methods")
    screenshot(page, "admin-topic-add", full_page=False)


def test_an_injected_inline_script_is_refused(browser, live_server):
    context = browser.new_context()
    page, violations = csp_checked_page(context)
    page.goto(live_server.url + "/")
    page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.injected = true';
        document.body.appendChild(script);
    }""")
    page.wait_for_timeout(100)
    assert page.evaluate("window.injected === undefined")
    assert any("Content Security Policy" in text for text in violations)
    context.close()
