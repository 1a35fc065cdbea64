from rest_framework import serializers

from config.strict_input import StrictInput

from .models import ProgressStatus, Resource, Roadmap, Topic
from .notes import MAX_NOTE_LENGTH


class RoadmapListSerializer(serializers.ModelSerializer):
    topic_count = serializers.IntegerField(read_only=True)
    total_hours = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Roadmap
        fields = ["slug", "title", "summary", "source_author", "source_url", "topic_count", "total_hours"]


class TopicSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "title", "summary", "level", "estimated_hours"]


class SectionOutSerializer(serializers.Serializer):
    title = serializers.CharField(source="section.title")
    duration = serializers.CharField(source="section.duration")
    topics = TopicSummarySerializer(many=True)


class RoadmapDetailSerializer(serializers.ModelSerializer):
    sections = SectionOutSerializer(many=True, source="outline")

    class Meta:
        model = Roadmap
        fields = ["slug", "title", "summary", "source_author", "source_url", "sections"]


class ResourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Resource
        fields = ["id", "title", "url", "kind", "cost", "author"]


class TopicDetailSerializer(serializers.ModelSerializer):
    resources = ResourceSerializer(many=True)
    prerequisites = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    leads_to = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    roadmaps = serializers.SerializerMethodField()

    class Meta:
        model = Topic
        fields = [
            "slug", "title", "summary", "level", "estimated_hours", "body", "body_html", "resources",
            "prerequisites", "leads_to", "roadmaps",
        ]

    def get_roadmaps(self, topic) -> list[str]:
        return [placement.roadmap.slug for placement in topic.placements.all()]


# --- A learner's own state ---------------------------------------------------------------------------


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
