"""The learner's state (progress, ticks, notes, follows, activity) moves to the learning app."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('roadmap', '0004_searchterm'),
    ]

    operations = [
        # State only: the tables stay as they are and belong to learning's models from now on
        # (learning/migrations/0001_initial.py), so no row is copied or lost.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='follow',
                    name='learner',
                ),
                migrations.RemoveField(
                    model_name='follow',
                    name='roadmap',
                ),
                migrations.RemoveField(
                    model_name='resourcetick',
                    name='learner',
                ),
                migrations.RemoveField(
                    model_name='resourcetick',
                    name='resource',
                ),
                migrations.RemoveField(
                    model_name='topicnote',
                    name='learner',
                ),
                migrations.RemoveField(
                    model_name='topicnote',
                    name='topic',
                ),
                migrations.RemoveField(
                    model_name='topicprogress',
                    name='learner',
                ),
                migrations.RemoveField(
                    model_name='topicprogress',
                    name='topic',
                ),
                migrations.DeleteModel(
                    name='Activity',
                ),
                migrations.DeleteModel(
                    name='Follow',
                ),
                migrations.DeleteModel(
                    name='ResourceTick',
                ),
                migrations.DeleteModel(
                    name='TopicNote',
                ),
                migrations.DeleteModel(
                    name='TopicProgress',
                ),
            ],
            database_operations=[],
        ),
    ]
