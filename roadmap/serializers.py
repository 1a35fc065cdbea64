from rest_framework import serializers

from .models import Resource, Roadmap, Topic


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
