"""A value of another JSON type than the field's is a 400 naming the field, and nothing is saved: DRF alone would
have stored 5 as the token name "5", read "yes" as true and "3" as choice 3. Found by tests/test_api_fuzzing.py."""

import pytest

from accounts.models import ApiToken
from quizzes.models import Answer, ReviewLog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("payload", "field", "words"), [
    ({"reminders_enabled": "yes"}, "reminders_enabled", "Must be a valid boolean"),
    ({"reminders_enabled": 1}, "reminders_enabled", "Must be a valid boolean"),
    ({"display_name": 5}, "display_name", "Not a valid string"),
    ({"maximum_interval": "30"}, "maximum_interval", "A valid integer is required"),
    ({"maximum_interval": True}, "maximum_interval", "A valid integer is required"),
    ({"desired_retention": "0.9"}, "desired_retention", "A valid number is required"),
    ({"reminder_time": 1830}, "reminder_time", "Time has wrong format"),
])
def test_profile_fields_take_their_own_json_type(api, alice, payload, field, words):
    api.force_authenticate(alice)
    response = api.patch("/api/me/", payload, format="json")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])
    alice.refresh_from_db()
    assert alice.display_name == "" and alice.reminders_enabled is True and alice.maximum_interval == 365


def test_a_whole_number_written_as_a_float_is_still_a_whole_number(api, alice):
    api.force_authenticate(alice)
    assert api.patch("/api/me/", {"maximum_interval": 30.0}, format="json").json()["maximum_interval"] == 30


def test_a_token_name_must_be_a_string(api, alice):
    api.force_authenticate(alice)
    response = api.post("/api/tokens/", {"name": 7.5}, format="json")
    assert response.status_code == 400 and "Not a valid string" in response.json()["name"][0]
    assert not ApiToken.objects.exists()


def test_answers_take_numbers_not_strings(api, alice_state):
    api.force_authenticate(alice_state.learner)
    card = alice_state.due_card
    before = ReviewLog.objects.count()
    body = {"choices": [str(c.pk) for c in card.question.choices.all()][:1]} if card.question.choices.exists() \
        else {"value": "11"}
    response = api.post(f"/api/reviews/{card.pk}/answer/", body, format="json")
    assert response.status_code == 400
    assert ReviewLog.objects.count() == before
    served = alice_state.open_attempt.served.first()
    response = api.post(f"/api/attempts/{alice_state.open_attempt.pk}/submit/",
                        {"answers": [{"question": str(served.question_id), "choices": []}]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"answers": {"0": {"question": ["A valid integer is required."]}}}
    assert not Answer.objects.filter(attempt=alice_state.open_attempt).exists()
