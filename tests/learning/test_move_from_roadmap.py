"""The learner's state moved from roadmap to learning without a row copied or lost: a database filled under the
old layout (roadmap 0004, before learning 0001) migrates forward with every row, id and admin log entry intact."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from learning.models import Activity, Follow, ResourceTick, TopicNote, TopicProgress

OLD_LAYOUT = ("roadmap", "0004_searchterm")
MOVED = ["TopicProgress", "ResourceTick", "TopicNote", "Follow", "Activity"]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def latest():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_written_under_the_old_layout_are_read_by_the_new_models(small_content, alice, bob):
    small_content.load()
    executor = migrate([OLD_LAYOUT])
    try:
        old = executor.loader.project_state([OLD_LAYOUT]).apps
        assert {m.__name__ for m in old.get_app_config("roadmap").get_models()} >= set(MOVED)
        topic = old.get_model("roadmap", "Topic").objects.get(slug="vectors")
        resource = old.get_model("roadmap", "Resource").objects.filter(topic=topic).first()
        roadmap = old.get_model("roadmap", "Roadmap").objects.get(slug="first")
        at = timezone.now() - datetime.timedelta(days=1)
        written = {
            "TopicProgress": old.get_model("roadmap", "TopicProgress").objects.create(
                learner_id=alice.pk, topic=topic, status="done", updated_at=at),
            "ResourceTick": old.get_model("roadmap", "ResourceTick").objects.create(
                learner_id=alice.pk, resource=resource),
            "TopicNote": old.get_model("roadmap", "TopicNote").objects.create(
                learner_id=alice.pk, topic=topic, body="Mine.", body_html="<p>Mine.</p>"),
            "Follow": old.get_model("roadmap", "Follow").objects.create(learner_id=alice.pk, roadmap=roadmap),
            "Activity": old.get_model("roadmap", "Activity").objects.create(
                learner_id=alice.pk, kind="progress", topic=topic, detail="done", at=at),
        }
        old.get_model("roadmap", "TopicProgress").objects.create(
            learner_id=bob.pk, topic=topic, status="skipped", updated_at=at)
        # An admin's log entry on the old model: it must still find its object afterwards.
        old_type = ContentType.objects.get(app_label="roadmap", model="topicprogress")
        LogEntry.objects.create(user=alice, content_type_id=old_type.pk, object_id=str(written["TopicProgress"].pk),
                                object_repr="progress", action_flag=CHANGE, change_message="[]")
    finally:
        migrate(latest())

    progress = TopicProgress.objects.get(pk=written["TopicProgress"].pk)
    assert (progress.learner, progress.topic.slug, progress.status) == (alice, "vectors", "done")
    assert TopicProgress.objects.filter(learner=bob, status="skipped").count() == 1
    assert ResourceTick.objects.get(pk=written["ResourceTick"].pk).learner == alice
    assert TopicNote.objects.get(pk=written["TopicNote"].pk).body_html == "<p>Mine.</p>"
    assert Follow.objects.get(pk=written["Follow"].pk).roadmap.slug == "first"
    assert Activity.objects.get(pk=written["Activity"].pk).detail == "done"

    # The content types moved with the models (same ids), so the log entry still points at the row.
    new_type = ContentType.objects.get_for_model(TopicProgress)
    assert (new_type.pk, new_type.app_label) == (old_type.pk, "learning")
    assert not ContentType.objects.filter(app_label="roadmap", model__in=[m.lower() for m in MOVED]).exists()
    assert LogEntry.objects.get(object_repr="progress").get_edited_object() == progress

    # New rows continue the same sequences (the tables are the old ones).
    newer = TopicNote.objects.create(learner=bob, topic=progress.topic, body="b", body_html="<p>b</p>")
    assert newer.pk > written["TopicNote"].pk
