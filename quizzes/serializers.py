import math

from rest_framework import serializers

from config.strict_input import StrictInput

from .answers import MAX_CHOICES, MAX_TIME_MS
from .models import QuestionType


class ServedChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    text_html = serializers.CharField()


class ServedQuestionSerializer(serializers.Serializer):
    """A question before submission: nothing here says which answer is right."""

    id = serializers.IntegerField()
    type = serializers.ChoiceField(choices=QuestionType.choices)
    prompt = serializers.CharField(help_text="Markdown.")
    prompt_html = serializers.CharField(help_text="The prompt rendered and sanitised.")
    choices = ServedChoiceSerializer(many=True, help_text="In the order served; empty for numeric questions.")


class StartedAttemptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    topic = serializers.SlugField()
    started_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    questions = ServedQuestionSerializer(many=True)


class ReviewAnswerInSerializer(StrictInput):
    """One answer: choice ids, or a number; the shape quizzes and reviews share."""

    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=MAX_CHOICES,
        help_text="Choice ids picked, for single, multiple and true/false questions (may be empty).",
    )
    value = serializers.FloatField(required=False, help_text="The number given, for numeric questions.")
    time_ms = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_TIME_MS, help_text="Time spent on the question."
    )

    def validate_value(self, value):
        if not math.isfinite(value):
            raise serializers.ValidationError("A finite number is required.")
        return value

    def validate(self, data):
        if ("choices" in data) == ("value" in data):
            raise serializers.ValidationError("Give either choices (a list of choice ids) or value (a number).")
        return data


class AnswerInSerializer(ReviewAnswerInSerializer):
    question = serializers.IntegerField(min_value=1)


class SubmitInSerializer(StrictInput):
    answers = serializers.ListField(child=AnswerInSerializer(), max_length=50)


class ResultChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    text_html = serializers.CharField()
    correct = serializers.BooleanField()
    picked = serializers.BooleanField()
    feedback = serializers.CharField(allow_blank=True)


class ResultItemSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="id")
    type = serializers.ChoiceField(choices=QuestionType.choices)
    prompt = serializers.CharField()
    prompt_html = serializers.CharField()
    correct = serializers.BooleanField(help_text="Full marks.")
    points = serializers.FloatField(help_text="0 to 1; multiple select earns partial credit.")
    your_choices = serializers.SerializerMethodField()
    correct_choices = serializers.SerializerMethodField()
    choices = ResultChoiceSerializer(many=True)
    your_value = serializers.FloatField(source="value", allow_null=True)
    correct_value = serializers.FloatField(allow_null=True)
    tolerance = serializers.FloatField(allow_null=True)
    tolerance_kind = serializers.CharField()
    explanation = serializers.CharField()
    explanation_html = serializers.CharField()

    def get_your_choices(self, item) -> list[int]:
        return [c.id for c in item.choices if c.picked]

    def get_correct_choices(self, item) -> list[int]:
        return [c.id for c in item.choices if c.correct]


class AttemptSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    topic = serializers.SlugField(source="topic.slug")
    status = serializers.ChoiceField(choices=["open", "submitted", "expired"])
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    max_score = serializers.IntegerField()
    percent = serializers.IntegerField(allow_null=True)


class AttemptResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    topic = serializers.SlugField()
    score = serializers.FloatField()
    max_score = serializers.IntegerField()
    percent = serializers.IntegerField()
    passed = serializers.BooleanField(help_text="80% or more: a good moment to mark the topic done.")
    submitted_at = serializers.DateTimeField()
    results = ResultItemSerializer(many=True)


class AttemptDetailSerializer(AttemptSummarySerializer):
    questions = ServedQuestionSerializer(many=True, required=False, help_text="While the attempt is open.")
    results = ResultItemSerializer(many=True, required=False, help_text="Once it is submitted.")


class DueCardSerializer(serializers.Serializer):
    card = serializers.IntegerField(source="card.pk")
    due = serializers.DateTimeField(source="card.due")
    topic = serializers.SlugField(source="card.question.topic.slug")
    question = ServedQuestionSerializer(source="item")


class DueSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Cards due now (this page shows the first 50).")
    next_due = serializers.DateTimeField(allow_null=True, help_text="When the next card falls due, if none is now.")
    cards = DueCardSerializer(many=True)


class ReviewQueueSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Cards in the queue (this page shows the first 50).")
    cards = DueCardSerializer(many=True)


class ReviewOutcomeSerializer(serializers.Serializer):
    correct = serializers.BooleanField()
    points = serializers.FloatField()
    rating = serializers.ChoiceField(choices=["again", "hard", "good", "easy"])
    next_due = serializers.DateTimeField()
    explanation = serializers.CharField()
    explanation_html = serializers.CharField()
    correct_choices = serializers.ListField(child=serializers.IntegerField())
    correct_value = serializers.FloatField(allow_null=True)
    repeated = serializers.BooleanField(help_text="True when this repeats an identical answer sent just before.")


class ForecastDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    due = serializers.IntegerField()
    light = serializers.BooleanField(help_text="One of the learner's light weekdays: reviews avoid it when they can.")
    paused = serializers.BooleanField(help_text="Inside the learner's holiday pause: nothing is due, no reminder.")


class ForecastSerializer(serializers.Serializer):
    due_now = serializers.IntegerField()
    days = ForecastDaySerializer(many=True, help_text="The next 7 days in the learner's time zone; today "
                                                     "includes everything overdue.")


class PlacementAnswerInSerializer(StrictInput):
    """One answer to the question a placement test asks now: choices, a number, or "I don't know"."""

    question = serializers.IntegerField(min_value=1, help_text="The question served (its id).")
    choices = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=MAX_CHOICES,
        help_text="Choice ids picked, for single, multiple and true/false questions.",
    )
    value = serializers.FloatField(required=False, help_text="The number given, for numeric questions.")
    dont_know = serializers.BooleanField(required=False, help_text="True: the learner does not know (a miss).")
    time_ms = serializers.IntegerField(
        required=False, min_value=0, max_value=MAX_TIME_MS, help_text="Time spent on the question."
    )

    def validate_value(self, value):
        if not math.isfinite(value):
            raise serializers.ValidationError("A finite number is required.")
        return value

    def validate(self, data):
        given = [name for name in ("choices", "value") if name in data]
        if data.get("dont_know"):
            given.append("dont_know")
        if len(given) != 1:
            raise serializers.ValidationError(
                "Give exactly one of choices (a list of choice ids), value (a number) or dont_know (true)."
            )
        return data


class PlacementConfirmInSerializer(StrictInput):
    topics = serializers.ListField(
        child=serializers.SlugField(), max_length=500, allow_empty=True,
        help_text="Slugs of proposed topics to mark done (any of the proposal, or none).",
    )


class ProposedTopicSerializer(serializers.Serializer):
    topic = serializers.SlugField()
    title = serializers.CharField()
    confidence = serializers.FloatField(help_text="The estimated probability that the learner knows it.")


class PlacementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    roadmap = serializers.SlugField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    asked = serializers.IntegerField(help_text="Questions answered so far.")
    max_questions = serializers.IntegerField()
    finished = serializers.BooleanField()
    confirmed = serializers.BooleanField()
    question = ServedQuestionSerializer(allow_null=True, help_text="The question to answer now; null once finished.")
    proposal = ProposedTopicSerializer(many=True, help_text="Once finished: topics to mark done, in roadmap order.")
    confirmed_topics = serializers.ListField(child=serializers.SlugField(), help_text="Once confirmed.")
