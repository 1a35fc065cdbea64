import pytest


@pytest.fixture
def loaded(small_content):
    """The small content in the database (files that need `load_content` itself define their own)."""
    small_content.load()
    return small_content
