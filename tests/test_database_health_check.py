"""The health check of a reused PostgreSQL connection (config/postgresql) costs no round trip when the
connection is fine, and still finds one that the server closed."""

import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_connection():
    wrapper = connections.create_connection("default")
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


def test_a_healthy_connection_is_not_asked(other_connection, monkeypatch):
    def round_trip(self):
        raise AssertionError("asked the server")

    monkeypatch.setattr(base.DatabaseWrapper, "is_usable", round_trip)
    assert other_connection.is_usable()


def test_a_connection_the_server_closed_is_found(other_connection):
    pid = other_connection.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    deadline = time.monotonic() + 5
    while other_connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)  # the server's notice takes a moment to arrive
    assert not other_connection.is_usable()
