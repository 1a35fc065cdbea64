"""Sessions are read from the cache and written through to the database: a Redis that restarts empty, or
is down, signs nobody out."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_a_session_outlives_an_emptied_cache(client, alice, django_assert_max_num_queries):
    assert client.post("/accounts/login/", {"login": alice.email, "password": "alice-password-1"}).status_code == 302
    with django_assert_max_num_queries(1):  # the learner; the session came from the cache
        assert client.get("/api/me/").json()["email"] == alice.email
    cache.clear()
    assert client.get("/api/me/").json()["email"] == alice.email
