"""The dashboard's year (streaks and heatmap) is rendered once and cached, yet shows every new action at
once, and moves with the learner's local day and time zone."""

import datetime
import re
from datetime import UTC

import pytest
from django.utils import timezone

from caching.learner_pages import learner_state_changed
from learning.activity import record_activity, year_html
from learning.models import ActivityKind
from learning.progress import set_topic_status, tick_resource
from quizzes.attempts import start_attempt, submit_attempt
from quizzes.models import Card, Question
from quizzes.reviews import answer_card
from roadmap.models import Topic

pytestmark = pytest.mark.django_db

# The last cell of the heatmap is the learner's today.
TODAY_CELL = re.compile(r"<title>([^<]*): (\d+) actions?</title></rect>\s*</svg>")


def visit(client, learner):
    """(actions today, whether the year was rendered rather than read from the cache).

    The learner's whole page is made stale first, as their own write request would: the page cache
    (tests/roadmap/test_learner_page_cache.py) must not hide what the year fragment's cache does."""
    learner_state_changed(learner_id=learner.pk)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    rendered = "includes/_year.html" in [t.name for t in response.templates]
    return int(TODAY_CELL.search(response.content.decode()).group(2)), rendered


def right_answer(question):
    if question.type == "numeric":
        return {"question": question.pk, "value": 11}
    return {"question": question.pk, "choices": [question.choices.filter(is_correct=True).first().pk]}


def test_every_kind_of_action_shows_on_the_next_visit(client, alice, quiz_content):
    client.force_login(alice)
    assert visit(client, alice) == (0, True)
    assert visit(client, alice) == (0, False)  # nothing new: the cached fragment

    vectors = Topic.objects.get(slug="vectors")
    set_topic_status(learner=alice, topic=vectors, status="in_progress")
    assert visit(client, alice) == (1, True)

    tick_resource(learner=alice, resource=vectors.resources.first())
    assert visit(client, alice) == (2, True)

    attempt = start_attempt(learner=alice, topic=vectors)
    submit_attempt(learner=alice, attempt_id=attempt.pk, answers=[right_answer(q) for q in Question.objects.all()])
    assert visit(client, alice) == (3, True)
    assert visit(client, alice) == (3, False)

    card = Card.objects.select_related("question").get(learner=alice, question__type="numeric")
    Card.objects.filter(pk=card.pk).update(due=timezone.now() - datetime.timedelta(hours=1))
    answer_card(learner=alice, card_id=card.pk, answer={"value": 11})
    assert visit(client, alice) == (4, True)


def test_another_learners_actions_leave_the_year_cached(client, alice, bob, quiz_content):
    client.force_login(alice)
    visit(client, alice)
    set_topic_status(learner=bob, topic=Topic.objects.get(slug="vectors"), status="done")
    assert visit(client, alice) == (0, False)


def at(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def test_a_new_local_day_moves_the_year(alice):
    record_activity(learner=alice, kind=ActivityKind.QUIZ, at=at(2026, 7, 1, 12, 0))
    same_day = year_html(alice, now=at(2026, 7, 1, 23, 0))
    next_day = year_html(alice, now=at(2026, 7, 2, 1, 0))
    assert "Wed 1 Jul 2026: 1 action</title></rect>\n</svg>" in same_day
    assert "Thu 2 Jul 2026: 0 actions</title></rect>\n</svg>" in next_day
    assert "1 day" in next_day  # yesterday's streak is still alive
    two_days_on = year_html(alice, now=at(2026, 7, 3, 1, 0))
    assert "<dd>0 days</dd>" in two_days_on


def test_a_new_time_zone_moves_the_year(alice):
    now = at(2026, 6, 30, 20, 0)  # already 1 July in Tokyo
    record_activity(learner=alice, kind=ActivityKind.PROGRESS, at=now)
    in_utc = year_html(alice, now=now)
    assert "Tue 30 Jun 2026: 1 action</title></rect>\n</svg>" in in_utc and "(UTC)" in in_utc
    alice.time_zone = "Asia/Tokyo"
    alice.save()
    in_tokyo = year_html(alice, now=now)
    assert "Wed 1 Jul 2026: 1 action</title></rect>\n</svg>" in in_tokyo and "(Asia/Tokyo)" in in_tokyo


def test_a_zone_with_the_same_days_still_shows_its_own_name(alice):
    now = at(2026, 1, 10, 12, 0)  # London is on UTC in winter: the same days, another legend
    record_activity(learner=alice, kind=ActivityKind.PROGRESS, at=now)
    assert "(UTC)" in year_html(alice, now=now)
    alice.time_zone = "Europe/London"
    alice.save()
    assert "(Europe/London)" in year_html(alice, now=now)
