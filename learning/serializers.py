from rest_framework import serializers

from config.strict_input import StrictInput

from .models import ProgressStatus
from .notes import MAX_NOTE_LENGTH


class ProgressOutSerializer(serializers.Serializer):
    topic = serializers.SlugField(source="topic.slug")
    status = serializers.ChoiceField(choices=ProgressStatus.choices)
    updated_at = serializers.DateTimeField()


class ProgressInSerializer(StrictInput):
    status = serializers.ChoiceField(
        choices=ProgressStatus.choices,
        error_messages={"invalid_choice": "“{input}” is not a status: use not_started, in_progress, done or skipped."},
    )


class RoadmapProgressSerializer(serializers.Serializer):
    roadmap = serializers.SlugField(source="roadmap.slug")
    total = serializers.IntegerField(help_text="Topics placed in the roadmap.")
    done = serializers.IntegerField()
    skipped = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    not_started = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="(done + skipped) / total, as a whole percentage.")
    following = serializers.BooleanField()


class NoteOutSerializer(serializers.Serializer):
    topic = serializers.SlugField(source="topic.slug")
    body = serializers.CharField(help_text="Markdown, as written.")
    body_html = serializers.CharField(help_text="Rendered and sanitised.")
    updated_at = serializers.DateTimeField()


class NoteInSerializer(StrictInput):
    body = serializers.CharField(max_length=MAX_NOTE_LENGTH, help_text="Markdown.")


class TickOutSerializer(serializers.Serializer):
    resource = serializers.IntegerField(source="resource_id")
    topic = serializers.SlugField(source="resource.topic.slug")
    ticked_at = serializers.DateTimeField(source="created_at")


class FollowOutSerializer(serializers.Serializer):
    roadmap = serializers.SlugField(source="roadmap.slug")
    since = serializers.DateTimeField(source="created_at")
