"""The learner's FSRS parameters: which are in use, the fits made, a fit on demand, back to the defaults."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api_schema import error, invalid
from config.strict_input import StrictInput

from . import balancing, fitting, workload
from .tasks import fit_learner_parameters


class FitOut(serializers.Serializer):
    fitted_at = serializers.DateTimeField()
    review_logs = serializers.IntegerField(help_text="Review logs the fit read.")
    held_out_items = serializers.IntegerField(help_text="Later reviews kept out of the fit, to score it on.")
    log_loss_default = serializers.FloatField(help_text="How well FSRS-6's defaults predicted those (lower is better).")
    log_loss_fitted = serializers.FloatField(help_text="How well the fitted parameters predicted them.")
    adopted = serializers.BooleanField(help_text="Used for scheduling: it predicted better than the defaults.")


class SchedulerOut(serializers.Serializer):
    parameters = serializers.ListField(child=serializers.FloatField(), help_text="The 21 FSRS-6 parameters in use.")
    fitted = serializers.BooleanField(help_text="Fitted to this learner's reviews; false: FSRS-6's defaults.")
    review_logs = serializers.IntegerField()
    min_review_logs = serializers.IntegerField(help_text="Review logs a fit needs.")
    fits = FitOut(many=True, help_text="The latest fits, newest first.")
    light_weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=balancing.WEEKDAYS),
        help_text="Weekdays that get as few reviews as the schedule allows, Monday first (mon ... sun).")
    reviews_paused_until = serializers.DateField(
        allow_null=True, help_text="The last local day of a holiday pause (no reviews due, no reminders), or null.")


class DaysOffIn(StrictInput):
    """The learner's light weekdays and holiday pause; a field left out stays as it is."""

    light_weekdays = serializers.ListField(
        child=serializers.ChoiceField(choices=balancing.WEEKDAYS), required=False, max_length=7,
        help_text="Light weekdays (mon ... sun); at least one weekday must stay normal. [] for none.")
    reviews_paused_until = serializers.DateField(
        allow_null=True, required=False,
        help_text=f"Pause reviews and reminders until this local day included, today to {balancing.MAX_PAUSE_DAYS} "
                  "days ahead; what falls due in it comes back spread over the days after. null resumes now.")


def scheduler_out(learner) -> dict:
    state = fitting.scheduler_state(learner=learner)
    return SchedulerOut({**vars(state), "light_weekdays": balancing.weekday_names(learner),
                         "reviews_paused_until": learner.reviews_paused_until}).data


class SchedulerApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SchedulerOut)
    def get(self, request):
        """The FSRS parameters that schedule the learner's reviews, its latest fits, its light weekdays and
        holiday pause."""
        return Response(scheduler_out(request.user))

    @extend_schema(request=DaysOffIn, responses={200: SchedulerOut, 400: invalid("A setting that cannot be used.")})
    def patch(self, request):
        """Sets the learner's light weekdays and/or its holiday pause; the fields left out stay as they are."""
        days_off = DaysOffIn(data=request.data)
        days_off.is_valid(raise_exception=True)
        changes = {"light": days_off.validated_data.get("light_weekdays", balancing.KEEP),
                   "until": days_off.validated_data.get("reviews_paused_until", balancing.KEEP)}
        try:
            balancing.change_days_off(learner=request.user, **changes)
        except balancing.DaysOffRefused as refused:
            raise ValidationError({refused.field: [str(refused)]}) from None
        return Response(scheduler_out(request.user))

    @extend_schema(responses={200: SchedulerOut})
    def delete(self, request):
        """Back to FSRS-6's default parameters for new scheduling (past fits stay on record)."""
        fitting.reset_parameters(learner=request.user)
        return Response(scheduler_out(request.user))


class SchedulerFitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            202: OpenApiResponse(description="The fit is queued: GET /api/me/scheduler/ shows it when done."),
            400: error("Fewer review logs than a fit needs."),
            429: error("A fit was made minutes ago."),
        },
    )
    def post(self, request):
        """Fits the learner's FSRS parameters to its own reviews now (in the background)."""
        try:
            fitting.request_fit(learner=request.user, enqueue=fit_learner_parameters.delay)
        except fitting.NotEnoughReviews as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_400_BAD_REQUEST)
        except fitting.FitTooSoon as refused:
            response = Response({"detail": str(refused)}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            response["Retry-After"] = str(int(refused.wait.total_seconds()) + 1)
            return response
        return Response(status=status.HTTP_202_ACCEPTED)


class WorkloadOptionOut(serializers.Serializer):
    desired_retention = serializers.FloatField()
    reviews = serializers.IntegerField(help_text="Reviews the learner's cards would need over the horizon.")
    reviews_per_day = serializers.FloatField()


class WorkloadOut(serializers.Serializer):
    days = serializers.IntegerField(help_text="The horizon simulated, in days from today.")
    current_retention = serializers.FloatField()
    options = WorkloadOptionOut(many=True)


class SchedulerWorkloadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=WorkloadOut)
    def get(self, request):
        """What each desired retention would cost: reviews a day over the next 90 days for the learner's cards,
        simulated with its FSRS parameters. Choose one with PATCH /api/me/ {"desired_retention": ...}."""
        options = workload.cached_workload_forecast(learner=request.user)
        return Response(WorkloadOut({"days": workload.HORIZON_DAYS, "current_retention": request.user.desired_retention,
                                     "options": options}).data)
