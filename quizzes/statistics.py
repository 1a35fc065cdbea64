"""Item statistics per question, over learners' first attempts at a topic (as Moodle computes them).

- facility: the mean score on the question (0 to 1): how easy it is;
- discrimination: the Pearson correlation between the question's score and the rest of the attempt's
  score: whether learners who do well overall also get this one right;
- needs checking: discrimination under 0.3, or facility under 0.2 or over 0.95, once at least
  MIN_ATTEMPTS first attempts exist (fewer say nothing reliable).

Computed in SQL from sums in one grouped query, so the admin list can sort by them.
"""

from dataclasses import dataclass

from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Greatest, NullIf, Sqrt

MIN_ATTEMPTS = 5
LOW_DISCRIMINATION = 0.3
LOW_FACILITY = 0.2
HIGH_FACILITY = 0.95


def with_item_statistics(questions: QuerySet) -> QuerySet:
    """Annotates stat_attempts, facility and discrimination (None where undefined)."""
    first = Q(answers__attempt__is_first=True)
    x = F("answers__points")
    y = F("answers__attempt__score") - F("answers__points")  # the rest of the attempt
    real = FloatField()
    annotated = questions.annotate(
        stat_attempts=Count("answers", filter=first),
        _sx=Sum(x, filter=first, output_field=real),
        _sy=Sum(y, filter=first, output_field=real),
        _sxx=Sum(x * x, filter=first, output_field=real),
        _syy=Sum(y * y, filter=first, output_field=real),
        _sxy=Sum(x * y, filter=first, output_field=real),
    ).annotate(_n=Cast("stat_attempts", real))
    covariance = ExpressionWrapper(F("_n") * F("_sxy") - F("_sx") * F("_sy"), output_field=real)
    var_x = ExpressionWrapper(F("_n") * F("_sxx") - F("_sx") * F("_sx"), output_field=real)
    var_y = ExpressionWrapper(F("_n") * F("_syy") - F("_sy") * F("_sy"), output_field=real)
    # Rounding can make a zero variance slightly negative: clamp before the square root, and leave the
    # correlation undefined (NULL) when either side does not vary.
    spread = Sqrt(NullIf(Greatest(ExpressionWrapper(var_x * var_y, output_field=real), Value(0.0)), Value(0.0)))
    return annotated.annotate(
        facility=ExpressionWrapper(F("_sx") / NullIf(F("_n"), Value(0.0)), output_field=real),
        discrimination=ExpressionWrapper(covariance / spread, output_field=real),
    )


@dataclass(frozen=True)
class ItemVerdict:
    needs_checking: bool
    reasons: tuple[str, ...]


def verdict(*, attempts: int, facility: float | None, discrimination: float | None) -> ItemVerdict:
    if attempts < MIN_ATTEMPTS:
        return ItemVerdict(False, (f"fewer than {MIN_ATTEMPTS} first attempts",))
    reasons = []
    if facility is not None and facility < LOW_FACILITY:
        reasons.append("too hard (facility under 0.2)")
    if facility is not None and facility > HIGH_FACILITY:
        reasons.append("too easy (facility over 0.95)")
    if discrimination is not None and discrimination < LOW_DISCRIMINATION:
        reasons.append("weak or misleading (discrimination under 0.3)")
    return ItemVerdict(bool(reasons), tuple(reasons))
