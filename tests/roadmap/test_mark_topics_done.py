"""mark_topics_done: several topics done at once (a confirmed placement test), each change an activity."""

import pytest

from learning.models import Activity, TopicProgress
from learning.progress import mark_topics_done, set_topic_status
from roadmap.models import Topic

pytestmark = pytest.mark.django_db


def test_marks_new_and_started_topics_done_once_each(alice, bob, small_content, django_assert_max_num_queries):
    small_content.load()
    topics = list(Topic.objects.order_by("pk"))
    set_topic_status(learner=alice, topic=topics[0], status="in_progress")
    set_topic_status(learner=alice, topic=topics[1], status="done")
    Activity.objects.all().delete()
    with django_assert_max_num_queries(7):
        mark_topics_done(learner=alice, topics=topics)
    assert set(TopicProgress.objects.filter(learner=alice).values_list("status", flat=True)) == {"done"}
    assert TopicProgress.objects.filter(learner=alice).count() == len(topics)
    # the one already done did not change, so it is no new activity
    assert sorted(Activity.objects.values_list("topic_id", flat=True)) == [topics[0].pk, topics[2].pk]
    assert not TopicProgress.objects.filter(learner=bob).exists()
