"""A learner takes a placement test in a real browser, by keyboard on a desktop and by touch on a phone: starts
it from the roadmap page, answers one question a page (and says when it does not know), sees the proposal with
every topic ticked, unticks one and confirms; the confirmed topics are done on the roadmap."""

import pytest
from playwright.sync_api import expect

from learning.models import TopicProgress
from quizzes.models import Card, PlacementSession, Question

from .conftest import screenshot
from .test_take_a_quiz import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def answer_right(page, *, keyboard: bool):
    """Answers the question on the page right: by keyboard (type, Space, Enter) or by pointer."""
    question = Question.objects.get(pk=int(page.locator("input[name=question]").input_value()))
    fieldset = page.locator("fieldset.question")
    if question.type == "numeric":
        box = fieldset.get_by_label("Your answer")
        box.fill(f"{question.numeric_answer:g}")
        if keyboard:
            box.press("Enter")  # Enter answers: the form's first button is "Answer", not "I don't know"
            return
    else:
        for choice in question.choices.filter(is_correct=True):
            box = fieldset.locator(f"input[value='{choice.pk}']")
            if keyboard:
                box.focus()
                page.keyboard.press("Space")
            else:
                box.check()
    page.get_by_role("button", name="Answer", exact=True).click()


def take(page, url, *, keyboard: bool, shot: str, dont_know_first: bool):
    page.goto(f"{url}/roadmaps/first/")
    offer = page.get_by_role("button", name="I know some of this")
    offer.scroll_into_view_if_needed()
    screenshot(page, f"{shot}-offer", full_page=False)
    offer.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What do you already know?")
    expect(page.get_by_text("Question 1 of at most 15")).to_be_visible()
    screenshot(page, f"{shot}-question")
    asked = 0
    if dont_know_first:
        page.get_by_role("button", name="I don’t know this").click()  # a miss, on the first question's topic
        expect(page.get_by_text("Question 2 of at most 15")).to_be_visible()
        asked = 1
    while page.locator("input[name=question]").count():
        answer_right(page, keyboard=keyboard)
        asked += 1
        assert asked <= 15
    expect(page.get_by_role("heading", level=2)).to_contain_text("You seem to know")
    expect(page.locator("input[name=topics]:not(:checked)")).to_have_count(0)
    screenshot(page, f"{shot}-proposal")


def test_placement_on_a_desktop_by_keyboard(page, live_server, placement_content, alice):
    url = live_server.url
    sign_in(page, url)
    take(page, url, keyboard=True, shot="placement", dont_know_first=False)
    proposed = page.locator("input[name=topics]").evaluate_all("boxes => boxes.map(b => b.value)")
    assert proposed == ["vectors", "matrices", "gradient-descent"]
    page.locator("input[name=topics]").last.focus()
    page.keyboard.press("Space")  # untick the last one
    page.get_by_role("button", name="Mark the ticked topics done").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{url}/roadmaps/first/")
    expect(page.locator("ul.messages")).to_contain_text("Marked 2 topics done.")
    screenshot(page, "placement-confirmed")
    assert set(TopicProgress.objects.values_list("topic__slug", flat=True)) == set(proposed[:-1])
    session = PlacementSession.objects.get()
    assert session.confirmed_at is not None
    assert all(a.time_ms is not None for a in session.answers.exclude(answer={"dont_know": True}))
    assert Card.objects.filter(learner=alice).exists()


def test_placement_on_a_phone(phone, live_server, placement_content, alice):
    url = live_server.url
    sign_in(phone, url)
    take(phone, url, keyboard=False, shot="placement-phone", dont_know_first=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"
    proposed = phone.locator("input[name=topics]").count()
    button = "Mark the ticked topics done" if proposed else "Close this test"
    phone.get_by_role("button", name=button).click()
    expect(phone).to_have_url(f"{url}/roadmaps/first/")
    assert TopicProgress.objects.filter(status="done").count() == proposed
