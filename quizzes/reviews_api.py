from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_schema import error, invalid
from config.strict_input import body_of_own_object

from .answer_input import plain_review_answer
from .answers import InvalidAnswers
from .models import Rating
from .reviews import (
    Queue,
    answer_card,
    card_of,
    due_cards,
    due_count,
    forecast_days,
    next_due,
    queue_cards,
    queue_count,
    review_items,
)
from .scheduling import NotTooEasy, mark_too_easy
from .serializers import (
    DueSerializer,
    ForecastSerializer,
    ReviewAnswerInSerializer,
    ReviewOutcomeSerializer,
    ReviewQueueSerializer,
)
from .write_bodies import review_outcome_body


def rating_name(rating: int) -> str:
    return Rating(rating).label.lower()


class ReviewDueApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("topic", OpenApiTypes.STR, description="Only this topic's cards.")],
        responses=DueSerializer,
    )
    def get(self, request):
        """The learner's due cards as questions, without answers, the most overdue first."""
        topic = request.query_params.get("topic") or None
        count = due_count(request.user, topic_slug=topic)
        cards = [{"card": card, "item": item} for card, item in review_items(due_cards(request.user, topic_slug=topic))]
        return Response(DueSerializer({
            "count": count, "next_due": None if count else next_due(request.user, topic_slug=topic), "cards": cards,
        }).data)


TOPIC_PARAMETER = OpenApiParameter("topic", OpenApiTypes.STR, description="Only this topic's cards.")


class ReviewQueueApi(APIView):
    """A queue of cards beside the due one, answered through POST /api/reviews/{card_id}/answer/."""

    permission_classes = [IsAuthenticated]
    queue: Queue

    def get(self, request):
        topic = request.query_params.get("topic") or None
        cards = queue_cards(request.user, queue=self.queue, topic_slug=topic)
        return Response(ReviewQueueSerializer({
            "count": queue_count(request.user, queue=self.queue, topic_slug=topic),
            "cards": [{"card": card, "item": item} for card, item in review_items(cards)],
        }).data)


class ReviewRelearnApi(ReviewQueueApi):
    queue = Queue.RELEARN

    @extend_schema(parameters=[TOPIC_PARAMETER], responses=ReviewQueueSerializer)
    def get(self, request):
        """Cards missed today (reviewed today, wrong last), to answer again until right. Their schedule moved
        with today's first review: answering again is logged but moves nothing."""
        return super().get(request)


class ReviewAheadApi(ReviewQueueApi):
    queue = Queue.AHEAD

    @extend_schema(parameters=[TOPIC_PARAMETER], responses=ReviewQueueSerializer)
    def get(self, request):
        """Cards not due yet and not reviewed today, the soonest first: practice ahead. An answer is the card's
        review for the day and moves its schedule once, as FSRS schedules an early review."""
        return super().get(request)


class ReviewAnswerApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ReviewAnswerInSerializer,
        responses={200: ReviewOutcomeSerializer, 400: invalid("A bad answer."), 404: error("No such card of yours.")},
        examples=[
            OpenApiExample("A choice", value={"choices": [31], "time_ms": 8200}, request_only=True),
            OpenApiExample("A number", value={"value": 0.75}, request_only=True),
            OpenApiExample("Outcome", response_only=True, value={
                "correct": True, "points": 1.0, "rating": "good", "next_due": "2026-11-25T09:12:00Z",
                "explanation": "precision = TP / (TP + FP) ...", "explanation_html": "<p>precision = ...</p>",
                "correct_choices": [31], "correct_value": None, "repeated": False}),
        ],
    )
    def post(self, request, card_id: int):
        """Grades the answer on the server and reschedules the card (the first review of the day counts)."""
        answer = body_of_own_object(
            ReviewAnswerInSerializer, request, own_object=lambda: card_of(request.user, card_id),
            plain=plain_review_answer,
        )
        try:
            outcome = answer_card(learner=request.user, card_id=card_id, answer=answer)
        except InvalidAnswers as error:
            raise ValidationError({"answer": [problem.message for problem in error.problems]}) from None
        return Response(review_outcome_body(outcome))


class ReviewEasyApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={
        200: inline_serializer("ReratedEasy", {"rating": serializers.ChoiceField(choices=["easy"]),
                                               "next_due": serializers.DateTimeField()}),
        400: invalid("The last review was not right."),
    })
    def post(self, request, card_id: int):
        """“Too easy”: after a right answer, re-rates the card's review as Easy so it comes back later."""
        card = card_of(request.user, card_id)
        try:
            mark_too_easy(learner=request.user, card=card)
        except NotTooEasy as error:
            raise ValidationError({"card": [str(error)]}) from None
        card.refresh_from_db()
        return Response({"rating": "easy", "next_due": card.due})


class ReviewForecastApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ForecastSerializer)
    def get(self, request):
        """Cards due now, and on each of the next seven days in the learner's time zone, each day marked if it is
        a light weekday or inside a holiday pause (what falls due in a pause counts on the day after it)."""
        return Response(ForecastSerializer({
            "due_now": due_count(request.user), "days": forecast_days(request.user),
        }).data)
