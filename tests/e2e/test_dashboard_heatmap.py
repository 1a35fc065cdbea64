"""The dashboard's year in a real browser: every month and weekday label of the heatmap is inside the
heatmap (the last month's label was cut off) and, on a phone, inside the card (the weekdays had scrolled away)."""

import datetime

import pytest
from django.utils import timezone

from learning.models import Activity
from roadmap.models import Topic

from .conftest import screenshot
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def inside(box, frame) -> bool:
    return (box["x"] >= frame["x"] - 0.5 and box["y"] >= frame["y"] - 0.5
            and box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5
            and box["y"] + box["height"] <= frame["y"] + frame["height"] + 0.5)


def labels_outside(page) -> list[str]:
    card = page.locator("section[aria-labelledby=activity-heading]").bounding_box()
    outside = []
    for label in page.locator(".heatmap-label").all():
        svg = label.evaluate("l => { const r = l.ownerSVGElement.getBoundingClientRect(); "
                             "return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; }")
        box = label.evaluate("l => { const r = l.getBoundingClientRect(); "
                             "return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; }")
        scroller = label.evaluate("l => { const s = l.closest('.heatmap-scroll'); if (!s) return null; "
                                  "const r = s.getBoundingClientRect(); "
                                  "return {x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height}; }")
        text = label.text_content()
        if not inside(box, svg):
            outside.append(f"{text}: outside the heatmap ({box} in {svg})")
        if text in ("Mon", "Wed", "Fri") and not (inside(box, card) and (scroller is None or inside(box, scroller))):
            outside.append(f"{text}: not on screen in the card")
    return outside


@pytest.fixture
def active_alice(alice, quiz_content):
    topic = Topic.objects.get(slug="vectors")
    now = timezone.now()
    Activity.objects.bulk_create(
        Activity(learner=alice, kind="status", topic=topic, at=now - datetime.timedelta(days=d))
        for d in range(0, 360, 4)
    )
    return alice


@pytest.mark.parametrize("today", [datetime.date(2026, 12, 3), datetime.date(2026, 6, 1)], ids=["dec", "jun"])
def test_heatmap_labels_fit_on_a_desktop(page, live_server, active_alice, today, monkeypatch):
    # A month that starts in the last week puts its label in the last column: the one that was cut off.
    monkeypatch.setattr("learning.activity.local_today", lambda learner, now=None: today)
    sign_in(page, live_server.url)
    assert labels_outside(page) == []
    page.locator(".heatmap-frame").scroll_into_view_if_needed()
    screenshot(page, f"dashboard-heatmap-{today:%b}", full_page=False)


def test_heatmap_weekdays_stay_on_a_phone(phone, live_server, active_alice):
    sign_in(phone, live_server.url)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the dashboard is {width}px wide on a 390px phone"
    assert labels_outside(phone) == []
    phone.locator("section[aria-labelledby=activity-heading]").scroll_into_view_if_needed()
    screenshot(phone, "dashboard-phone-heatmap", full_page=False)
