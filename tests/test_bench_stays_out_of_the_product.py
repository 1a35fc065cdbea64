"""Benchmark tooling lives in bench/, an app that only bench/settings.py installs: the product's settings
neither serve the bare view nor know make_load_data."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import get_commands

pytestmark = pytest.mark.django_db


def test_the_product_has_no_bench_app_command_or_url(client):
    assert "bench" not in settings.INSTALLED_APPS
    assert "make_load_data" not in get_commands()
    assert client.get("/bench/bare/").status_code == 404


def test_the_bench_settings_add_them():
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'bench.settings'; django.setup();"
        "from django.core.management import get_commands; from django.urls import resolve;"
        "assert get_commands()['make_load_data'] == 'bench'; print(resolve('/bench/bare/').func.__name__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    )
    assert out.stdout.strip() == "bare"
