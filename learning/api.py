"""The learner's own state through the API: topic progress, notes, resource ticks and follows.

Every endpoint needs a signed-in learner (session with CSRF, or `Authorization: Token <key>`) and only
ever reads or writes that learner's rows. Writes that name content which does not exist answer 400 with the
field that is wrong (`{"topic": [...]}`, `{"resource": [...]}`), as the schema says for each; reads, and
deleting a note, answer 404 like any unknown address.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_schema import error, invalid
from roadmap.models import Resource, Roadmap, Topic

from .models import Follow, ResourceTick, TopicNote, TopicProgress
from .notes import note_of, save_note
from .progress import (
    follow_roadmap,
    is_following,
    roadmaps_progress,
    set_topic_status,
    tick_resource,
    unfollow_roadmap,
    untick_resource,
)
from .serializers import (
    FollowOutSerializer,
    NoteInSerializer,
    NoteOutSerializer,
    ProgressInSerializer,
    ProgressOutSerializer,
    RoadmapProgressSerializer,
    TickOutSerializer,
)

UNKNOWN_TOPIC = invalid("The body is not valid, or the topic does not exist: "
                        "`{\"topic\": [\"Unknown topic …\"]}` (or the address holds a NUL character).")
UNKNOWN_RESOURCE = invalid("The resource does not exist: `{\"resource\": [\"Unknown resource 7.\"]}` "
                           "(or the address holds a NUL character).")


def topic_for_write(slug: str) -> Topic:
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise ValidationError({"topic": [f"Unknown topic “{slug}”."]})
    return topic


def resource_for_write(resource_id: int) -> Resource:
    resource = Resource.objects.filter(pk=resource_id).first()
    if resource is None:
        raise ValidationError({"resource": [f"Unknown resource {resource_id}."]})
    return resource


class LearnerApi(APIView):
    permission_classes = [IsAuthenticated]


class ProgressListApi(generics.ListAPIView):
    """The learner's status on every topic it has touched."""

    permission_classes = [IsAuthenticated]
    serializer_class = ProgressOutSerializer

    def get_queryset(self):
        return TopicProgress.objects.filter(learner=self.request.user).select_related("topic").order_by("topic__slug")


class ProgressDetailApi(LearnerApi):
    @extend_schema(
        request=ProgressInSerializer,
        responses={200: ProgressOutSerializer, 400: UNKNOWN_TOPIC},
        examples=[
            OpenApiExample("Mark done", value={"status": "done"}, request_only=True),
            OpenApiExample(
                "Stored", value={"topic": "linear-regression", "status": "done", "updated_at": "2026-11-21T10:00:00Z"},
                response_only=True,
            ),
        ],
    )
    def put(self, request, topic_slug: str):
        data = ProgressInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        topic = topic_for_write(topic_slug)
        progress = set_topic_status(learner=request.user, topic=topic, status=data.validated_data["status"])
        return Response(ProgressOutSerializer(progress).data)


class RoadmapProgressApi(LearnerApi):
    @extend_schema(
        responses=RoadmapProgressSerializer,
        examples=[OpenApiExample(
            "Halfway", response_only=True,
            value={"roadmap": "al-mamari-machine-learning-roadmap", "total": 86, "done": 40, "skipped": 3,
                   "in_progress": 2, "not_started": 41, "percent": 50, "following": True},
        )],
    )
    def get(self, request, slug: str):
        roadmap = get_object_or_404(Roadmap, slug=slug)
        progress = roadmaps_progress(request.user, [roadmap])[roadmap.pk]
        data = RoadmapProgressSerializer(
            {**vars(progress), "not_started": progress.not_started, "percent": progress.percent,
             "following": is_following(request.user, roadmap)}
        ).data
        return Response(data)


class FollowApi(LearnerApi):
    @extend_schema(request=None, responses={200: OpenApiResponse(inline_serializer("Following", {
        "roadmap": serializers.SlugField(), "following": serializers.BooleanField(),
    }), description="Now following.")})
    def put(self, request, slug: str):
        roadmap = get_object_or_404(Roadmap, slug=slug)
        follow_roadmap(learner=request.user, roadmap=roadmap)
        return Response({"roadmap": roadmap.slug, "following": True})

    @extend_schema(responses={204: OpenApiResponse(description="No longer following.")})
    def delete(self, request, slug: str):
        roadmap = get_object_or_404(Roadmap, slug=slug)
        unfollow_roadmap(learner=request.user, roadmap=roadmap)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FollowListApi(generics.ListAPIView):
    """The roadmaps the learner follows."""

    permission_classes = [IsAuthenticated]
    serializer_class = FollowOutSerializer

    def get_queryset(self):
        return Follow.objects.filter(learner=self.request.user).select_related("roadmap")


class NoteListApi(generics.ListAPIView):
    """The learner's notes on every topic."""

    permission_classes = [IsAuthenticated]
    serializer_class = NoteOutSerializer

    def get_queryset(self):
        return TopicNote.objects.filter(learner=self.request.user).select_related("topic").order_by("topic__slug")


class NoteDetailApi(LearnerApi):
    @extend_schema(responses={200: NoteOutSerializer, 404: error("No such topic, or no note on it.")})
    def get(self, request, topic_slug: str):
        topic = get_object_or_404(Topic, slug=topic_slug)
        note = note_of(request.user, topic)
        if note is None:
            return Response({"detail": "You have no note on this topic."}, status=status.HTTP_404_NOT_FOUND)
        return Response(NoteOutSerializer(note).data)

    @extend_schema(
        request=NoteInSerializer,
        responses={200: NoteOutSerializer, 400: UNKNOWN_TOPIC},
        examples=[OpenApiExample("Write", value={"body": "Remember: **standardise** before PCA."}, request_only=True)],
    )
    def put(self, request, topic_slug: str):
        data = NoteInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        topic = topic_for_write(topic_slug)
        note = save_note(learner=request.user, topic=topic, body=data.validated_data["body"])
        if note is None:
            raise ValidationError({"body": ["The note is empty: use DELETE to remove a note."]})
        return Response(NoteOutSerializer(note).data)

    @extend_schema(responses={204: OpenApiResponse(description="Deleted (or there was none).")})
    def delete(self, request, topic_slug: str):
        topic = get_object_or_404(Topic, slug=topic_slug)
        save_note(learner=request.user, topic=topic, body="")
        return Response(status=status.HTTP_204_NO_CONTENT)


class TickListApi(generics.ListAPIView):
    """Resources the learner has read or watched."""

    permission_classes = [IsAuthenticated]
    serializer_class = TickOutSerializer

    def get_queryset(self):
        return (
            ResourceTick.objects.filter(learner=self.request.user)
            .select_related("resource__topic")
            .order_by("-created_at")
        )


class TickApi(LearnerApi):
    @extend_schema(request=None, responses={200: OpenApiResponse(inline_serializer("Ticked", {
        "resource": serializers.IntegerField(), "ticked": serializers.BooleanField(),
    }), description="Ticked."), 400: UNKNOWN_RESOURCE})
    def put(self, request, resource_id: int):
        resource = resource_for_write(resource_id)
        tick_resource(learner=request.user, resource=resource)
        return Response({"resource": resource.pk, "ticked": True})

    @extend_schema(responses={204: OpenApiResponse(description="Unticked."), 400: UNKNOWN_RESOURCE})
    def delete(self, request, resource_id: int):
        resource = resource_for_write(resource_id)
        untick_resource(learner=request.user, resource=resource)
        return Response(status=status.HTTP_204_NO_CONTENT)
