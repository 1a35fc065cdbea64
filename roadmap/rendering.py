"""Markdown to safe HTML, for topic bodies, question prompts and learners' notes."""

import re

import markdown
import nh3

_EXTENSIONS = ["fenced_code", "codehilite", "tables", "sane_lists", "smarty"]
_EXTENSION_CONFIGS = {"codehilite": {"css_class": "codehilite", "guess_lang": False}}

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "kbd", "li", "ol", "p", "pre", "span", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "div": {"class"},
    "span": {"class"},
    "code": {"class"},
    "th": {"align"},
    "td": {"align"},
}

# Curated content (written by us, reviewed like code) may also hide worked answers behind a disclosure and
# show figures; a learner's note may not: an image there could be a tracking pixel.
FIGURE_PREFIX = "/static/figures/"
_CONTENT_TAGS = _ALLOWED_TAGS | {"details", "summary", "figure", "figcaption", "img"}
_CONTENT_ATTRIBUTES = _ALLOWED_ATTRIBUTES | {"img": {"src", "alt", "width", "height"}}
_FIGURE_SRC = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")


def render_markdown(text: str) -> str:
    """Renders Markdown and strips anything unsafe: scripts, event handlers, javascript: links, raw HTML."""
    html = markdown.markdown(text, extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS)
    return _clean(html, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRIBUTES)


def _clean(html: str, *, tags: set, attributes: dict, attribute_filter=None) -> str:
    return nh3.clean(
        html, tags=tags, attributes=attributes, url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow", attribute_filter=attribute_filter,
    )


def _only_our_figures(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.startswith(FIGURE_PREFIX):
        return None
    return value


def render_content_markdown(text: str) -> str:
    """For topic bodies and questions: render_markdown plus `<details markdown="1">` disclosures (Markdown
    inside them is rendered) and images, only from our own figures under /static/figures/."""
    html = markdown.markdown(
        text, extensions=[*_EXTENSIONS, "md_in_html"], extension_configs=_EXTENSION_CONFIGS
    )
    return _clean(html, tags=_CONTENT_TAGS, attributes=_CONTENT_ATTRIBUTES, attribute_filter=_only_our_figures)


def figure_paths(text: str) -> list[str]:
    """The image paths a Markdown text refers to, so the loader can check each exists."""
    return _FIGURE_SRC.findall(text)


def render_inline_markdown(text: str) -> str:
    """For one-line texts such as quiz choices: the same rendering, without the wrapping paragraph."""
    html = render_markdown(text)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html
