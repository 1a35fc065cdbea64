"""Topic bodies may show our own figures and hide worked answers in a disclosure; notes may do neither."""

import pytest

from roadmap.models import Topic
from roadmap.rendering import render_content_markdown, render_markdown

from .test_load_content_errors import assert_refused, load

pytestmark = pytest.mark.django_db

BODY = """Some text.

![A sigmoid curve](/static/figures/logistic-regression-sigmoid.svg)

<details markdown="1">
<summary>Worked answer</summary>

The **answer** is `2`.
</details>
"""


def test_a_disclosure_renders_the_markdown_inside_it():
    html = render_content_markdown(BODY)
    assert "<details>\n<summary>Worked answer</summary>" in html
    assert "<p>The <strong>answer</strong> is <code>2</code>.</p>" in html


def test_only_our_own_figures_are_shown():
    html = render_content_markdown("![ours](/static/figures/a.svg) ![theirs](https://tracker.example/p.png)")
    assert '<img alt="ours" src="/static/figures/a.svg">' in html
    assert "tracker.example" not in html


def test_a_note_shows_no_image_and_no_disclosure():
    html = render_markdown(BODY)
    assert "<img" not in html and "<details" not in html


def test_a_topic_with_a_missing_figure_is_refused(small_content):
    small_content.topic("vectors", body="Text.\n\n![Missing](/static/figures/no-such-figure.svg)\n")
    assert_refused(small_content, "topics/vectors.md", "figure '/static/figures/no-such-figure.svg'")


def test_a_topic_with_a_figure_elsewhere_is_refused(small_content):
    small_content.topic("vectors", body="Text.\n\n![Remote](https://example.org/a.svg)\n")
    assert_refused(small_content, "topics/vectors.md", "is not a file under static/figures/")


def test_a_topic_with_a_figure_and_a_disclosure_loads(small_content, settings, tmp_path):
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "logistic-regression-sigmoid.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    settings.STATICFILES_DIRS = [tmp_path]
    small_content.topic("vectors", body=BODY)
    load(small_content)
    html = Topic.objects.get(slug="vectors").body_html
    assert 'src="/static/figures/logistic-regression-sigmoid.svg"' in html and "<details>" in html
