"""What a desired retention costs: simulated reviews a day for the learner's own cards, on the settings page and
at GET /api/me/scheduler/workload/, and picking a retention from it."""

import pytest
from django.utils import timezone

from quizzes.workload import RETENTIONS, workload_forecast

from .fitting_data import add_simulated_reviews, simulated_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed_alice(small_content, alice):
    simulated_content(small_content)
    add_simulated_reviews(alice)
    return alice


def test_higher_retention_costs_more_reviews(reviewed_alice):
    now = timezone.now()
    options = workload_forecast(learner=reviewed_alice, now=now)
    assert [o.desired_retention for o in options] == list(RETENTIONS)
    reviews = [o.reviews for o in options]
    assert reviews == sorted(reviews) and reviews[-1] > 2 * reviews[0] > 0
    assert workload_forecast(learner=reviewed_alice, now=now) == options  # the same draws every time


def test_a_learner_without_cards_costs_nothing(alice, client):
    assert {o.reviews for o in workload_forecast(learner=alice)} == {0}
    client.force_login(alice)
    page = client.get("/settings/").content.decode()
    assert "Once you have taken a quiz" in page and 'value="0.90" checked' in page


def test_the_api_gives_every_option(api, reviewed_alice, django_assert_max_num_queries):
    api.force_authenticate(reviewed_alice)
    with django_assert_max_num_queries(2):
        data = api.get("/api/me/scheduler/workload/").json()
    assert data["days"] == 90 and data["current_retention"] == 0.9
    assert [o["desired_retention"] for o in data["options"]] == list(RETENTIONS)
    assert all(o["reviews_per_day"] == round(o["reviews"] / 90, 1) for o in data["options"])


def test_anonymous_visitors_get_no_workload(api):
    assert api.get("/api/me/scheduler/workload/").status_code in (401, 403)


def test_the_settings_page_shows_the_costs_and_a_pick_changes_the_retention(client, reviewed_alice):
    client.force_login(reviewed_alice)
    page = client.get("/settings/").content.decode()
    assert "a day" in page and 'value="0.97"' in page and 'class="retention-bar"' in page
    response = client.post("/settings/scheduler/retention/", {"desired_retention": "0.85"}, follow=True)
    assert "scheduled for 85% recall" in response.content.decode()
    reviewed_alice.refresh_from_db()
    assert reviewed_alice.desired_retention == 0.85
    assert 'value="0.85" checked' in client.get("/settings/").content.decode()


@pytest.mark.parametrize("value", ["", "nan", "inf", "2", "0.5", "ninety", "0.9" * 300])
def test_a_bad_retention_is_refused_and_nothing_changes(client, alice, value):
    client.force_login(alice)
    response = client.post("/settings/scheduler/retention/", {"desired_retention": value})
    assert response.status_code == 400
    assert "Desired retention" in response.content.decode()
    alice.refresh_from_db()
    assert alice.desired_retention == 0.9


def test_an_unusual_current_retention_is_one_of_the_options(client, alice):
    alice.desired_retention = 0.88
    alice.save()
    client.force_login(alice)
    assert 'value="0.88" checked' in client.get("/settings/").content.decode()
