import math
import sys

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from roadmap.models import Topic


class QuestionType(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple select"
    TRUE_FALSE = "true_false", "True or false"
    NUMERIC = "numeric", "Numeric"


CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE)


class ToleranceKind(models.TextChoices):
    ABSOLUTE = "absolute", "Absolute (± the tolerance)"
    RELATIVE = "relative", "Relative (± the tolerance × the answer)"


class Question(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=100, help_text="Stable id within the topic, from the content file.")
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    prompt = models.TextField(help_text="Markdown.")
    prompt_html = models.TextField(editable=False, default="")
    explanation = models.TextField(help_text="Markdown; shown after grading.")
    explanation_html = models.TextField(editable=False, default="")
    difficulty = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1), MaxValueValidator(5)])
    active = models.BooleanField(default=True)
    numeric_answer = models.FloatField(null=True, blank=True)
    tolerance = models.FloatField(null=True, blank=True)
    tolerance_kind = models.CharField(
        max_length=10, choices=ToleranceKind.choices, default=ToleranceKind.ABSOLUTE, blank=True
    )
    order = models.PositiveIntegerField(default=0)
    # Rasch difficulty (log-odds of a miss for an average learner), stepped by each placement answer
    # (quizzes/placement.py, `calibrated`); None until the question is first answered in a placement test.
    calibrated_difficulty = models.FloatField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["topic_id", "order"]
        constraints = [models.UniqueConstraint(fields=["topic", "key"], name="question_key_once_per_topic")]
        indexes = [models.Index(fields=["topic", "active"], name="question_topic_active")]

    def __str__(self):
        return f"{self.topic.title}: {self.key}"


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500, help_text="Short Markdown.")
    text_html = models.CharField(max_length=2000, editable=False, default="")
    is_correct = models.BooleanField(default=False)
    feedback = models.CharField(max_length=500, blank=True, help_text="Shown after grading next to this choice.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self):
        return self.text


class Attempt(models.Model):
    """One sitting of a topic's quiz: exactly which questions were served, in which order, and the result."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(default=0)
    # The learner's first submitted attempt on the topic: item statistics use only these, like Moodle's.
    is_first = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["learner", "topic", "-started_at"], name="attempt_learner_topic")]

    def __str__(self):
        return f"{self.learner} · {self.topic} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int | None:
        if self.score is None or not self.max_score:
            return None
        return math.floor(100 * self.score / self.max_score + 0.5)  # half up: 62.5% shows as 63%


class ServedQuestion(models.Model):
    """A question as it was served in an attempt: its position and its choices' shuffled order."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="served")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="served_once_per_attempt"),
            models.UniqueConstraint(fields=["attempt", "position"], name="served_position_unique"),
        ]

    def __str__(self):
        return f"#{self.position} of {self.attempt_id}"


class Answer(models.Model):
    """The learner's answer to one served question, graded: choices picked or the number given."""

    served = models.OneToOneField(ServedQuestion, on_delete=models.CASCADE, related_name="answer")
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    chosen = models.ManyToManyField(Choice, blank=True, related_name="+")
    value = models.FloatField(null=True, blank=True)
    correct = models.BooleanField()
    points = models.FloatField(validators=[MinValueValidator(0), MaxValueValidator(1)])
    time_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(points__gte=0) & Q(points__lte=1), name="answer_points_0_to_1"),
            # JSON has no NaN or infinity: a stored one made the attempt unreadable by the API. PostgreSQL orders
            # NaN above infinity, so the largest finite bounds refuse all three (and SQLite takes them as literals,
            # which it does not infinity).
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=-sys.float_info.max, value__lte=sys.float_info.max),
                name="answer_value_finite",
            ),
        ]
        indexes = [models.Index(fields=["question", "attempt"], name="answer_question_attempt")]

    def __str__(self):
        return f"{self.question} → {self.points:g}"


class CardState(models.IntegerChoices):
    LEARNING = 1, "Learning"
    REVIEW = 2, "Review"
    RELEARNING = 3, "Relearning"


class Card(models.Model):
    """A learner's memory of one question, scheduled by FSRS. Created at the learner's first answer to it."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="cards")
    state = models.PositiveSmallIntegerField(choices=CardState.choices, default=CardState.LEARNING)
    step = models.PositiveSmallIntegerField(null=True, blank=True)
    stability = models.FloatField(null=True, blank=True)
    difficulty = models.FloatField(null=True, blank=True)
    due = models.DateTimeField()
    last_review = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "question"], name="card_once_per_question")]
        indexes = [
            # "This learner's due cards", in due order (the review page, the due API, the forecast).
            models.Index(fields=["learner", "due"], name="card_learner_due"),
            # "Learners with a card due by now" (the reminder fan-out).
            models.Index(fields=["due", "learner"], name="card_due_learner"),
        ]

    def __str__(self):
        return f"{self.learner} · {self.question.key} · due {self.due:%Y-%m-%d %H:%M}"


class Rating(models.IntegerChoices):
    AGAIN = 1, "Again"
    HARD = 2, "Hard"
    GOOD = 3, "Good"
    EASY = 4, "Easy"


class ReviewSource(models.TextChoices):
    QUIZ = "quiz", "Quiz"
    REVIEW = "review", "Review"


class ReviewLog(models.Model):
    """Every review of a card, appended; `scheduled` says whether it changed the schedule (the first of the day)."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="logs")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    reviewed_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    correct = models.BooleanField()
    source = models.CharField(max_length=10, choices=ReviewSource.choices)
    scheduled = models.BooleanField()
    # The card as it was before this review: lets a "too easy" right after a right answer re-rate it.
    card_before = models.JSONField(null=True, blank=True)
    answer = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-reviewed_at"]
        indexes = [models.Index(fields=["card", "-reviewed_at"], name="reviewlog_card_at")]

    def __str__(self):
        return f"{self.card_id} · {self.get_rating_display()} · {self.reviewed_at:%Y-%m-%d %H:%M}"


class ReminderDay(models.Model):
    """The claim on one learner's reminder for one local day: the unique row makes the e-mail go once."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", "Claimed"
        SENT = "sent", "Sent"

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_days")
    local_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    claim_token = models.CharField(max_length=36)
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "local_date"], name="one_reminder_per_local_day")]
        indexes = [
            # "This chunk's claims" (sending and releasing a chunk): only claims in flight, not the learners'
            # whole history of sent reminders, which grows by a row per learner per day.
            models.Index(fields=["claim_token"], name="reminderday_claim_token", condition=Q(status="claimed")),
        ]

    def __str__(self):
        return f"{self.learner} · {self.local_date} · {self.status}"


class ScheduledRun(models.Model):
    """When a beat-scheduled task last ran: /healthz reports it, so a stopped beat or worker shows up."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} · {self.last_run_at:%Y-%m-%d %H:%M}"


class ParameterFit(models.Model):
    """One fit of a learner's FSRS parameters to its own reviews, with how well it and the defaults predicted
    the reviews held out of the fit (log loss of recall: lower is better). Adopted when it beat the defaults."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="parameter_fits")
    fitted_at = models.DateTimeField()
    review_logs = models.PositiveIntegerField()
    train_items = models.PositiveIntegerField()
    held_out_items = models.PositiveIntegerField()
    parameters = models.JSONField()
    log_loss_default = models.FloatField()
    log_loss_fitted = models.FloatField()
    adopted = models.BooleanField()

    class Meta:
        ordering = ["-fitted_at"]
        indexes = [models.Index(fields=["learner", "-fitted_at"], name="parameterfit_learner_at")]

    def __str__(self):
        return f"{self.learner} · {self.fitted_at:%Y-%m-%d} · {self.log_loss_default:.4f} → {self.log_loss_fitted:.4f}"


class PlacementSession(models.Model):
    """A placement test on a roadmap: a few questions across its topics, chosen one at a time where they tell
    most (quizzes/placement.py), ending with topics proposed done, which the learner confirms."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placements")
    roadmap = models.ForeignKey("roadmap.Roadmap", on_delete=models.CASCADE, related_name="placement_sessions")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    ability = models.FloatField(default=0.0, help_text="Rasch ability from the answers so far.")
    # The question served now and its choices' order, each topic's P(known), the questions' starting
    # difficulties, and once finished the proposal.
    state = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["learner", "roadmap", "-started_at"], name="placement_learner_roadmap")]

    def __str__(self):
        return f"{self.learner} · {self.roadmap} · {self.started_at:%Y-%m-%d %H:%M}"


class PlacementAnswer(models.Model):
    """One answer in a placement test, graded by the quiz's answer pipeline."""

    session = models.ForeignKey(PlacementSession, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="placement_answers")
    position = models.PositiveSmallIntegerField()
    answer = models.JSONField(default=dict, blank=True, help_text="What was answered, normalised.")
    correct = models.BooleanField()
    time_ms = models.PositiveIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["session", "position"], name="placement_answer_position_unique"),
            models.UniqueConstraint(fields=["session", "question"], name="placement_answer_once_per_question"),
        ]

    def __str__(self):
        return f"#{self.position} of {self.session_id} · {'right' if self.correct else 'wrong'}"
