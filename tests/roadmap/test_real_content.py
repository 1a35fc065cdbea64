"""The content shipped in content/ loads cleanly, is complete, and is written in our own words."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from quizzes.loading import read_questions
from roadmap.models import Resource, Roadmap, Topic
from roadmap.rendering import render_inline_markdown, render_markdown

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
COPY_RUN = 12  # words in a row that may not appear in a seed


@pytest.fixture(scope="module")
def content(shipped_content):
    return shipped_content


@pytest.fixture(scope="module")
def questions(shipped_questions):
    return shipped_questions


def test_every_placed_topic_has_at_least_five_active_questions(content, questions):
    placed = {slug for roadmap in content.roadmaps for section in roadmap.sections for slug in section.topics}
    short = {slug: len([q for q in questions.get(slug, ()) if q.active]) for slug in placed}
    assert all(n >= 5 for n in short.values()), {slug: n for slug, n in short.items() if n < 5}


def test_the_question_bank_is_large_and_uses_every_type(questions):
    every = [q for qs in questions.values() for q in qs]
    assert len(every) >= 500
    assert {q.type for q in every} == {"single", "multiple", "true_false", "numeric"}


def test_markdown_does_not_mangle_formulas(content, questions):
    """`4*5 + 2*1` outside backticks would render as italics: formulas belong in code spans."""

    def mangled(text, html):
        plain = re.sub(r"```.*?```|`[^`]*`", "", text, flags=re.DOTALL)
        return "<em>" in html and re.search(r"\w\*\w", plain)

    bad = [t.slug for t in content.topics if mangled(t.body, render_markdown(t.body))]
    for slug, qs in questions.items():
        for q in qs:
            texts = [(q.prompt, render_markdown(q.prompt)), (q.explanation, render_markdown(q.explanation))]
            texts += [(c.text, render_inline_markdown(c.text)) for c in q.choices]
            bad += [f"{slug}:{q.key}" for text, html in texts if mangled(text, html)]
    assert not bad, bad


def test_the_al_mamari_roadmap_is_complete(content):
    roadmap = next(r for r in content.roadmaps if r.slug == "al-mamari-machine-learning-roadmap")
    assert roadmap.source_author == "Mohamed Al-Mamari"
    assert len(roadmap.sections) == 14  # 13 sections and the notable extras
    assert roadmap.sections[0].title == "Statistics" and roadmap.sections[-2].title == "Deployment"
    assert sum(len(s.topics) for s in roadmap.sections) == 86


def test_every_topic_has_a_summary_a_real_body_and_a_resource(content):
    for topic in content.topics:
        words = len(re.findall(r"\w+", re.sub(r"```.*?```", "", topic.body, flags=re.DOTALL)))
        assert topic.summary, topic.slug
        assert words >= 150, f"{topic.slug}: {words} words of prose"
        assert topic.resources, f"{topic.slug} has no resource"


def test_no_resource_url_is_given_twice(content):
    urls = [r.url for t in content.topics for r in t.resources]
    assert len(urls) == len(set(urls)), sorted(u for u in urls if urls.count(u) > 1)


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _without_urls(text: str) -> str:
    # URLs and link targets are facts we must keep exactly; only prose counts as copying.
    return re.sub(r"https?://\S+", " ", text)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seeds live in ../shared/seeds beside the repository")
def test_no_run_of_twelve_words_is_copied_from_the_seeds(content):
    """Our prose (summaries and bodies) shares no run of 12 words with a seed.

    Names, titles, URLs and the order of topics are facts we take on purpose, so they are not checked.
    """
    seen = set()
    for seed in SEEDS.glob("*.txt"):
        words = _words(_without_urls(seed.read_text(errors="replace")))
        seen.update(" ".join(words[i:i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1))
    prose = [(r.path.name, r.summary) for r in content.roadmaps]
    prose += [(t.path.name, f"{t.summary}\n{t.body}") for t in content.topics]
    for file in read_questions(Path(settings.CONTENT_DIR), {t.slug for t in content.topics}):
        for q in file.questions:
            text = "\n".join([q.prompt, q.explanation, *(c.text for c in q.choices), *(c.feedback for c in q.choices)])
            prose.append((f"{file.path.name}:{q.key}", text))
    copied = []
    for name, text in prose:
        words = _words(_without_urls(text))
        copied += [
            f"{name}: {' '.join(words[i:i + COPY_RUN])}"
            for i in range(len(words) - COPY_RUN + 1)
            if " ".join(words[i:i + COPY_RUN]) in seen
        ]
    assert not copied, "\n".join(copied[:20])


@pytest.mark.django_db
def test_content_loads_and_reloads_without_changes():
    call_command("load_content", stdout=StringIO())
    assert Roadmap.objects.count() >= 1
    assert Topic.objects.filter(body_html="").count() == 0
    assert Resource.objects.count() > 86
    out = StringIO()
    call_command("load_content", stdout=out)
    assert out.getvalue().startswith("No changes")
