"""Anonymous visitors get whole public pages from the cache; nothing personal is ever stored or replayed,
and a content change shows at once."""

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)  # invalidation runs on commit

PUBLIC = ["/", "/roadmaps/first/", "/topics/vectors/", "/topics/matrices/?roadmap=second", "/search/?q=vectors",
          "/api/roadmaps/", "/api/roadmaps/first/", "/api/topics/vectors/", "/api/topics/?search=vectors"]


@pytest.fixture
def loaded(small_content):
    call_command("load_content", "--path", str(small_content.root), verbosity=0)
    return small_content


@pytest.mark.parametrize("path", PUBLIC)
def test_a_second_anonymous_visit_runs_no_query(client, loaded, path, django_assert_num_queries):
    first = client.get(path)
    with django_assert_num_queries(0):
        second = client.get(path)
    assert second.status_code == first.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == "DENY"


def test_the_api_keeps_formats_apart(client, loaded):
    json = client.get("/api/roadmaps/first/", HTTP_ACCEPT="application/json")
    assert json["Content-Type"] == "application/json"
    for _ in range(2):  # the browsable API where DEBUG enables it, else 406: never the JSON stored above
        assert client.get("/api/roadmaps/first/", HTTP_ACCEPT="text/html").content != json.content
    assert client.get("/api/roadmaps/first/", HTTP_ACCEPT="application/json").content == json.content


def test_pages_carry_the_headers_of_the_first_response(client, loaded):
    client.get("/roadmaps/first/")
    replayed = client.get("/roadmaps/first/")
    assert "Cookie" in replayed["Vary"]  # shared caches downstream still tell visitors apart
    assert not replayed.cookies


def test_content_changes_show_at_once_everywhere(client, loaded):
    for path in PUBLIC:
        client.get(path)
    loaded.topic("vectors", title="Vector Spaces")
    call_command("load_content", "--path", str(loaded.root), verbosity=0)
    for path in ["/roadmaps/first/", "/topics/vectors/", "/search/?q=vectors", "/api/roadmaps/first/",
                 "/api/topics/vectors/", "/api/topics/?search=vectors"]:
        assert "Vector Spaces" in client.get(path).content.decode(), path


def test_a_signed_in_learner_never_gets_the_anonymous_page_nor_leaves_theirs(client, loaded, alice):
    anonymous = Client()
    anonymous.get("/roadmaps/first/")
    client.force_login(alice)
    mine = client.get("/roadmaps/first/").content.decode()
    assert "Sign out" in mine and "Your progress" in mine
    client.get("/topics/vectors/")
    for path in ["/roadmaps/first/", "/topics/vectors/"]:
        html = anonymous.get(path).content.decode()
        assert "alice@example.com" not in html and "Sign out" not in html and "csrfmiddlewaretoken" not in html


def test_a_learners_change_shows_at_once_on_their_page(client, loaded, alice):
    client.force_login(alice)
    client.get("/roadmaps/first/")
    client.post("/topics/vectors/status/", {"status": "done"})
    assert 'data-state="done"' in client.get("/roadmaps/first/").content.decode()


def test_pending_messages_are_shown_not_replayed(client, loaded, alice):
    Client().get("/")  # the anonymous home page is cached
    client.force_login(alice)
    client.post("/accounts/logout/")  # signs out with a "You have signed out." message
    html = client.get("/").content.decode()
    assert "signed out" in html
    assert "signed out" not in Client().get("/").content.decode()


def test_a_page_that_sets_a_cookie_is_not_stored(client, loaded):
    login = client.get("/accounts/login/")  # uses a CSRF token: sets the CSRF cookie
    assert "csrftoken" in login.cookies
    assert Client().get("/accounts/login/").cookies  # not replayed from the first visitor's response


def test_unknown_pages_are_not_stored(client, loaded, django_assert_max_num_queries):
    assert client.get("/topics/nothing-here/").status_code == 404
    with django_assert_max_num_queries(1):
        assert client.get("/topics/nothing-here/").status_code == 404
    assert client.get("/topics/nothing-here/").status_code == 404


def test_pages_work_when_the_cache_is_down(client, loaded, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    for path in PUBLIC:
        assert client.get(path).status_code == 200, path
