from django.http import HttpResponse, JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_schema import error
from config.rate_limits import TOKEN_CREATE, WriteThrottle

from .deletion import delete_account
from .export import export_learner_data, review_log_csv
from .preferences import update_preferences
from .serializers import MeSerializer, NewTokenSerializer, TokenInSerializer, TokenOutSerializer
from .tokens import TooManyTokens, create_token, revoke_token

ME_EXAMPLE = OpenApiExample(
    "A learner",
    value={
        "email": "ada@example.com", "display_name": "Ada", "time_zone": "Europe/London", "reminder_time": "18:30",
        "reminders_enabled": True, "theme": "system", "date_joined": "2026-11-01T09:00:00Z",
    },
    response_only=True,
)


class MeApi(APIView):
    """The signed-in learner's profile and preferences."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer, examples=[ME_EXAMPLE])
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(
        request=MeSerializer,
        responses=MeSerializer,
        examples=[
            OpenApiExample("Move to Tokyo, remind at 7:30", value={"time_zone": "Asia/Tokyo", "reminder_time": "07:30"},
                           request_only=True),
            ME_EXAMPLE,
        ],
    )
    def patch(self, request):
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = update_preferences(user=request.user, changes=dict(serializer.validated_data))
        return Response(MeSerializer(user).data)

    @extend_schema(responses={204: OpenApiResponse(description="The account and all its data are deleted.")})
    def delete(self, request):
        delete_account(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeExportApi(APIView):
    """Everything Ascent holds about the learner, as one JSON download."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A JSON document of all the learner's data.")}
    )
    def get(self, request):
        response = JsonResponse(export_learner_data(request.user), json_dumps_params={"indent": 2})
        response["Content-Disposition"] = 'attachment; filename="ascent-export.json"'
        return response


class MeReviewLogCsvApi(APIView):
    """The learner's review history as CSV, in the FSRS optimizer's revlog layout (the srs-benchmark reads it)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR,
                description=(
                    "One row per review: card_id, review_time (ms since the epoch), review_rating (1 Again to "
                    "4 Easy), review_state (the card's state before it: 0 new, 1 learning, 2 review, 3 relearning), "
                    "review_duration (ms, empty when not timed), elapsed_days (local days since the card's "
                    "previous review, -1 for its first)."
                ),
            )
        }
    )
    def get(self, request):
        response = HttpResponse(review_log_csv(request.user), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="ascent-reviews.csv"'
        return response


class TokenListApi(APIView):
    """Personal API tokens: list them, or create one (its key is returned once)."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [WriteThrottle]
    throttle_scope = TOKEN_CREATE

    @extend_schema(responses=TokenOutSerializer(many=True))
    def get(self, request):
        return Response(TokenOutSerializer(request.user.api_tokens.all(), many=True).data)

    @extend_schema(
        request=TokenInSerializer,
        responses={201: NewTokenSerializer,
                   429: error("Too many tokens created lately (scope token-create): wait and try again.")},
        examples=[OpenApiExample("Name it", value={"name": "my study script"}, request_only=True)],
    )
    def post(self, request):
        data = TokenInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            new = create_token(user=request.user, name=data.validated_data["name"])
        except TooManyTokens as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        body = TokenOutSerializer(new.token).data | {"key": new.key}
        return Response(body, status=status.HTTP_201_CREATED)


class TokenDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={204: OpenApiResponse(description="Revoked."), 404: error("No such token.")}
    )
    def delete(self, request, token_id: int):
        if not revoke_token(user=request.user, token_id=token_id):
            return Response({"detail": "No such token."}, status=status.HTTP_404_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
