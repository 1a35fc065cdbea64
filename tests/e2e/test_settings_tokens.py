"""The settings page's API tokens: the table fits its card on a phone, a new key is shown once after a
redirect (a refresh creates nothing), and a copy button puts it on the clipboard, by mouse or keyboard."""

import pytest
from playwright.sync_api import expect

from accounts.models import ApiToken
from accounts.tokens import create_token

from .conftest import csp_checked_page, screenshot
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def overflowing(page) -> list[str]:
    """What sticks out: the page sideways, or anything in the tokens card beyond the card's edge."""
    return page.evaluate("""() => {
        const found = [];
        if (document.documentElement.scrollWidth > window.innerWidth) found.push(
            `page ${document.documentElement.scrollWidth}px on ${window.innerWidth}px`);
        const card = document.querySelector('#tokens-heading').closest('.card').getBoundingClientRect();
        for (const el of document.querySelectorAll('#tokens-heading ~ * *')) {
            const box = el.getBoundingClientRect();
            if (box.width && (box.right > card.right + 0.5 || box.left < card.left - 0.5))
                found.push(`${el.tagName}.${el.className} ${Math.round(box.left)}-${Math.round(box.right)}`
                           + ` outside ${Math.round(card.left)}-${Math.round(card.right)}`);
        }
        return found;
    }""")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}])
def test_the_token_table_fits_its_card(browser, live_server, alice, viewport):
    for name in ["laptop", "a script with a rather long descriptive name", "ci"]:
        create_token(user=alice, name=name)
    context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500)
    page, violations = csp_checked_page(context)
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/settings/")
    tokens = page.locator("#tokens-heading").locator("xpath=..")
    tokens.scroll_into_view_if_needed()
    expect(tokens.get_by_role("button", name="Revoke ci")).to_be_visible()
    assert overflowing(page) == []
    screenshot(page, f"settings-tokens-{viewport['width']}")
    context.close()
    assert violations == []


def test_a_new_key_is_shown_once_and_a_refresh_creates_nothing(browser, live_server, alice):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page, violations = csp_checked_page(context)
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/settings/")
    page.get_by_label("Name").last.fill("study script")
    page.get_by_role("button", name="Create token").click()
    expect(page).to_have_url(f"{live_server.url}/settings/")  # redirected after the POST
    key = page.locator(".token-key").inner_text()
    assert len(key) > 30 and key not in page.url
    assert ApiToken.objects.filter(user=alice).count() == 1

    copy = page.get_by_role("button", name="Copy the key")
    copy.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == key
    screenshot(page, "settings-new-token-390", full_page=False)

    page.reload()  # a GET now: nothing is resubmitted, and the key is gone
    assert ApiToken.objects.filter(user=alice).count() == 1
    assert page.locator(".token-key").count() == 0 and key not in page.content()
    context.close()
    assert violations == []
