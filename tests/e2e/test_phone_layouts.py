"""Every learner page fits a phone's width (nothing scrolls sideways but the map and the heatmap)."""

import pytest

from .conftest import screenshot
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_learner_pages_fit_a_phone(browser, live_server, quiz_content, alice):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    url = live_server.url
    sign_in(page, url)
    page.goto(f"{url}/topics/vectors/")
    page.get_by_role("button", name="Take the quiz").click()
    quiz_url = page.url
    for name, path in [("dashboard", "/dashboard/"), ("topic", "/topics/vectors/?roadmap=first"),
                       ("quiz", quiz_url.removeprefix(url)), ("review", "/reviews/"), ("settings", "/settings/"),
                       ("roadmap", "/roadmaps/first/"), ("search", "/search/?q=vectors")]:
        page.goto(url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} is {width}px wide on a 390px phone"
        screenshot(page, f"phone-{name}", full_page=False)
    context.close()
