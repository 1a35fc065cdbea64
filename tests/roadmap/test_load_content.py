"""Loading content: creates, reloads idempotently, updates in place, and deletes only with --prune."""

import pytest
from django.core.management import call_command

from roadmap.models import Placement, Prerequisite, Resource, Roadmap, Section, Topic

pytestmark = pytest.mark.django_db


def run(content, *args):
    from io import StringIO

    out = StringIO()
    call_command("load_content", "--path", str(content.root), *args, stdout=out)
    return out.getvalue()


def test_first_load_creates_everything(small_content):
    output = run(small_content)
    assert "Loaded 2 roadmaps, 3 topics and 0 questions" in output
    assert Roadmap.objects.count() == 2
    assert Topic.objects.count() == 3
    assert Section.objects.count() == 3
    assert Placement.objects.count() == 5
    assert Resource.objects.count() == 3
    first = Roadmap.objects.get(slug="first")
    assert first.source_author == "Test Author"
    assert [s.title for s in first.sections.order_by("order")] == ["Maths", "Optimisation"]
    gd = Topic.objects.get(slug="gradient-descent")
    assert list(gd.prerequisites.values_list("slug", flat=True)) == ["matrices"]
    # A shared topic exists once and sits in both roadmaps.
    assert Placement.objects.filter(topic__slug="matrices").count() == 2


def test_second_load_changes_nothing_and_says_so(small_content):
    run(small_content)
    output = run(small_content)
    assert output.startswith("No changes")


def test_changes_update_in_place(small_content):
    run(small_content)
    topic_id = Topic.objects.get(slug="vectors").pk
    small_content.topic("vectors", title="Vectors and Spaces", body="A new body with **bold** text.")
    output = run(small_content)
    assert "topics: 1 updated" in output
    topic = Topic.objects.get(slug="vectors")
    assert topic.pk == topic_id
    assert topic.title == "Vectors and Spaces"
    assert "<strong>bold</strong>" in topic.body_html


def test_renamed_section_is_updated_not_recreated(small_content):
    run(small_content)
    section_id = Section.objects.get(title="Maths").pk
    small_content.roadmap("first", [("Mathematics", ["vectors", "matrices"]), ("Optimisation", ["gradient-descent"])])
    run(small_content)
    assert Section.objects.get(pk=section_id).title == "Mathematics"


def test_removed_things_are_kept_without_prune_and_deleted_with_it(small_content):
    run(small_content)
    (small_content.root / "roadmaps" / "second.yaml").unlink()
    small_content.topic("vectors", resources=[])
    output = run(small_content)
    assert "stale" in output
    assert Roadmap.objects.filter(slug="second").exists()
    assert Resource.objects.filter(topic__slug="vectors").exists()

    output = run(small_content, "--prune")
    assert "roadmaps: 1 deleted" in output
    assert not Roadmap.objects.filter(slug="second").exists()
    assert not Resource.objects.filter(topic__slug="vectors").exists()


def test_dropped_prerequisite_is_removed(small_content):
    run(small_content)
    small_content.topic("matrices", title="Matrices", prerequisites=[])
    run(small_content)
    assert not Prerequisite.objects.filter(topic__slug="matrices").exists()


def test_moving_a_topic_between_sections_updates_its_placement(small_content):
    run(small_content)
    small_content.roadmap("first", [("Maths", ["vectors"]), ("Optimisation", ["matrices", "gradient-descent"])])
    run(small_content)
    placement = Placement.objects.get(roadmap__slug="first", topic__slug="matrices")
    assert placement.section.title == "Optimisation"
    assert placement.order == 0


def test_dry_run_rolls_back(small_content):
    output = run(small_content, "--dry-run")
    assert "Dry run" in output
    assert Roadmap.objects.count() == 0


def test_markdown_body_is_sanitised(content):
    payload = "Hello <script>alert(1)</script> [link](javascript:alert(1)) <img src=x onerror=alert(1)>"
    content.topic("xss", body=payload)
    content.roadmap("r", [("S", ["xss"])])
    run(content)
    html = Topic.objects.get(slug="xss").body_html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
