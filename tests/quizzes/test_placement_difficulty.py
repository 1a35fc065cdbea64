"""A placement test starts each question's difficulty from its facility over first attempts (log((1 - p) / p)),
or from its calibrated difficulty once placement answers have stepped it."""

import math

import pytest

from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Question
from quizzes.placement_sessions import start_placement
from roadmap.models import Roadmap, Topic
from tests.conftest import right_answer_to

pytestmark = pytest.mark.django_db


def test_difficulties_start_from_facility_and_then_from_calibration(alice, django_user_model, placement_content):
    vectors = Topic.objects.get(slug="vectors")
    numeric = Question.objects.get(key="vectors-dot-product")
    for n in range(5):  # four of five first attempts get the number right: facility 0.8
        learner = django_user_model.objects.create_user(email=f"learner{n}@example.com")
        attempt = start_attempt(learner=learner, topic=vectors)
        answer = right_answer_to(numeric) if n else {"value": 0}
        submit_attempt(learner=learner, attempt_id=attempt.pk, answers=[{"question": numeric.pk, **answer}])
    roadmap = Roadmap.objects.get(slug="first")
    difficulties = start_placement(learner=alice, roadmap=roadmap).state["difficulties"]
    assert difficulties[str(numeric.pk)] == pytest.approx(math.log(0.2 / 0.8))
    # The others were left blank by every attempt: facility 0, clamped at the hardest.
    single = Question.objects.get(key="vectors-mean-or-median")
    assert difficulties[str(single.pk)] == pytest.approx(3.0)
    # Questions of topics nobody has attempted are average (0) and left out; a calibrated one is not re-read.
    assert str(Question.objects.get(key="matrices-dot-product").pk) not in difficulties
    Question.objects.filter(pk=numeric.pk).update(calibrated_difficulty=0.4)
    assert str(numeric.pk) not in start_placement(learner=alice, roadmap=roadmap).state["difficulties"]
