"""Structured logs (a JSON object per line in production) and error reports to Sentry when SENTRY_DSN is set.

Sentry itself is outside the machine, so a small local HTTP server stands in for its ingest endpoint; the SDK,
its Django integration and our settings are the real ones.
"""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from tests.test_deploy_settings import PRODUCTION, manage

LOG_SOMETHING = (
    "import logging; logging.getLogger('quizzes.reminders').warning('reminder chunk %s retried', 7, "
    "extra={'learners': 250})"
)


def test_production_logs_are_one_json_object_per_line():
    result = manage("shell", "--no-imports", "-c", LOG_SOMETHING, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["level"] == "WARNING"
    assert record["logger"] == "quizzes.reminders"
    assert record["message"] == "reminder chunk 7 retried"
    assert record["learners"] == 250
    assert "time" in record


def test_development_logs_stay_readable_lines():
    result = manage("shell", "--no-imports", "-c", LOG_SOMETHING, env={**PRODUCTION, "LOG_FORMAT": "plain"})
    assert "WARNING quizzes.reminders reminder chunk 7 retried" in result.stderr


class FakeSentry(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        FakeSentry.received.append(body)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_errors_are_reported_to_sentry_when_a_dsn_is_set():
    server = HTTPServer(("127.0.0.1", 0), FakeSentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        code = (
            "import logging, sentry_sdk; logging.getLogger('quizzes').error('grading failed for attempt 42'); "
            "sentry_sdk.flush(timeout=5)"
        )
        dsn = f"http://publickey@127.0.0.1:{server.server_port}/1"
        result = manage("shell", "--no-imports", "-c", code, env={**PRODUCTION, "SENTRY_DSN": dsn})
        assert result.returncode == 0, result.stderr
    finally:
        server.shutdown()
    envelopes = b"".join(FakeSentry.received).decode(errors="replace")
    assert "grading failed for attempt 42" in envelopes
    assert '"environment":"production"' in envelopes.replace(" ", "")


def test_nothing_is_sent_without_a_dsn():
    result = manage("shell", "--no-imports", "-c", "import sentry_sdk; print(sentry_sdk.is_initialized())",
                    env=PRODUCTION)
    assert result.stdout.strip() == "False"
