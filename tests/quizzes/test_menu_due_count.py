"""The site menu says how many questions are due, on every signed-in page: cached under the learner's state
version, so a review shows at once, and never replayed (nor kept) past the moment a card falls due."""

import datetime

import pytest
from django.utils import timezone

from quizzes.models import Card, CardState, Question
from tests.roadmap.test_learner_page_cache import replayed, sign_in, travel

pytestmark = pytest.mark.django_db


def badge(html: str) -> str | None:
    start = html.find('class="menu-due">')
    return None if start < 0 else html[start + len('class="menu-due">'):].split("<", 1)[0]


def make_cards(learner, *, due_in: list[datetime.timedelta]):
    for question, delta in zip(Question.objects.order_by("pk"), due_in, strict=False):
        Card.objects.create(learner=learner, question=question, state=CardState.REVIEW, stability=3, difficulty=5,
                            due=timezone.now() + delta, last_review=timezone.now() - datetime.timedelta(days=3))


def test_no_badge_without_anything_due(client, alice, quiz_content):
    sign_in(client, alice)
    assert badge(client.get("/dashboard/").content.decode()) is None
    assert badge(client.get("/").content.decode()) is None


def test_the_due_count_is_in_the_menu_on_every_page(client, alice, bob, quiz_content):
    make_cards(alice, due_in=[-datetime.timedelta(hours=1)] * 3)
    sign_in(client, alice)
    for url in ("/", "/dashboard/", "/topics/vectors/", "/roadmaps/first/", "/reviews/", "/settings/"):
        html = client.get(url).content.decode()
        assert badge(html) == "3", url
        assert '<span class="visually-hidden"> due</span>' in html
    sign_in(client, bob)
    assert badge(client.get("/dashboard/").content.decode()) is None


def test_a_review_shows_at_once(client, alice, quiz_content):
    make_cards(alice, due_in=[-datetime.timedelta(hours=1)] * 2)
    sign_in(client, alice)
    assert badge(client.get("/topics/vectors/").content.decode()) == "2"
    card = Card.objects.filter(learner=alice).select_related("question").first()
    field = f"q{card.question_id}"
    value = "11" if card.question.type == "numeric" else str(card.question.choices.first().pk)
    assert client.post(f"/reviews/{card.pk}/answer/", {field: value}).status_code == 302
    assert badge(client.get("/topics/vectors/").content.decode()) == "1"


def test_a_card_falling_due_ends_the_cached_page(client, alice, quiz_content, monkeypatch):
    make_cards(alice, due_in=[datetime.timedelta(minutes=3)])
    sign_in(client, alice)
    assert badge(client.get("/topics/vectors/").content.decode()) is None
    assert replayed(client.get("/topics/vectors/"))
    travel(monkeypatch, datetime.timedelta(minutes=4))
    response = client.get("/topics/vectors/")
    assert not replayed(response) and badge(response.content.decode()) == "1"


def test_the_badge_costs_no_query_once_cached(client, alice, quiz_content, django_assert_max_num_queries):
    make_cards(alice, due_in=[-datetime.timedelta(hours=1)] * 2)
    sign_in(client, alice)  # the home page: the badge is computed and cached
    with django_assert_max_num_queries(2):  # the session and the learner, as for any anonymous-cost page
        assert badge(client.get("/").content.decode()) == "2"
