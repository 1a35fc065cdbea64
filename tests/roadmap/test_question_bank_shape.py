"""The question bank gives no format signal a learner could game: a shape that holds as content grows.

The rates are those an independent reviewer measured (issue 18): answering "false" to every true/false
question, picking the second-longest choice, or expecting three correct of five must do no better than chance.
"""

import re
from collections import Counter

import pytest

from quizzes.models import QuestionType

SWEEPING = re.compile(r"\b(always|every|only|never|all|none)\b", re.IGNORECASE)
PAGE_BOUND = re.compile(
    r"\blisted (?:for|as|pitfall|choice|model|method|option|tool|step)|\b(?:the|a) listed\b"
    r"|\b(?:topic|page|roadmap|table|section|list)s? (?:lists|names|mentions|recommends|says)\b"
    r"|\bin (?:this|the) (?:topic|roadmap|page|section)\b|\bgo-to-model table\b|\bthe roadmap(?:'s)? ",
    re.IGNORECASE,
)
ROUNDING = re.compile(
    r"(?P<places>one|two|three|four|\d)\s+(?:decimal\s+)?places?|(?P<whole>whole\s+number|integer)"
    r"|to\s+(?P<dp>\d+)\s+decimals?",
    re.IGNORECASE,
)
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}


@pytest.fixture(scope="module")
def content(shipped_content):
    return shipped_content


@pytest.fixture(scope="module")
def questions(shipped_questions):
    return {slug: [q for q in qs if q.active] for slug, qs in shipped_questions.items()}


@pytest.fixture(scope="module")
def banks(content, questions):
    """Every roadmap's questions, and the whole bank."""
    by_roadmap = {
        roadmap.slug: [q for section in roadmap.sections for slug in section.topics for q in questions.get(slug, ())]
        for roadmap in content.roadmaps
    }
    return {**by_roadmap, "the whole bank": [q for qs in questions.values() for q in qs]}


def is_true(question):
    return next(c.correct for c in question.choices if c.text == "True")


def test_true_false_is_true_about_half_the_time_in_every_roadmap(banks):
    shares = {}
    for name, bank in banks.items():
        answers = [is_true(q) for q in bank if q.type == QuestionType.TRUE_FALSE]
        shares[name] = round(sum(answers) / len(answers), 3)
    assert all(0.40 <= share <= 0.60 for share in shares.values()), shares


def test_sweeping_words_do_not_give_a_true_false_answer_away(banks):
    sweeping = [
        is_true(q) for q in banks["the whole bank"] if q.type == QuestionType.TRUE_FALSE and SWEEPING.search(q.prompt)
    ]
    if len(sweeping) >= 8:
        assert 0.30 <= sum(sweeping) / len(sweeping) <= 0.70, f"{sum(sweeping)} true of {len(sweeping)}"


def test_multiple_select_varies_how_many_choices_are_correct(banks):
    counts = Counter(
        sum(c.correct for c in q.choices) for q in banks["the whole bank"] if q.type == QuestionType.MULTIPLE
    )
    total = sum(counts.values())
    assert set(counts) >= {1, 2, 3, 4}, counts
    assert max(counts.values()) / total <= 0.40, counts


def length_rank(question):
    """1 when the correct choice is the longest, 2 when one choice is longer, and so on."""
    lengths = [len(c.text) for c in question.choices]
    correct = next(i for i, c in enumerate(question.choices) if c.correct)
    return 1 + sum(length > lengths[correct] for length in lengths)


def test_the_correct_single_choice_is_not_told_by_its_length(banks):
    singles = [q for q in banks["the whole bank"] if q.type == QuestionType.SINGLE]
    chance = sum(1 / len(q.choices) for q in singles) / len(singles)
    ranks = Counter(length_rank(q) for q in singles)
    shares = {rank: round(n / len(singles), 3) for rank, n in sorted(ranks.items())}
    # Ties share a rank, so ranks 1 and 2 together may sit a little above twice the chance.
    assert shares.get(1, 0) <= chance + 0.08, (chance, shares)
    assert shares.get(2, 0) <= chance + 0.08, (chance, shares)


def test_no_question_asks_what_a_page_lists(questions):
    def texts(q):
        return [q.prompt, q.explanation, *(f"{c.text} {c.feedback}" for c in q.choices)]

    bound = [
        f"{slug}:{q.key}" for slug, qs in questions.items() for q in qs if any(PAGE_BOUND.search(t) for t in texts(q))
    ]
    assert not bound, bound


def test_every_numeric_prompt_states_its_rounding_and_the_tolerance_matches(questions):
    wrong = []
    for slug, qs in questions.items():
        for q in qs:
            if q.type != QuestionType.NUMERIC:
                continue
            match = ROUNDING.search(q.prompt)
            if not match:
                wrong.append(f"{slug}:{q.key}: the prompt does not say how to round")
                continue
            if match["whole"]:
                unit = 1.0
            else:
                places = match["places"] or match["dp"]
                unit = 10.0 ** -int(WORDS.get(places.lower(), places))
            if q.tolerance_kind == "absolute" and q.tolerance > unit + 1e-12:
                wrong.append(f"{slug}:{q.key}: tolerance {q.tolerance} is looser than the rounding ({unit})")
    assert not wrong, wrong
