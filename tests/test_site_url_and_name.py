"""Links in e-mails start with the address the site is served on, and e-mails greet with the site's name.

Reminders are composed by the Celery worker, which has no request: `make run` (scripts/run.sh) exports
SITE_URL for the port it serves on, and the settings fall back to $PORT.
"""

import datetime
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from quizzes.reminders import DueTopic, reminder_message

ROOT = Path(__file__).resolve().parent.parent


def environment_without_site_url(**extra):
    base = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return {**base, **extra}


def test_make_run_gives_its_processes_the_site_url_of_its_port(tmp_path):
    # A stand-in for uv that records the SITE_URL each process (migrate, load_content, worker, web) gets.
    fake_uv = tmp_path / "uv"
    fake_uv.write_text(f'#!/bin/sh\necho "$SITE_URL" >> {tmp_path}/seen\n')
    fake_uv.chmod(fake_uv.stat().st_mode | stat.S_IXUSR)
    env = environment_without_site_url(PORT="8101", PATH=f"{tmp_path}:{os.environ['PATH']}")
    result = subprocess.run(["bash", "scripts/run.sh"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    seen = (tmp_path / "seen").read_text().split()
    # migrate, load_content, then the worker and the web server (the first to exit stops the other)
    assert len(seen) >= 3 and set(seen) == {"http://127.0.0.1:8101"}


def test_an_explicit_site_url_wins_over_the_port(tmp_path):
    fake_uv = tmp_path / "uv"
    fake_uv.write_text(f'#!/bin/sh\necho "$SITE_URL" >> {tmp_path}/seen\n')
    fake_uv.chmod(fake_uv.stat().st_mode | stat.S_IXUSR)
    env = environment_without_site_url(PORT="8101", SITE_URL="https://ascent.example.com",
                                       PATH=f"{tmp_path}:{os.environ['PATH']}")
    subprocess.run(["bash", "scripts/run.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert set((tmp_path / "seen").read_text().split()) == {"https://ascent.example.com"}


@pytest.mark.parametrize(("env", "site_url"), [
    ({"PORT": "8101"}, "http://127.0.0.1:8101"),
    ({}, "http://127.0.0.1:8000"),
    ({"PORT": "8101", "SITE_URL": "https://ascent.example.com/"}, "https://ascent.example.com"),
])
def test_the_settings_default_follows_the_port(env, site_url):
    code = "from django.conf import settings; print(settings.SITE_URL, settings.SITE_NAME)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, capture_output=True, text=True,
        env=environment_without_site_url(DJANGO_SETTINGS_MODULE="config.settings", **env),
    )
    assert result.stdout.split() == [site_url, "Ascent"], result.stderr


@pytest.mark.django_db
def test_the_signup_email_greets_with_the_sites_name(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    client.post("/accounts/signup/", {
        "email": "carol@example.com", "display_name": "Carol", "password1": "a-long-passphrase-42",
        "password2": "a-long-passphrase-42", "time_zone": "UTC",
    }, HTTP_HOST="127.0.0.1:8101")
    [message] = mail.outbox
    assert message.body.startswith("Hello from Ascent!")
    assert "Thank you for using Ascent!" in message.body and "127.0.0.1:8101" not in message.body.split("\n")[0]
    assert message.subject.startswith("[Ascent] ")
    # The confirmation link is the host the learner signed up on.
    assert re.search(r"http://127\.0\.0\.1:8101/accounts/confirm-email/\S+/", message.body)


@pytest.mark.django_db
def test_reminder_links_start_with_the_site_url(settings, alice):
    settings.SITE_URL = "http://127.0.0.1:8101"
    message = reminder_message(alice, [DueTopic(title="Vectors", slug="vectors", due=2)],
                               now=timezone.now() - datetime.timedelta(minutes=1))
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith("http://127.0.0.1:8101/") for link in links)
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8101/")
