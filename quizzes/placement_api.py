from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_schema import error, invalid
from config.rate_limits import QUIZ_START, WriteThrottle
from config.strict_input import body_of_own_object
from roadmap.models import Roadmap

from .answers import InvalidAnswers
from .models import PlacementSession
from .placement_sessions import (
    PlacementError,
    answer_placement,
    confirm_placement,
    placement_of,
    placement_progress,
    proposal_of,
    served_question,
    start_placement,
)
from .serializers import PlacementAnswerInSerializer, PlacementConfirmInSerializer, PlacementSerializer


def placement_body(session: PlacementSession) -> dict:
    return PlacementSerializer({
        "id": session.pk, "roadmap": session.roadmap.slug, "started_at": session.started_at,
        "finished_at": session.finished_at, "confirmed_at": session.confirmed_at, **placement_progress(session),
        "question": served_question(session), "proposal": proposal_of(session),
        "confirmed_topics": session.state.get("confirmed", []),
    }).data


def _refused(error: PlacementError | InvalidAnswers) -> ValidationError:
    if isinstance(error, InvalidAnswers):
        problems: dict[str, list[str]] = {}
        for problem in error.problems:
            problems.setdefault(problem.field, []).append(problem.sentence)
        return ValidationError(problems)
    return ValidationError(error.errors)


SERVED = {"id": 12, "roadmap": "ml-notes-roadmap", "started_at": "2026-12-04T10:00:00Z", "finished_at": None,
          "confirmed_at": None, "asked": 0, "max_questions": 15, "finished": False, "confirmed": False,
          "question": {"id": 7, "type": "single", "prompt": "Which metric ...?", "prompt_html": "<p>Which ...</p>",
                       "choices": [{"id": 31, "text": "Recall", "text_html": "Recall"}]},
          "proposal": [], "confirmed_topics": []}


class StartPlacementApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [WriteThrottle]
    throttle_scope = QUIZ_START

    @extend_schema(
        request=None,
        responses={201: PlacementSerializer, 400: invalid("The roadmap has no questions."),
                   404: error("No such roadmap."),
                   429: error("Too many quizzes or placement tests started lately (scope quiz-start).")},
        examples=[OpenApiExample("Started", response_only=True, status_codes=["201"], value=SERVED)],
    )
    def post(self, request, slug: str):
        """Starts a placement test on the roadmap ("I know some of this"): at most 15 questions across its
        topics, each chosen where it tells most, ending with topics proposed done."""
        roadmap = get_object_or_404(Roadmap, slug=slug)
        try:
            session = start_placement(learner=request.user, roadmap=roadmap)
        except PlacementError as refused:
            raise _refused(refused) from None
        return Response(placement_body(session), status=status.HTTP_201_CREATED)


class PlacementDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PlacementSerializer, 404: error("No such placement test of yours.")})
    def get(self, request, session_id: int):
        """A placement test: the question asked now, or once finished the topics it proposes."""
        return Response(placement_body(placement_of(request.user, session_id)))


class PlacementAnswerApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PlacementAnswerInSerializer,
        responses={200: PlacementSerializer, 404: error("No such placement test of yours."),
                   400: invalid("Not the question asked now, an answer that does not fit it, or a finished test.")},
        examples=[OpenApiExample("Answer", request_only=True, value={"question": 7, "choices": [31]}),
                  OpenApiExample("I don't know", request_only=True, value={"question": 7, "dont_know": True})],
    )
    def post(self, request, session_id: int):
        """Answers the question asked now; returns the test with its next question, or finished with its
        proposal. The same answer sent twice is graded once."""
        data = body_of_own_object(PlacementAnswerInSerializer, request,
                                  own_object=lambda: placement_of(request.user, session_id))
        answer = None if data.get("dont_know") else {k: v for k, v in data.items() if k != "dont_know"}
        try:
            answering = answer_placement(learner=request.user, session_id=session_id, question=data["question"],
                                         answer=answer)
        except (PlacementError, InvalidAnswers) as refused:
            raise _refused(refused) from None
        return Response(placement_body(answering.session))


class PlacementConfirmApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PlacementConfirmInSerializer,
        responses={200: PlacementSerializer, 404: error("No such placement test of yours."),
                   400: invalid("A topic not in the proposal, a test not finished, or one confirmed already.")},
        examples=[OpenApiExample("Confirm", request_only=True, value={"topics": ["linear-regression"]})],
    )
    def post(self, request, session_id: int):
        """Marks the chosen proposed topics done; what was answered on them becomes review cards, as after a
        quiz. Once per test."""
        data = body_of_own_object(PlacementConfirmInSerializer, request,
                                  own_object=lambda: placement_of(request.user, session_id))
        try:
            session = confirm_placement(learner=request.user, session_id=session_id, topics=data["topics"])
        except PlacementError as refused:
            raise _refused(refused) from None
        return Response(placement_body(session))
