"""Lists in content are lists: Python-Markdown only starts a list after a blank line, so a list written
directly under a line of text ("Three rules carry most of the weight:" then "- complement: ...") renders as
one run-on paragraph with the dashes inline. This test finds that shape in every body, prompt and explanation.
"""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from roadmap.rendering import render_content_markdown

# A bullet, or an ordered list starting at 1 (a line such as "912. The LSTM's ..." inside a paragraph is text).
LIST_ITEM = re.compile(r"([-*+]|1[.)])\s")
NOT_TEXT = re.compile(r"(#|\||<|>|([-*+]|\d+[.)])\s)")  # headings, tables, HTML, quotes and list items


def lists_glued_to_text(markdown: str) -> list[str]:
    """Each list item that directly follows a line of paragraph text, as "line N: item"."""
    found, fenced, previous = [], False, ""
    for number, line in enumerate(markdown.splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and LIST_ITEM.match(line) and previous.strip() and not previous[:1].isspace() \
                and not NOT_TEXT.match(previous):
            found.append(f"line {number}: {line[:60]}")
        previous = "" if fenced else line
    return found


def topic_body(path: Path) -> str:
    """The Markdown after the front matter, the front matter's lines left blank (so numbers are the file's)."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return text
    front, body = text.split("\n---\n", 1)
    return "\n" * (front.count("\n") + 2) + body


def content_texts():
    root = Path(settings.CONTENT_DIR)
    for path in sorted((root / "topics").glob("*.md")):
        yield f"topics/{path.name}", topic_body(path)
    for path in sorted((root / "questions").glob("*.yaml")):
        for question in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            for field in ("prompt", "explanation"):
                if isinstance(question, dict) and isinstance(question.get(field), str):
                    yield f"questions/{path.name} {question.get('key')} {field}", question[field]


def test_the_shape_is_a_run_on_paragraph_and_is_caught():
    glued = "Three rules carry most of the weight:\n- complement;\n- addition.\n"
    assert "<li>" not in render_content_markdown(glued)
    assert lists_glued_to_text(glued) == ["line 2: - complement;"]
    apart = "Three rules carry most of the weight:\n\n- complement;\n- addition.\n"
    assert render_content_markdown(apart).count("<li>") == 2 and not lists_glued_to_text(apart)


@pytest.mark.parametrize("text", [
    "## Key ideas\n- a heading may be followed by a list\n",
    "- one\n- two\n  wrapped\n- three\n",
    "A number that wraps\n912. is text, not a list.\n",
    "```\nprint(1)\n- not markdown\n```\n",
])
def test_other_shapes_are_not_flagged(text):
    assert not lists_glued_to_text(text)


def test_no_list_in_the_content_is_glued_to_the_text_above_it():
    glued = {where: found for where, text in content_texts() if (found := lists_glued_to_text(text))}
    assert not glued, "put a blank line before these lists: " + repr(glued)
