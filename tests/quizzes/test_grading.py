"""Grading of every question type, with edge cases: tolerance bounds, partial credit, empty selection."""

import math

import pytest

from quizzes.grading import grade_choices, grade_number

ALL = {1, 2, 3, 4, 5}


@pytest.mark.parametrize(
    ("kind", "picked", "points"),
    [("single", {2}, 1.0), ("single", {1}, 0.0), ("single", set(), 0.0),
     ("true_false", {2}, 1.0), ("true_false", {1}, 0.0)],
)
def test_single_and_true_false(kind, picked, points):
    grade = grade_choices(kind=kind, correct_ids={2}, all_ids={1, 2}, picked=picked)
    assert grade.points == points and grade.correct == (points == 1.0)


@pytest.mark.parametrize(
    ("picked", "points", "correct"),
    [
        ({1, 2}, 1.0, True),  # both correct choices, no wrong one
        ({1}, 0.5, False),  # half the correct choices
        ({1, 3}, 0.5 - 1 / 3, False),  # one right, one of three wrong ones
        ({1, 3, 4}, 0.0, False),  # 0.5 - 2/3, floored at 0
        ({1, 2, 3, 4, 5}, 0.0, False),  # everything: 1 - 1 = 0
        ({1, 2, 3}, 1 - 1 / 3, False),
        (set(), 0.0, False),  # empty selection
        ({3}, 0.0, False),
    ],
)
def test_multiple_select_partial_credit(picked, points, correct):
    grade = grade_choices(kind="multiple", correct_ids={1, 2}, all_ids=ALL, picked=picked)
    assert math.isclose(grade.points, points, abs_tol=1e-6)
    assert grade.correct is correct


@pytest.mark.parametrize(
    ("value", "right"),
    [(11.0, True), (11.01, True), (10.99, True), (11.0101, False), (10.9899, False), (0.1 + 0.2 + 10.7, True)],
)
def test_numeric_absolute_tolerance_bounds_are_inclusive(value, right):
    assert grade_number(answer=11, tolerance=0.01, tolerance_kind="absolute", value=value).correct is right


@pytest.mark.parametrize(("value", "right"), [(105, True), (95, True), (105.01, False), (94.99, False)])
def test_numeric_relative_tolerance(value, right):
    assert grade_number(answer=100, tolerance=0.05, tolerance_kind="relative", value=value).correct is right


def test_numeric_relative_tolerance_of_a_negative_answer():
    assert grade_number(answer=-2, tolerance=0.1, tolerance_kind="relative", value=-2.2).correct
    assert not grade_number(answer=-2, tolerance=0.1, tolerance_kind="relative", value=2).correct


def test_numeric_rejects_non_finite():
    assert grade_number(answer=1, tolerance=1, tolerance_kind="absolute", value=math.inf).points == 0
    assert grade_number(answer=1, tolerance=1, tolerance_kind="absolute", value=math.nan).points == 0
