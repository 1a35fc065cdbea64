"""A session's learner is loaded by one precompiled query (accounts/authentication.py) into exactly the
object Django's own backend would give, with the same refusals."""

import datetime

import pytest
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from accounts.authentication import AllauthBackend, ModelBackend

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [ModelBackend(), AllauthBackend()])
def test_the_learner_is_the_one_django_loads(alice, backend, django_assert_num_queries):
    alice.display_name, alice.time_zone, alice.theme = "Alice", "Pacific/Auckland", "dark"
    alice.reminder_time = datetime.time(7, 30)
    alice.fsrs_parameters = [0.5] * 21  # JSON: a raw row holds it as text until the ORM's converter reads it
    alice.save()
    expected = DjangoModelBackend().get_user(alice.pk)
    with django_assert_num_queries(1):
        loaded = backend.get_user(str(alice.pk))  # sessions hold the id as a string
    assert loaded == expected and loaded._state.db == "default" and not loaded._state.adding
    fields = [field.attname for field in type(alice)._meta.concrete_fields]
    assert {f: getattr(loaded, f) for f in fields} == {f: getattr(expected, f) for f in fields}
    assert loaded.get_session_auth_hash() == expected.get_session_auth_hash()
    assert loaded.fsrs_parameters == [0.5] * 21


def test_no_learner_for_an_inactive_unknown_or_malformed_id(alice):
    backend = ModelBackend()
    assert backend.get_user(alice.pk + 1000) is None
    assert backend.get_user("not-a-number") is None
    alice.is_active = False
    alice.save()
    assert backend.get_user(alice.pk) is None
