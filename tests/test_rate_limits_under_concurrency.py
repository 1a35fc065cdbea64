"""Requests of one learner at the same moment count one by one: exactly the allowance passes (the count was
read, then written back, by each request, so 11 tokens got through against 10/hour)."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import ApiToken
from quizzes.models import Attempt
from tests.test_rate_limits import rates

pytestmark = pytest.mark.django_db(transaction=True)  # each thread has a connection of its own


def at_once(count, post):
    """`post(client)` from `count` threads released together; their status codes."""
    barrier = threading.Barrier(count)
    codes, errors = [], []

    def run():
        try:
            client = APIClient()
            barrier.wait()
            codes.append(post(client).status_code)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return sorted(codes)


def test_parallel_token_creations_stop_at_the_limit(alice):
    def create(client):
        client.force_authenticate(alice)
        return client.post("/api/tokens/", {"name": "parallel"}, format="json")

    with rates(**{"quiz-start": "30/hour", "token-create": "6/hour"}):
        assert at_once(16, create) == [201] * 6 + [429] * 10
    assert ApiToken.objects.filter(user=alice).count() == 6


def test_parallel_quiz_starts_stop_at_the_limit(alice, quiz_content):
    def start(client):
        client.force_authenticate(alice)
        return client.post("/api/topics/vectors/quiz/")

    with rates(**{"quiz-start": "4/hour", "token-create": "10/hour"}):
        assert at_once(12, start) == [201] * 4 + [429] * 8
    assert Attempt.objects.filter(learner=alice).count() == 4
