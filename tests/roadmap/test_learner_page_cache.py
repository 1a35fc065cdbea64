"""A signed-in learner's roadmap, topic and dashboard pages are replayed whole until something they show
changes: a write of theirs (through any form or API endpoint, by session or token), an admin's change to
their account or attempts, content, a card falling due, a new local day, or ten minutes of fading memory."""

import datetime
import re
import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from caching.learner_pages import MAX_AGE
from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Attempt, Card, CardState, Question
from roadmap.models import Topic

pytestmark = pytest.mark.django_db

PAGES = ["/dashboard/", "/roadmaps/first/", "/topics/vectors/"]


def replayed(response) -> bool:
    """The test client lists the templates a response was rendered with: a replayed page has none."""
    assert response.status_code == 200
    return not response.templates


def sign_in(client, learner):
    """Signed in, with the CSRF cookie a browser has from its first page (a page is never cached without it:
    the render sets it)."""
    client.force_login(learner)
    client.get("/")


def travel(monkeypatch, delta: datetime.timedelta):
    later = timezone.now() + delta
    monkeypatch.setattr(timezone, "now", lambda: later)


def csrf_token_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("page", PAGES)
def test_a_second_visit_is_replayed_from_the_cache(client, alice, loaded, page, django_assert_max_num_queries):
    sign_in(client, alice)
    first = client.get(page)
    assert not replayed(first)
    with django_assert_max_num_queries(2):  # the session (until it is in the cache) and the learner
        second = client.get(page)
    assert replayed(second) and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "csrftoken" not in second.cookies  # the browser's own, from which the page's token was made


def test_every_kind_of_write_shows_on_the_next_visit(client, api, alice, quiz_content):
    sign_in(client, alice)
    api.force_login(alice)
    for page in PAGES:
        client.get(page)

    client.post("/topics/vectors/status/", {"status": "done"})  # a form
    assert 'value="done" checked' in client.get("/topics/vectors/").content.decode()
    assert "1 of 3 topics done" in client.get("/roadmaps/first/").content.decode()

    api.put("/api/progress/vectors/", {"status": "in_progress"}, format="json")  # the API, by session
    assert 'value="in_progress" checked' in client.get("/topics/vectors/").content.decode()

    api.put("/api/notes/vectors/", {"body": "Norms are lengths."}, format="json")
    assert "Norms are lengths." in client.get("/topics/vectors/").content.decode()

    assert "You do not follow a roadmap yet" in client.get("/dashboard/").content.decode()
    assert api.put("/api/roadmaps/first/follow/").status_code in (200, 201)
    assert "You do not follow a roadmap yet" not in client.get("/dashboard/").content.decode()

    attempt = api.post("/api/topics/vectors/quiz/").json()
    api.post(f"/api/attempts/{attempt['id']}/submit/", {"answers": []}, format="json")
    assert "Your attempts" in client.get("/topics/vectors/").content.decode()


def test_a_write_by_api_token_shows_too(client, api, alice, loaded):
    sign_in(client, alice)
    api.force_login(alice)
    key = api.post("/api/tokens/", {"name": "script"}, format="json").json()["key"]
    client.get("/topics/vectors/")
    script = Client(HTTP_AUTHORIZATION=f"Token {key}")
    response = script.put("/api/progress/vectors/", '{"status": "skipped"}', content_type="application/json")
    assert response.status_code == 200
    assert 'value="skipped" checked' in client.get("/topics/vectors/").content.decode()


def test_a_refused_write_leaves_the_pages_cached(client, api, alice, loaded):
    sign_in(client, alice)
    api.force_login(alice)
    client.get("/topics/vectors/")
    assert api.put("/api/progress/vectors/", {"status": "finished"}, format="json").status_code == 400
    assert replayed(client.get("/topics/vectors/"))


def test_nobody_else_gets_the_page(client, alice, bob, loaded):
    sign_in(client, alice)
    client.post("/topics/vectors/status/", {"status": "done"})
    client.get("/topics/vectors/")
    client.get("/topics/vectors/")
    other = Client()
    sign_in(other, bob)
    assert 'value="not_started" checked' in other.get("/topics/vectors/").content.decode()


def test_each_browser_gets_forms_it_can_post(alice, loaded):
    """The CSRF secret is per browser: a page rendered for one must not be replayed to another."""
    browsers = [Client(enforce_csrf_checks=True) for _ in range(2)]
    for browser in browsers:
        sign_in(browser, alice)
        browser.get("/topics/vectors/")
    tokens = [csrf_token_of(browser.get("/topics/vectors/").content.decode()) for browser in browsers]
    for browser, token, status in zip(browsers, tokens, ["done", "skipped"], strict=True):
        response = browser.post("/topics/vectors/status/", {"status": status, "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    assert 'value="skipped" checked' in browsers[0].get("/topics/vectors/").content.decode()


def test_a_page_with_messages_is_rendered_and_not_kept(client, alice, loaded):
    sign_in(client, alice)
    client.get("/roadmaps/first/")
    response = client.post("/roadmaps/first/follow/", follow=True)
    assert "You follow" in response.content.decode() and not replayed(response)
    again = client.get("/roadmaps/first/")
    assert "You follow" not in again.content.decode() and not replayed(again)
    assert replayed(client.get("/roadmaps/first/"))


def test_a_card_falling_due_shows_without_any_write(client, alice, quiz_content, monkeypatch):
    question = Question.objects.first()
    Card.objects.create(learner=alice, question=question, state=CardState.REVIEW, stability=3, difficulty=5,
                        due=timezone.now() + datetime.timedelta(minutes=3),
                        last_review=timezone.now() - datetime.timedelta(days=3))
    sign_in(client, alice)
    assert "due now" not in client.get("/dashboard/").content.decode()
    assert replayed(client.get("/dashboard/"))
    travel(monkeypatch, datetime.timedelta(minutes=4))
    response = client.get("/dashboard/")
    assert not replayed(response)
    assert '<strong class="due-count">1</strong> question due now' in response.content.decode()


def test_no_page_is_replayed_past_max_age(client, alice, loaded, monkeypatch):
    sign_in(client, alice)
    client.get("/roadmaps/first/")
    travel(monkeypatch, MAX_AGE - datetime.timedelta(seconds=5))
    assert replayed(client.get("/roadmaps/first/"))
    travel(monkeypatch, MAX_AGE + datetime.timedelta(seconds=5))
    assert not replayed(client.get("/roadmaps/first/"))


def test_a_new_local_day_renders_the_dashboard_again(client, alice, loaded, monkeypatch):
    """The streak, the heatmap's today and the forecast's "Today" move at the learner's local midnight."""
    alice.time_zone = "Pacific/Auckland"
    alice.save()
    sign_in(client, alice)
    local = timezone.localtime(timezone=zoneinfo.ZoneInfo("Pacific/Auckland"))
    midnight = datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time(), local.tzinfo)
    real_now = timezone.now
    for offset, replay in [(-300, False), (-120, True), (2, False)]:
        at = midnight + datetime.timedelta(seconds=offset)
        monkeypatch.setattr(timezone, "now", lambda at=at: at)
        assert replayed(client.get("/dashboard/")) is replay
    monkeypatch.setattr(timezone, "now", real_now)


@pytest.mark.django_db(transaction=True)  # the admin's changes reach the pages on commit
def test_an_admins_changes_to_the_learner_reach_their_pages(alice, quiz_content):
    admin = Client()
    admin.force_login(User.objects.create_superuser(email="admin@example.com", password="admin-password-1"))
    learner = Client()
    sign_in(learner, alice)
    attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
    submit_attempt(learner=alice, attempt_id=attempt.pk, answers=[])
    assert "Your attempts" in learner.get("/topics/vectors/").content.decode()
    assert "Ada L." not in learner.get("/dashboard/").content.decode()

    form = {"email": alice.email, "display_name": "Ada L.", "is_active": "on",
            "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"}
    assert admin.post(f"/admin/accounts/user/{alice.pk}/change/", form).status_code == 302
    assert "Ada L." in learner.get("/dashboard/").content.decode()

    assert admin.post(f"/admin/quizzes/attempt/{attempt.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Attempt.objects.exists()
    assert "Your attempts" not in learner.get("/topics/vectors/").content.decode()
