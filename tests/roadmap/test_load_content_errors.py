"""Bad content stops the load with an error naming the file and the problem; the database is untouched."""

import pytest
from django.core.management import CommandError, call_command

from roadmap.models import Resource, Roadmap, Topic

pytestmark = pytest.mark.django_db


def load(content):
    call_command("load_content", "--path", str(content.root))


def assert_refused(content, *expected):
    with pytest.raises(CommandError) as error:
        load(content)
    message = str(error.value)
    assert "database is unchanged" in message
    for part in expected:
        assert part in message, message
    return message


@pytest.fixture
def loaded(small_content):
    load(small_content)
    return small_content


def snapshot():
    return (
        list(Roadmap.objects.values_list("slug", "title").order_by("slug")),
        list(Topic.objects.values_list("slug", "title", "summary").order_by("slug")),
        list(Resource.objects.values_list("url", "title").order_by("url")),
    )


def test_unknown_topic_in_a_roadmap(loaded):
    loaded.roadmap("first", [("Maths", ["vectors", "tensors"])])
    assert_refused(loaded, "roadmaps/first.yaml", "unknown topic 'tensors'")


def test_unknown_prerequisite(loaded):
    loaded.topic("matrices", prerequisites=["linear-maps"])
    assert_refused(loaded, "topics/matrices.md", "unknown prerequisite topic 'linear-maps'")


def test_duplicate_slug_in_two_folders(loaded):
    (loaded.root / "topics" / "maths").mkdir()
    (loaded.root / "topics" / "maths" / "vectors.md").write_text((loaded.root / "topics" / "vectors.md").read_text())
    assert_refused(loaded, "topics/maths/vectors.md", "topics/vectors.md", "duplicate slug 'vectors'")


def test_malformed_url(loaded):
    loaded.topic("vectors", resources=[{"title": "Broken", "url": "htp:/nowhere", "kind": "video"}])
    assert_refused(loaded, "topics/vectors.md", "resource 1: malformed URL 'htp:/nowhere'")


def test_relative_url(loaded):
    loaded.topic("vectors", resources=[{"title": "Cheat sheet", "url": "Artifacts/sheet.pdf", "kind": "other"}])
    assert_refused(loaded, "topics/vectors.md", "malformed URL 'Artifacts/sheet.pdf'")


def test_plain_http_url(loaded):
    resource = {"title": "Old course page", "url": "http://example.com/course", "kind": "course"}
    loaded.topic("vectors", resources=[resource])
    assert_refused(
        loaded, "topics/vectors.md", "resource 1 ('Old course page'): plain http URL 'http://example.com/course'",
        "use https",
    )


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("https://youtu.be/abc?si=qq9dWdAlIAxePwoF", "si"),
        ("https://example.com/post?utm_source=newsletter&utm_medium=mail", "utm_source"),
        ("https://example.com/post?id=7&fbclid=IwAR0", "fbclid"),
        ("https://example.com/post?gclid=x", "gclid"),
        ("https://www.instagram.com/p/x/?igshid=abc", "igshid"),
        ("https://example.com/post?mc_cid=1", "mc_cid"),
        ("https://example.com/post?mc_eid=1", "mc_eid"),
        ("https://www.youtube.com/watch?v=abc&feature=share", "feature"),
        ("https://x.com/someone/status/1?ref_src=twsrc", "ref_src"),
    ],
)
def test_tracking_parameter(loaded, url, parameter):
    loaded.topic("vectors", resources=[{"title": "Shared link", "url": url, "kind": "video"}])
    assert_refused(loaded, "topics/vectors.md", f"resource 1 ('Shared link'): tracking parameter {parameter!r}")


def test_text_fragment(loaded):
    url = "https://example.com/guide#:~:text=Video%20segmentation%20is"
    loaded.topic("vectors", resources=[{"title": "Guide", "url": url, "kind": "article"}])
    assert_refused(loaded, "topics/vectors.md", "resource 1 ('Guide'): text fragment '#:~:text='")


def test_roadmap_source_url_is_held_to_the_same_rules(loaded):
    loaded.roadmap("first", [("Maths", ["vectors"])], source={"author": "A", "url": "http://example.com/roadmap"})
    assert_refused(loaded, "roadmaps/first.yaml", "source: plain http URL 'http://example.com/roadmap'")


def test_tidy_urls_load(loaded):
    resources = [
        {"title": "Talk from minute 12", "url": "https://www.youtube.com/watch?v=abc&t=720s", "kind": "video"},
        {"title": "Section", "url": "https://example.com/guide?page=2#part-3", "kind": "article"},
    ]
    loaded.topic("vectors", resources=resources)
    call_command("load_content", "--path", str(loaded.root), "--prune")
    assert set(Resource.objects.filter(topic__slug="vectors").values_list("url", flat=True)) == {
        r["url"] for r in resources
    }


def test_unknown_resource_kind(loaded):
    loaded.topic("vectors", resources=[{"title": "Pod", "url": "https://example.com/p", "kind": "podcast"}])
    assert_refused(loaded, "topics/vectors.md", "unknown resource kind 'podcast'")


def test_unknown_cost(loaded):
    resource = {"title": "V", "url": "https://example.com/v", "kind": "video", "cost": "cheap"}
    loaded.topic("vectors", resources=[resource])
    assert_refused(loaded, "topics/vectors.md", "unknown cost 'cheap'")


def test_prerequisite_cycle(loaded):
    loaded.topic("vectors", prerequisites=["gradient-descent"])
    assert_refused(loaded, "prerequisite cycle", "gradient-descent -> matrices -> vectors -> gradient-descent")


def test_topic_as_its_own_prerequisite(loaded):
    loaded.topic("vectors", prerequisites=["vectors"])
    assert_refused(loaded, "topics/vectors.md", "cannot be its own prerequisite")


def test_missing_topic_title(loaded):
    loaded.topic("vectors", title="")
    assert_refused(loaded, "topics/vectors.md", "missing title")


def test_missing_roadmap_title(loaded):
    loaded.roadmap("first", [("Maths", ["vectors"])], title=None)
    assert_refused(loaded, "roadmaps/first.yaml", "missing title")


def test_missing_section_title(loaded):
    loaded.roadmap("first", [("", ["vectors"])])
    assert_refused(loaded, "roadmaps/first.yaml", "section 1: missing title")


def test_unknown_level_and_bad_hours(loaded):
    loaded.topic("vectors", level="expert", hours="a lot")
    assert_refused(loaded, "unknown level 'expert'", "hours must be a whole number")


def test_unknown_field_is_reported(loaded):
    loaded.topic("vectors", summery="typo")
    assert_refused(loaded, "topics/vectors.md", "unknown field 'summery'")


def test_topic_placed_twice_in_one_roadmap(loaded):
    loaded.roadmap("first", [("Maths", ["vectors"]), ("Again", ["vectors", "matrices"])])
    assert_refused(loaded, "roadmaps/first.yaml", "topic 'vectors' is placed 2 times")


def test_missing_front_matter(loaded):
    loaded.topic("vectors", raw="# Vectors\n\nNo metadata here.\n")
    assert_refused(loaded, "topics/vectors.md", "must start with YAML front matter")


def test_invalid_yaml(loaded):
    (loaded.root / "roadmaps" / "first.yaml").write_text("title: [unclosed\n")
    assert_refused(loaded, "roadmaps/first.yaml", "not valid YAML")


def test_invalid_file_name(loaded):
    loaded.topic("Bad_Name")
    assert_refused(loaded, "topics/Bad_Name.md", "not a valid slug")


def test_every_problem_is_reported_at_once(loaded):
    loaded.topic("vectors", title="")
    loaded.topic("matrices", resources=[{"title": "x", "url": "nope", "kind": "video"}])
    message = assert_refused(loaded, "topics/vectors.md", "topics/matrices.md")
    assert "2 problem(s)" in message


def test_database_is_left_as_it_was(loaded):
    before = snapshot()
    loaded.topic("vectors", title="Vectors, renamed")  # a valid change ...
    loaded.topic("matrices", resources=[{"title": "x", "url": "nope", "kind": "video"}])  # ... and a bad one
    assert_refused(loaded, "malformed URL")
    assert snapshot() == before
