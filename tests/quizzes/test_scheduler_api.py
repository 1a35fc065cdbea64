"""GET/DELETE /api/me/scheduler/ and POST /api/me/scheduler/fit/: the learner's FSRS parameters, its fits, a
fit on demand and the way back to the defaults; the settings page's card and forms over the same functions."""

import datetime

import pytest
from django.utils import timezone

from quizzes import fitting
from quizzes.models import ParameterFit

from .fitting_data import add_simulated_reviews, simulated_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(small_content):
    return simulated_content(small_content)


@pytest.fixture
def fitted_alice(loaded, alice):
    add_simulated_reviews(alice)
    fitting.fit_parameters(learner=alice)
    alice.refresh_from_db()
    return alice


def test_anonymous_visitors_are_refused(api, client):
    for method, path in [("get", "/api/me/scheduler/"), ("delete", "/api/me/scheduler/"),
                         ("post", "/api/me/scheduler/fit/")]:
        assert getattr(api, method)(path).status_code in (401, 403)
    for path in ("/settings/scheduler/fit/", "/settings/scheduler/reset/"):
        response = client.post(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_new_learner_is_on_the_defaults(api, alice, django_assert_max_num_queries):
    api.force_authenticate(alice)
    with django_assert_max_num_queries(3):
        data = api.get("/api/me/scheduler/").json()
    assert data == {"parameters": list(fitting.DEFAULT_PARAMETERS), "fitted": False, "review_logs": 0,
                    "min_review_logs": 512, "fits": [], "light_weekdays": [], "reviews_paused_until": None}


def test_a_fitted_learner_sees_its_parameters_and_fits_and_nobody_else_does(api, fitted_alice, bob):
    api.force_authenticate(fitted_alice)
    data = api.get("/api/me/scheduler/").json()
    assert data["fitted"] is True and data["parameters"] == fitted_alice.fsrs_parameters
    [fit] = data["fits"]
    assert fit["adopted"] is True and fit["log_loss_fitted"] < fit["log_loss_default"]
    api.force_authenticate(bob)
    assert api.get("/api/me/scheduler/").json()["fits"] == []


def test_too_few_reviews_refuse_a_fit(api, client, loaded, alice):
    add_simulated_reviews(alice, cards=10, days=60)
    api.force_authenticate(alice)
    response = api.post("/api/me/scheduler/fit/")
    assert response.status_code == 400
    assert "fitting needs at least 512" in response.json()["detail"]
    client.force_login(alice)
    page = client.post("/settings/scheduler/fit/")
    assert page.status_code == 400 and "fitting needs at least 512" in page.content.decode()
    assert not ParameterFit.objects.exists()


def test_a_fit_is_queued_then_refused_for_ten_minutes(api, fitted_alice):
    api.force_authenticate(fitted_alice)
    response = api.post("/api/me/scheduler/fit/")
    assert response.status_code == 429
    assert "try again in" in response.json()["detail"] and 0 < int(response["Retry-After"]) <= 600
    ParameterFit.objects.update(fitted_at=timezone.now() - datetime.timedelta(minutes=11))
    assert api.post("/api/me/scheduler/fit/").status_code == 202


def test_reset_goes_back_to_the_defaults(api, fitted_alice, django_assert_max_num_queries):
    api.force_authenticate(fitted_alice)
    with django_assert_max_num_queries(4):
        data = api.delete("/api/me/scheduler/").json()
    assert data["fitted"] is False and data["parameters"] == list(fitting.DEFAULT_PARAMETERS)
    assert len(data["fits"]) == 1  # kept on record
    fitted_alice.refresh_from_db()
    assert fitted_alice.fsrs_parameters is None


def test_the_settings_card_and_its_forms(client, fitted_alice, django_assert_max_num_queries):
    client.force_login(fitted_alice)
    with django_assert_max_num_queries(12):
        page = client.get("/settings/").content.decode()
    assert "fitted to your own answers" in page and "Use the defaults" in page and "log loss" in page
    response = client.post("/settings/scheduler/reset/", follow=True)
    assert "default parameters again" in response.content.decode()
    fitted_alice.refresh_from_db()
    assert fitted_alice.fsrs_parameters is None
    ParameterFit.objects.update(fitted_at=timezone.now() - datetime.timedelta(minutes=11))
    response = client.post("/settings/scheduler/fit/", follow=True)
    assert "Fitting your schedule" in response.content.decode()


def test_the_settings_card_of_a_new_learner_says_when_fitting_starts(client, alice):
    client.force_login(alice)
    page = client.get("/settings/").content.decode()
    assert "After 512 reviews (you have 0)" in page and "Fit now" not in page
