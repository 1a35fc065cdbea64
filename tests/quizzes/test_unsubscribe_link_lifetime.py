"""Unsubscribe links work for UNSUBSCRIBE_LINK_DAYS (60) after their e-mail was sent, longer than any gap
between reminders; after that the page says the link has expired and how to turn reminders off instead."""

import datetime
import time

import pytest
from django.core import signing

from quizzes import reminders

pytestmark = pytest.mark.django_db


def link_made(monkeypatch, learner, *, ago: datetime.timedelta) -> str:
    """The learner's unsubscribe link as an e-mail sent `ago` would have carried it (the signer's clock fixed)."""
    made_at = int(time.time() - ago.total_seconds())
    with monkeypatch.context() as patched:
        patched.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(made_at))
        return f"/reminders/unsubscribe/{reminders.unsubscribe_token(learner)}/"


def test_the_lifetime_is_stated():
    assert reminders.UNSUBSCRIBE_LINK_DAYS == 60


def test_a_link_just_under_its_lifetime_unsubscribes(client, monkeypatch, alice):
    link = link_made(monkeypatch, alice, ago=datetime.timedelta(days=60) - datetime.timedelta(hours=1))
    assert "Stop review reminders?" in client.get(link).content.decode()
    assert "You are unsubscribed" in client.post(link).content.decode()
    alice.refresh_from_db()
    assert alice.reminders_enabled is False


def test_a_link_just_over_its_lifetime_explains_and_changes_nothing(client, monkeypatch, alice):
    link = link_made(monkeypatch, alice, ago=datetime.timedelta(days=60) + datetime.timedelta(hours=1))
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410
        html = response.content.decode()
        assert "This link has expired" in html
        assert "60 days" in html and 'href="/settings/"' in html  # says how to turn reminders off instead
    alice.refresh_from_db()
    assert alice.reminders_enabled is True


def test_the_reminder_says_how_long_its_link_works(alice):
    topics = [reminders.DueTopic(title="Vectors", slug="vectors", due=3)]
    message = reminders.reminder_message(alice, topics, now=datetime.datetime.now(datetime.UTC))
    assert "(this link works for 60 days)" in message.body
