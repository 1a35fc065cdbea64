"""The embedded default of `make run`: the content migrates and loads on SQLite too, and search falls back."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_content_loads_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env["ASCENT_DATA_DIR"] = str(tmp_path)
    root = Path(settings.BASE_DIR)

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "--noinput", "-v", "0")
    assert "Loaded" in manage("load_content")
    assert manage("load_content").startswith("No changes")
    found = manage(
        "shell", "-c",
        "from roadmap.search import search_topics; print(search_topics('gradient').values_list('slug', flat=True)[0])",
    )
    assert found.strip().splitlines()[-1] == "gradient-descent"
    # No trigrams on SQLite, but word beginnings match: "grad desc" finds Gradient Descent, "desc grad" too.
    found = manage(
        "shell", "-c",
        "from roadmap.search import search_topics as s; print(s('grad desc')[0].slug, s('desc grad')[0].slug)",
    )
    assert found.strip().splitlines()[-1] == "gradient-descent gradient-descent"
    assert (tmp_path / "ascent.sqlite3").exists()
