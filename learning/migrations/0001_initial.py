"""The learner's state, moved here from roadmap without touching its tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ["activity", "follow", "resourcetick", "topicnote", "topicprogress"]


def move_content_types(apps, schema_editor):
    """Admin log entries and permissions point at content types: they follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="roadmap", model__in=MODELS).update(app_label="learning")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="learning", model__in=MODELS).update(app_label="roadmap")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('roadmap', '0005_learner_state_moves_to_learning'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        # State only: these tables were created by roadmap/migrations/0002 and keep their names (db_table).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Activity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('progress', 'Progress'), ('resource', 'Resource'), ('quiz', 'Quiz'), ('review', 'Review')], max_length=20)),
                        ('detail', models.CharField(blank=True, max_length=200)),
                        ('at', models.DateTimeField()),
                        ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activities', to=settings.AUTH_USER_MODEL)),
                        ('topic', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='roadmap.topic')),
                    ],
                    options={
                        'verbose_name_plural': 'activities',
                        'db_table': 'roadmap_activity',
                        'indexes': [models.Index(fields=['learner', '-at'], name='activity_learner_at')],
                    },
                ),
                migrations.CreateModel(
                    name='Follow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follows', to=settings.AUTH_USER_MODEL)),
                        ('roadmap', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='roadmap.roadmap')),
                    ],
                    options={
                        'db_table': 'roadmap_follow',
                        'ordering': ['created_at'],
                        'constraints': [models.UniqueConstraint(fields=('learner', 'roadmap'), name='follow_once')],
                    },
                ),
                migrations.CreateModel(
                    name='ResourceTick',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='resource_ticks', to=settings.AUTH_USER_MODEL)),
                        ('resource', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ticks', to='roadmap.resource')),
                    ],
                    options={
                        'db_table': 'roadmap_resourcetick',
                        'constraints': [models.UniqueConstraint(fields=('learner', 'resource'), name='tick_once_per_resource')],
                    },
                ),
                migrations.CreateModel(
                    name='TopicNote',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('body', models.TextField(max_length=20000)),
                        ('body_html', models.TextField(editable=False)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to=settings.AUTH_USER_MODEL)),
                        ('topic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='roadmap.topic')),
                    ],
                    options={
                        'db_table': 'roadmap_topicnote',
                        'constraints': [models.UniqueConstraint(fields=('learner', 'topic'), name='note_once_per_topic')],
                    },
                ),
                migrations.CreateModel(
                    name='TopicProgress',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('not_started', 'Not started'), ('in_progress', 'In progress'), ('done', 'Done'), ('skipped', 'Skipped')], default='not_started', max_length=20)),
                        ('updated_at', models.DateTimeField()),
                        ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='topic_progress', to=settings.AUTH_USER_MODEL)),
                        ('topic', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress', to='roadmap.topic')),
                    ],
                    options={
                        'verbose_name_plural': 'topic progress',
                        'db_table': 'roadmap_topicprogress',
                        'constraints': [models.UniqueConstraint(fields=('learner', 'topic'), name='progress_once_per_topic')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
