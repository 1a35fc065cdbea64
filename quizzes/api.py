from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_schema import error, invalid
from config.rate_limits import QUIZ_START, WriteThrottle
from config.strict_input import body_of_own_object

from .answer_input import plain_submit
from .answers import InvalidAnswers, listed
from .attempts import (
    QuizError,
    attempt_of,
    attempt_results,
    is_expired,
    serve_quiz,
    served_items,
    submit_attempt,
)
from .models import Attempt
from .serializers import (
    AttemptDetailSerializer,
    AttemptResultSerializer,
    AttemptSummarySerializer,
    ResultItemSerializer,
    ServedQuestionSerializer,
    StartedAttemptSerializer,
    SubmitInSerializer,
)
from .write_bodies import result_body, started_body


def attempt_status(attempt: Attempt) -> str:
    if attempt.submitted_at:
        return "submitted"
    return "expired" if is_expired(attempt) else "open"


class StartQuizApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [WriteThrottle]
    throttle_scope = QUIZ_START

    @extend_schema(
        request=None,
        responses={201: StartedAttemptSerializer, 400: invalid("The topic has no questions."),
                   429: error("Too many quizzes started lately (scope quiz-start): wait and try again.")},
        examples=[OpenApiExample("Served", response_only=True, status_codes=["201"], value={
            "id": 42, "topic": "classification-metrics", "started_at": "2026-11-21T10:00:00Z",
            "expires_at": "2026-11-22T10:00:00Z",
            "questions": [{"id": 7, "type": "single", "prompt": "Which metric ...?", "prompt_html": "<p>Which ...</p>",
                           "choices": [{"id": 31, "text": "Recall", "text_html": "Recall"},
                                       {"id": 29, "text": "Precision", "text_html": "Precision"}]}],
        })],
    )
    def post(self, request, slug: str):
        """Starts a quiz: up to ten of the topic's questions at random, choices shuffled, no answers."""
        try:
            quiz = serve_quiz(learner=request.user, topic_slug=slug)  # 404 for an unknown topic
        except QuizError as error:
            raise ValidationError(error.errors) from None
        return Response(started_body(quiz.attempt, topic_slug=slug, items=quiz.items), status=status.HTTP_201_CREATED)


class AttemptSubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=SubmitInSerializer,
        responses={200: AttemptResultSerializer, 400: invalid("Bad answers, or the attempt was submitted or expired."),
                   404: error("No such attempt of yours.")},
        examples=[OpenApiExample("Answers", request_only=True, value={"answers": [
            {"question": 7, "choices": [29]}, {"question": 9, "value": 0.75, "time_ms": 12000},
        ]})],
    )
    def post(self, request, attempt_id: int):
        """Grades the attempt once; sending the same answers again returns the same result."""
        data = body_of_own_object(SubmitInSerializer, request, own_object=lambda: attempt_of(request.user, attempt_id),
                                  plain=plain_submit)
        try:
            submission = submit_attempt(learner=request.user, attempt_id=attempt_id, answers=data["answers"])
        except InvalidAnswers as error:
            raise ValidationError({"answers": [listed(problem) for problem in error.problems]}) from None
        except QuizError as error:
            raise ValidationError(error.errors) from None
        return Response(result_body(submission.attempt, submission.results))


@extend_schema(parameters=[OpenApiParameter("topic", OpenApiTypes.STR, description="Only this topic's attempts.")])
class AttemptListApi(generics.ListAPIView):
    """The learner's own attempts, newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = AttemptSummarySerializer

    def get_queryset(self):
        attempts = Attempt.objects.filter(learner=self.request.user).select_related("topic").order_by("-started_at")
        if topic := self.request.query_params.get("topic"):
            attempts = attempts.filter(topic__slug=topic)
        return attempts

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        for attempt in page:
            attempt.status = attempt_status(attempt)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class AttemptDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: AttemptDetailSerializer, 404: error("No such attempt.")})
    def get(self, request, attempt_id: int):
        """One of the learner's attempts: its questions while open, its graded results once submitted."""
        attempt = attempt_of(request.user, attempt_id)
        attempt.status = attempt_status(attempt)
        body = AttemptSummarySerializer(attempt).data
        if attempt.status == "submitted":
            body["results"] = ResultItemSerializer(attempt_results(attempt), many=True).data
        elif attempt.status == "open":
            body["questions"] = ServedQuestionSerializer(served_items(attempt), many=True).data
        return Response(body)
