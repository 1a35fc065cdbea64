from pathlib import Path

import pytest
from django.conf import settings

from quizzes.loading import read_questions
from roadmap.loading import read_content


@pytest.fixture
def loaded(small_content):
    """The small content in the database (files that need `load_content` itself define their own)."""
    small_content.load()
    return small_content


@pytest.fixture(scope="module")
def shipped_content():
    """content/ as the loader reads it (not loaded into the database)."""
    return read_content(Path(settings.CONTENT_DIR))


@pytest.fixture(scope="module")
def shipped_questions(shipped_content):
    """Every topic's questions in content/questions/, by topic slug."""
    files = read_questions(Path(settings.CONTENT_DIR), {t.slug for t in shipped_content.topics})
    return {file.topic_slug: file.questions for file in files}
