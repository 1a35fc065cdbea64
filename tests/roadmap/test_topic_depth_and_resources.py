"""Every topic goes past a primer (issue 18): a "Why it works" part and exercises whose worked answers sit in a
disclosure; and it has at least two resources, one of them free, at tidy https addresses."""


import pytest


@pytest.fixture(scope="module")
def content(shipped_content):
    return shipped_content


def test_every_topic_explains_why_and_has_exercises_with_hidden_answers(content):
    shallow = []
    for topic in content.topics:
        exercises = topic.body.split("## Exercises", 1)[1] if "## Exercises" in topic.body else ""
        if "## Why it works" not in topic.body or exercises.count('<details markdown="1">') < 2:
            shallow.append(topic.slug)
    assert not shallow, shallow


def test_every_topic_has_two_resources_one_free(content):
    short = [t.slug for t in content.topics if len(t.resources) < 2 or not any(r.cost == "free" for r in t.resources)]
    assert not short, short


def test_every_resource_is_https(content):
    plain = [f"{t.slug}: {r.url}" for t in content.topics for r in t.resources if not r.url.startswith("https://")]
    assert not plain, plain
