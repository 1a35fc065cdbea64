"""The product's settings plus the benchmark tooling: DJANGO_SETTINGS_MODULE=bench.settings in bench runs only,
so the product itself never installs make_load_data nor serves the bare view."""

from config.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
