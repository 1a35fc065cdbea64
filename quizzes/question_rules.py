"""What makes a question servable, and how its Markdown becomes the HTML it is served with.

The one write path for questions: the content loader (quizzes/loading.py) and the admin (quizzes/admin.py)
both check a question with `question_problems` and render its texts with `question_html` and `choice_html`,
so a question refused from a content file is refused in the admin too, and both store the same HTML.

The loader first checks the shape of its YAML (a list, a number, true or false); the rules here take the
plain values either side has by then.
"""

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import strip_tags

from roadmap.rendering import render_content_markdown, render_inline_markdown

from .models import QuestionType

MAX_CHOICES = 8
ONE_CORRECT = {QuestionType.SINGLE: "single-choice", QuestionType.TRUE_FALSE: "true/false"}
TRUE_FALSE_TEXTS = ["True", "False"]


@dataclass(frozen=True)
class ChoiceData:
    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class QuestionProblem:
    field: str  # the question's field the problem is about ("choices" for the choices as a whole)
    message: str


def comparable_prompt(prompt: str) -> str:
    """Two prompts that differ only in spacing or case are the same question to a learner."""
    return " ".join(prompt.split()).casefold()


def question_problems(
    *,
    kind: str,
    prompt: str,
    explanation: str,
    numeric_answer: float | None,
    tolerance: float | None,
    choices: Sequence[ChoiceData] | None,
    other_prompts: Iterable[str] = (),
) -> list[QuestionProblem]:
    """Every rule a question breaks, or []. `choices=None` leaves the choice rules out (the admin's question
    form checks the question's own fields; its choices formset checks the choices, with the question).
    `other_prompts` are the prompts of the topic's other questions."""
    problems: list[QuestionProblem] = []

    def problem(field: str, message: str) -> None:
        problems.append(QuestionProblem(field, message))

    if not prompt.strip():
        problem("prompt", "a question needs a prompt")
    elif comparable_prompt(prompt) in {comparable_prompt(p) for p in other_prompts}:
        problem("prompt", "another question of this topic has the same prompt")
    if not explanation.strip():
        problem("explanation", "a question needs an explanation, shown after grading")
    if kind == QuestionType.NUMERIC:
        if numeric_answer is None or not math.isfinite(numeric_answer):
            problem("numeric_answer", "a numeric question needs its answer, a number")
        if tolerance is None or not math.isfinite(tolerance) or tolerance <= 0:
            problem("tolerance", "a numeric question needs a positive tolerance")
        if choices:
            problem("choices", "a numeric question has no choices: remove them")
        return problems
    if numeric_answer is not None or tolerance is not None:
        problem("numeric_answer", "answer and tolerance belong to numeric questions: clear them")
    if choices is not None:
        problems.extend(_choice_problems(kind, choices))
    return problems


def _choice_problems(kind: str, choices: Sequence[ChoiceData]) -> list[QuestionProblem]:
    messages = []
    if len(choices) < 2:
        messages.append(f"a choice question needs at least two choices, not {len(choices)}")
    if len(choices) > MAX_CHOICES:
        messages.append(f"a choice question has at most {MAX_CHOICES} choices, not {len(choices)}")
    if any(not c.text.strip() for c in choices):
        messages.append("every choice needs a text")
    texts = [" ".join(c.text.split()).casefold() for c in choices]
    if len(set(texts)) != len(texts):
        messages.append("two choices have the same text: a learner could not tell them apart")
    correct = sum(1 for c in choices if c.correct)
    if kind == QuestionType.TRUE_FALSE and sorted(c.text.strip() for c in choices) != sorted(TRUE_FALSE_TEXTS):
        messages.append("a true/false question has exactly two choices, True and False")
    if kind in ONE_CORRECT and correct != 1:
        messages.append(f"a {ONE_CORRECT[kind]} question needs exactly one correct choice, not {correct}")
    if kind == QuestionType.MULTIPLE and not 1 <= correct < len(choices):
        messages.append("a multiple-select question needs at least one correct and one wrong choice")
    return [QuestionProblem("choices", message) for message in messages]


def question_html(*, prompt: str, explanation: str, stored=None) -> dict[str, str]:
    """The HTML fields to set on a question for these Markdown texts. Given `stored` (the question as it is
    saved), only texts that changed are rendered again, so reloading unchanged content stays cheap."""
    html = {}
    if stored is None or stored.prompt != prompt or not stored.prompt_html:
        html["prompt_html"] = render_content_markdown(prompt)
    if stored is None or stored.explanation != explanation or not stored.explanation_html:
        html["explanation_html"] = render_content_markdown(explanation)
    return html


def choice_html(text: str) -> str:
    """A choice is one line: its Markdown rendered inline, without the wrapping paragraph."""
    return render_inline_markdown(text)


def prompt_as_text(prompt_html: str) -> str:
    """A question's rendered prompt as one line of plain text, for lists that name questions."""
    return " ".join(html.unescape(strip_tags(prompt_html)).split())
