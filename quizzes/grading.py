"""Grading of one answer, by question type. Pure functions: no database.

- single choice and true/false: 1 point for the correct choice, else 0;
- multiple select, partial credit: +1/(number of correct choices) for each correct choice picked,
  -1/(number of wrong choices) for each wrong one picked, floored at 0 (so picking everything scores 0);
- numeric: 1 point within the tolerance (absolute, or relative to the answer), bounds included.
"""

import math
from dataclasses import dataclass

from .models import QuestionType, ToleranceKind

# Floating point: 0.1 + 0.2 must count as within 0.3 ± 0.0.
EPSILON = 1e-9


@dataclass(frozen=True)
class Grade:
    points: float  # 0 to 1
    correct: bool  # full marks


def grade_choices(*, kind: str, correct_ids: set[int], all_ids: set[int], picked: set[int]) -> Grade:
    if kind in (QuestionType.SINGLE, QuestionType.TRUE_FALSE):
        right = picked == correct_ids
        return Grade(points=1.0 if right else 0.0, correct=right)
    wrong_ids = all_ids - correct_ids
    gained = len(picked & correct_ids) / len(correct_ids)
    lost = len(picked & wrong_ids) / len(wrong_ids) if wrong_ids else 0.0
    points = max(0.0, gained - lost)
    points = round(points, 6)
    return Grade(points=points, correct=points >= 1.0 - EPSILON)


def grade_number(*, answer: float, tolerance: float, tolerance_kind: str, value: float) -> Grade:
    if not math.isfinite(value):
        return Grade(points=0.0, correct=False)
    allowed = tolerance * abs(answer) if tolerance_kind == ToleranceKind.RELATIVE else tolerance
    right = abs(value - answer) <= allowed + EPSILON
    return Grade(points=1.0 if right else 0.0, correct=right)
