"""Repairs numeric answers stored as NaN or ±infinity, then refuses them in the database.

The quiz form took `nan`, `inf` and `1e400` as numbers (issue 14) and stored them; the attempt's API detail then
failed with a 500 for good, since JSON has no NaN. Grading already treated such a value as no number at all:
0 points, not correct. The repair stores what grading saw: the value becomes NULL (a blank answer, which is
how the result pages then show it), with correct false and 0 points, so the attempt's score is unchanged.
"""

import math

from django.db import migrations, models
from django.db.models import Q

NOT_FINITE = Q(value=math.nan) | Q(value=math.inf) | Q(value=-math.inf)


def blank_answers_that_are_not_finite(apps, schema_editor):
    # In PostgreSQL NaN equals NaN (unlike IEEE 754), so `value = 'NaN'` finds those rows.
    apps.get_model("quizzes", "Answer").objects.filter(NOT_FINITE).update(value=None, correct=False, points=0.0)


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0004_reminderday_claim_token"),
    ]

    operations = [
        migrations.RunPython(blank_answers_that_are_not_finite, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="answer",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__isnull", True), models.Q(("value__gte", -1.7976931348623157e308),
                                                                     ("value__lte", 1.7976931348623157e308)),
                                   _connector="OR"),
                name="answer_value_finite",
            ),
        ),
    ]
