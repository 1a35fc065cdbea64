"""Quiz start and token creation are rate limited, through the API and the HTML forms alike (one allowance);
sign-up and password reset are throttled by allauth. A refused request saves nothing."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from rest_framework.settings import api_settings

from accounts.models import ApiToken, User
from quizzes.models import Attempt

pytestmark = pytest.mark.django_db


def rates(**scopes):
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": scopes})


def test_default_rates_are_set():
    assert set(api_settings.DEFAULT_THROTTLE_RATES) == {"quiz-start", "token-create"}


def test_quiz_start_is_limited_across_api_and_form(client, alice, quiz_content):
    client.force_login(alice)
    with rates(**{"quiz-start": "3/hour", "token-create": "10/hour"}):
        assert client.post("/api/topics/vectors/quiz/").status_code == 201
        assert client.post("/topics/vectors/quiz/").status_code == 302
        assert client.post("/api/topics/vectors/quiz/").status_code == 201
        refused = client.post("/api/topics/vectors/quiz/")
        assert refused.status_code == 429
        assert "throttled" in refused.json()["detail"]
        assert int(refused["Retry-After"]) > 0
        page = client.post("/topics/vectors/quiz/")
        assert page.status_code == 429
        assert "Too many requests" in page.content.decode()
    assert Attempt.objects.filter(learner=alice).count() == 3


def test_the_limit_is_per_learner(client, alice, bob, quiz_content):
    with rates(**{"quiz-start": "1/hour", "token-create": "10/hour"}):
        client.force_login(alice)
        assert client.post("/api/topics/vectors/quiz/").status_code == 201
        assert client.post("/api/topics/vectors/quiz/").status_code == 429
        client.force_login(bob)
        assert client.post("/api/topics/vectors/quiz/").status_code == 201


def test_token_creation_is_limited_but_listing_is_not(client, alice):
    client.force_login(alice)
    with rates(**{"quiz-start": "30/hour", "token-create": "2/hour"}):
        for name in ("one", "two"):
            assert client.post("/api/tokens/", {"name": name}, content_type="application/json").status_code == 201
        refused = client.post("/api/tokens/", {"name": "three"}, content_type="application/json")
        assert refused.status_code == 429
        assert client.post("/settings/tokens/", {"name": "four"}).status_code == 429
        for _ in range(5):
            assert client.get("/api/tokens/").status_code == 200
    assert list(ApiToken.objects.filter(user=alice).values_list("name", flat=True).order_by("name")) == ["one", "two"]


def test_signup_is_throttled_per_address(client):
    with override_settings(ACCOUNT_RATE_LIMITS={"signup": "2/m/ip"}):
        for n in range(2):
            client.post("/accounts/signup/", {"email": f"new{n}@example.com", "password1": "a-long-pass-1!",
                                               "password2": "a-long-pass-1!"})
            client.logout()
        response = client.post("/accounts/signup/", {"email": "new9@example.com", "password1": "a-long-pass-1!",
                                                      "password2": "a-long-pass-1!"})
    assert response.status_code == 429
    assert not User.objects.filter(email="new9@example.com").exists()


def test_password_reset_is_throttled_per_address(client, alice):
    with override_settings(ACCOUNT_RATE_LIMITS={"reset_password": "20/m/ip,2/m/key"}):
        for _ in range(2):
            client.post("/accounts/password/reset/", {"email": "alice@example.com"})
        response = client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    assert response.status_code == 429
    assert len(mail.outbox) == 2
