"""Questions load from content files with the same validation as the admin form; reloads are idempotent."""

import copy
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from quizzes.models import Choice, Question
from tests.conftest import QUIZ

pytestmark = pytest.mark.django_db


def load(content, *args):
    out = StringIO()
    call_command("load_content", "--path", str(content.root), *args, stdout=out)
    return out.getvalue()


def test_questions_load_and_reload_without_changes(small_content):
    small_content.questions("vectors", QUIZ)
    assert "4 questions" in load(small_content)
    assert Question.objects.count() == 4
    tf = Question.objects.get(key="orthogonal")
    assert sorted(tf.choices.values_list("text", "is_correct")) == [("False", False), ("True", True)]
    assert Question.objects.get(key="dot-product").numeric_answer == 11
    assert load(small_content).startswith("No changes")


def test_an_edit_updates_in_place(small_content):
    small_content.questions("vectors", QUIZ)
    load(small_content)
    question_id = Question.objects.get(key="mean-or-median").pk
    edited = copy.deepcopy(QUIZ)
    edited[0]["choices"][0]["text"] = "The arithmetic mean"
    small_content.questions("vectors", edited)
    assert "questions: 1 updated" in load(small_content)
    assert Question.objects.get(key="mean-or-median").pk == question_id
    assert Choice.objects.filter(text="The arithmetic mean").exists()


def bad(**changes):
    question = copy.deepcopy(QUIZ[0])
    question.update(changes)
    return question


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (bad(choices=[{"text": "a", "correct": True}, {"text": "b", "correct": True}]), "exactly one correct choice"),
        (bad(choices=[{"text": "a"}, {"text": "b"}]), "exactly one correct choice, not 0"),
        (bad(type="multiple", choices=[{"text": "a", "correct": True}, {"text": "b", "correct": True}]),
         "at least one correct and one wrong"),
        (bad(type="multiple", choices=[{"text": "a"}, {"text": "b"}]), "at least one correct and one wrong"),
        ({**QUIZ[2], "answer": None}, "needs a number answer"),
        ({**QUIZ[2], "tolerance": 0}, "positive tolerance"),
        ({**QUIZ[2], "answer": "eleven"}, "needs a number answer"),
        ({**QUIZ[3], "answer": "yes"}, "answer: true or answer: false"),
        (bad(explanation=""), "missing explanation"),
        (bad(type="essay"), "unknown type 'essay'"),
        (bad(key="Bad Key"), "key must be a slug"),
        (bad(difficulty=9), "difficulty must be a whole number from 1 to 5"),
        (bad(choices=[{"text": "only", "correct": True}]), "2 to 8 choices"),
        (bad(colour="red"), "unknown field 'colour'"),
    ],
)
def test_bad_questions_stop_the_load(small_content, question, message):
    small_content.questions("vectors", [question])
    with pytest.raises(CommandError) as error:
        load(small_content)
    assert "questions/vectors.yaml" in str(error.value) and message in str(error.value), str(error.value)
    assert not Question.objects.exists()


def test_duplicate_prompts_and_keys_within_a_topic(small_content):
    twin = {**QUIZ[0], "key": "another-key"}
    small_content.questions("vectors", [QUIZ[0], twin, {**QUIZ[1], "key": QUIZ[0]["key"]}])
    with pytest.raises(CommandError) as error:
        load(small_content)
    assert "question 2: another question of this topic has the same prompt" in str(error.value)
    assert "two questions have the key" in str(error.value)


def test_questions_for_an_unknown_topic(small_content):
    small_content.questions("tensors", QUIZ)
    with pytest.raises(CommandError) as error:
        load(small_content)
    assert "no topic 'tensors'" in str(error.value)


def test_removed_questions_are_kept_without_prune_and_answered_ones_only_deactivated(small_content, alice):
    from quizzes.attempts import start_attempt, submit_attempt
    from roadmap.models import Topic

    small_content.questions("vectors", QUIZ)
    load(small_content)
    attempt = start_attempt(learner=alice, topic=Topic.objects.get(slug="vectors"))
    submit_attempt(learner=alice, attempt_id=attempt.pk, answers=[])
    small_content.questions("vectors", QUIZ[:2])
    assert "stale" in load(small_content)
    assert Question.objects.count() == 4
    output = load(small_content, "--prune")
    assert "deactivated" in output
    assert set(Question.objects.filter(active=True).values_list("key", flat=True)) == {"mean-or-median",
                                                                                        "which-are-vectors"}
