"""Real Chromium through Playwright against pytest-django's live server."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def csp_checked_page(context):
    """A page that fails the test if the Content-Security-Policy blocked anything on it: every browser test
    then proves that the policy (no 'unsafe-inline') and the pages agree."""
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return page, violations


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, violations = csp_checked_page(context)
    yield page
    context.close()
    assert violations == [], "the Content-Security-Policy blocked something"


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page, violations = csp_checked_page(context)
    yield page
    context.close()
    assert violations == [], "the Content-Security-Policy blocked something"


@pytest.fixture
def real_content(transactional_db):
    call_command("load_content", verbosity=0)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
