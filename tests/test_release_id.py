"""Cached pages are keyed on the release: from RELEASE_ID, else git, else "unreleased" (caching/versions.py)."""

import pytest

from caching import versions


@pytest.fixture(autouse=True)
def fresh_release_id():
    versions.release_id.cache_clear()
    yield
    versions.release_id.cache_clear()


def test_the_environment_names_the_release(monkeypatch, settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path  # no manifest
    monkeypatch.setenv("RELEASE_ID", "2026.12.04-abc")
    assert versions.release_id() == "2026.12.04-abc"


def test_git_names_it_when_the_environment_does_not(monkeypatch, settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    monkeypatch.delenv("RELEASE_ID", raising=False)
    release = versions.release_id()
    assert len(release) == 12 and int(release, 16) >= 0  # `git rev-parse --short=12 HEAD` of this checkout


def test_without_either_it_is_unreleased_and_says_so(monkeypatch, settings, tmp_path, caplog):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.BASE_DIR = tmp_path  # not a git checkout
    monkeypatch.delenv("RELEASE_ID", raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert versions.release_id() == "unreleased"
    assert "RELEASE_ID is not set" in caplog.text


def test_new_static_files_make_a_new_release(monkeypatch, settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    monkeypatch.setenv("RELEASE_ID", "r1")
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/site.css": "css/site.1.css"}}')
    first = versions.release_id()
    versions.release_id.cache_clear()
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/site.css": "css/site.2.css"}}')
    assert first.startswith("r1-") and versions.release_id() != first


def test_under_debug_every_process_start_is_a_release(monkeypatch, settings, tmp_path):
    settings.DEBUG = True
    settings.STATIC_ROOT = tmp_path
    monkeypatch.setenv("RELEASE_ID", "r1")
    first = versions.release_id()
    versions.release_id.cache_clear()
    assert versions.release_id() != first
