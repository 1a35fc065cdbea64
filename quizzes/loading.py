"""Loads quiz questions from content/questions/<topic-slug>.yaml, validated like the rest of the content.

The YAML's shape is checked here; what makes a question servable (one correct choice, a positive tolerance,
no repeated prompt, ...) is quizzes/question_rules.py, which the admin applies too. No two questions of a
topic share a key. Choices of a new question are inserted in a shuffled order so that their ids say
nothing about which one is correct.
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import yaml

from roadmap.loading import (
    SLUG_PATTERN,
    ContentError,
    FileProblems,
    LoadReport,
    Prefixed,
    content_files,
    report_unknown_keys,
    text_field,
)
from roadmap.models import Topic

from .models import Answer, Choice, Question, QuestionType, ToleranceKind
from .question_rules import MAX_CHOICES, ChoiceData, choice_html, question_html, question_problems

QUESTION_FIELDS = {
    "key", "type", "difficulty", "prompt", "choices", "explanation", "answer", "tolerance", "tolerance_kind", "active",
}


@dataclass(frozen=True)
class QuestionData:
    key: str
    type: str
    difficulty: int
    prompt: str
    explanation: str
    active: bool
    choices: tuple[ChoiceData, ...]
    numeric_answer: float | None
    tolerance: float | None
    tolerance_kind: str


@dataclass(frozen=True)
class TopicQuestions:
    topic_slug: str
    path: Path
    questions: tuple[QuestionData, ...]


def _number(value) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value)


def _read_choices(raw, report) -> tuple[ChoiceData, ...]:
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_CHOICES:
        report(f"needs a list of 2 to {MAX_CHOICES} choices")
        return ()
    choices = []
    for number, item in enumerate(raw, start=1):
        where = Prefixed(report, f"choice {number}")
        if not isinstance(item, dict):
            where("must be a mapping with text (and correct, feedback)")
            continue
        report_unknown_keys(item, {"text", "correct", "feedback"}, f"choice {number}: ", report)
        text = text_field(item, "text", where, max_length=500)
        correct = item.get("correct", False)
        if not isinstance(correct, bool):
            where("correct must be true or false")
        feedback = text_field(item, "feedback", where, max_length=500, required=False)
        choices.append(ChoiceData(text=text, correct=correct is True, feedback=feedback))
    return tuple(choices)


def read_question(raw, number: int, report: FileProblems, *, other_prompts: list[str]) -> QuestionData | None:
    """The question, once its YAML has the right shape and it follows the rules (quizzes/question_rules.py);
    `other_prompts` are the prompts of the questions before it in the file."""
    where = Prefixed(report, f"question {number}")
    if not isinstance(raw, dict):
        where("must be a mapping")
        return None
    before = len(report.problems)
    report_unknown_keys(raw, QUESTION_FIELDS, f"question {number}: ", report)
    key = raw.get("key")
    if not isinstance(key, str) or not SLUG_PATTERN.match(key):
        where(f"key must be a slug (lowercase words joined by hyphens), not {key!r}")
    kind = raw.get("type")
    if kind not in QuestionType.values:
        where(f"unknown type {kind!r} (one of: {', '.join(QuestionType.values)})")
        return None
    prompt = text_field(raw, "prompt", where, max_length=5000)
    explanation = text_field(raw, "explanation", where, max_length=5000)
    difficulty = raw.get("difficulty", 2)
    if not isinstance(difficulty, int) or isinstance(difficulty, bool) or not 1 <= difficulty <= 5:
        where(f"difficulty must be a whole number from 1 to 5, not {difficulty!r}")
    active = raw.get("active", True)
    if not isinstance(active, bool):
        where("active must be true or false")
    choices: tuple[ChoiceData, ...] = ()
    numeric_answer = tolerance = None
    tolerance_kind = ToleranceKind.ABSOLUTE
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        choices = _read_choices(raw.get("choices"), where)
        if "answer" in raw or "tolerance" in raw:
            where("answer and tolerance belong to numeric questions")
    elif kind == QuestionType.TRUE_FALSE:
        answer = raw.get("answer")
        if not isinstance(answer, bool):
            where("a true/false question needs answer: true or answer: false")
        if raw.get("choices"):
            where("a true/false question takes answer, not choices")
        choices = (ChoiceData("True", answer is True, ""), ChoiceData("False", answer is False, ""))
    else:
        numeric_answer = _number(raw.get("answer"))
        if numeric_answer is None:
            where(f"a numeric question needs a number answer, not {raw.get('answer')!r}")
        tolerance = _number(raw.get("tolerance"))
        if tolerance is None and raw.get("tolerance") is not None:
            where(f"tolerance must be a number, not {raw.get('tolerance')!r}")
        tolerance_kind = raw.get("tolerance_kind", ToleranceKind.ABSOLUTE)
        if tolerance_kind not in ToleranceKind.values:
            where(f"tolerance_kind must be absolute or relative, not {tolerance_kind!r}")
        if raw.get("choices"):
            where("a numeric question takes answer and tolerance, not choices")
    if len(report.problems) > before:
        return None
    for problem in question_problems(
        kind=kind, prompt=prompt, explanation=explanation, numeric_answer=numeric_answer, tolerance=tolerance,
        choices=choices, other_prompts=other_prompts,
    ):
        where(problem.message)
    if len(report.problems) > before:
        return None
    return QuestionData(
        key=key, type=kind, difficulty=difficulty, prompt=prompt, explanation=explanation, active=active,
        choices=choices, numeric_answer=numeric_answer, tolerance=tolerance, tolerance_kind=tolerance_kind,
    )


def read_questions(root: Path, topic_slugs: set[str]) -> list[TopicQuestions]:
    """Parses and validates every question file; raises ContentError listing every problem."""
    problems: list[str] = []
    result = []
    paths = content_files(root / "questions", "*.yaml", root, problems)
    for path in paths:
        report = FileProblems(path, root, problems)
        if path.stem not in topic_slugs:
            report(f"no topic {path.stem!r} for these questions (the file name must be a topic slug)")
            continue
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            report(f"not valid YAML: {exc}".replace("\n", " "))
            continue
        if not isinstance(raw, list) or not raw:
            report("must be a non-empty list of questions")
            continue
        questions, prompts = [], []
        for number, item in enumerate(raw, start=1):
            if question := read_question(item, number, report, other_prompts=prompts):
                questions.append(question)
            if isinstance(item, dict) and isinstance(item.get("prompt"), str):
                prompts.append(item["prompt"])
        seen_keys = set()
        for question in questions:
            if question.key in seen_keys:
                report(f"two questions have the key {question.key!r}")
            seen_keys.add(question.key)
        result.append(TopicQuestions(topic_slug=path.stem, path=path, questions=tuple(questions)))
    if problems:
        raise ContentError(problems)
    return result


def apply_questions(files: list[TopicQuestions], report: LoadReport, *, prune: bool) -> None:
    """Writes questions in place. Without --prune, questions no longer in the files are kept; with it,
    they are deleted, except those learners have answered, which are deactivated to keep their history."""
    topics = {t.slug: t for t in Topic.objects.filter(slug__in=[f.topic_slug for f in files])}
    existing = {(q.topic_id, q.key): q for q in Question.objects.all()}
    choices_by_question = defaultdict(list)
    for choice in Choice.objects.order_by("question_id", "order"):
        choices_by_question[choice.question_id].append(choice)
    kept = set()
    for file in files:
        topic = topics[file.topic_slug]
        for order, data in enumerate(file.questions):
            kept.add((topic.pk, data.key))
            question = existing.get((topic.pk, data.key)) or Question(topic=topic, key=data.key)
            values = {
                "type": data.type, "prompt": data.prompt, "explanation": data.explanation,
                "difficulty": data.difficulty, "active": data.active, "numeric_answer": data.numeric_answer,
                "tolerance": data.tolerance, "tolerance_kind": data.tolerance_kind, "order": order,
            }
            values |= question_html(prompt=data.prompt, explanation=data.explanation,
                                    stored=question if question.pk else None)
            saved = _save(question, values, report)
            choices_changed = _apply_choices(question, data.choices, choices_by_question.get(question.pk, []))
            if choices_changed and not saved:
                report.add("questions", "updated")
    stale = [q for key, q in existing.items() if key not in kept]
    if not stale:
        return
    if not prune:
        report.add("questions", "stale (kept, use --prune to delete)", len(stale))
        return
    answered = set(Answer.objects.filter(question__in=stale).values_list("question_id", flat=True))
    Question.objects.filter(pk__in=[q.pk for q in stale if q.pk not in answered]).delete()
    report.add("questions", "deleted", len(stale) - len(answered))
    deactivated = Question.objects.filter(pk__in=answered, active=True).update(active=False)
    report.add("questions", "deactivated (answered, kept for history)", deactivated)


def _save(question: Question, values: dict, report: LoadReport) -> bool:
    changed = [name for name, value in values.items() if getattr(question, name) != value]
    if question.pk is None:
        for name, value in values.items():
            setattr(question, name, value)
        question.save()
        report.add("questions", "created")
        return True
    if changed:
        for name in changed:
            setattr(question, name, values[name])
        question.save(update_fields=changed)
        report.add("questions", "updated")
        return True
    return False


def _apply_choices(question: Question, wanted: tuple[ChoiceData, ...], current: list[Choice]) -> bool:
    """Choices are matched by position; returns whether anything changed."""
    changed = False
    new = []
    for order, data in enumerate(wanted):
        values = {
            "text": data.text, "text_html": choice_html(data.text), "is_correct": data.correct,
            "feedback": data.feedback, "order": order,
        }
        if order < len(current):
            choice = current[order]
            diff = [name for name, value in values.items() if getattr(choice, name) != value]
            if diff:
                for name in diff:
                    setattr(choice, name, values[name])
                choice.save(update_fields=diff)
                changed = True
        else:
            new.append(Choice(question=question, **values))
    if new:
        # Insert in a shuffled order: ids then carry no hint of which choice the author wrote first.
        random.SystemRandom().shuffle(new)
        Choice.objects.bulk_create(new)
        changed = True
    extra = current[len(wanted):]
    if extra:
        Choice.objects.filter(pk__in=[c.pk for c in extra]).delete()
        changed = True
    return changed

