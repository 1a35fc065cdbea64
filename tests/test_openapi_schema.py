"""The OpenAPI schema is valid (drf-spectacular validates it against the OpenAPI spec) and warning-free,
and every API route is in it."""

import os
import subprocess
import sys

import yaml
from django.conf import settings
from django.urls import get_resolver


def test_schema_validates_without_warnings(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn", "--file",
         str(tmp_path / "s.yaml")],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    schema = yaml.safe_load((tmp_path / "s.yaml").read_text())
    documented = set(schema["paths"])
    api = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "api")
    api_routes = {
        "/api/" + str(pattern.pattern).replace("<slug:", "{").replace("<int:", "{").replace(">", "}")
        for pattern in api.url_patterns
        if str(pattern.pattern) not in {"schema/", "docs/"}
    }
    assert api_routes <= documented, api_routes - documented
    assert "tokenAuth" in schema["components"]["securitySchemes"]
