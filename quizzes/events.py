"""What quizzes announce to the rest of Ascent: a quiz was submitted, a card was reviewed, a placement test was
confirmed.

quizzes sits below learning (whose pages show memory and due reviews), so it writes neither the learner's
activity journal nor its topic statuses itself: learning/activity.py and learning/progress.py listen. Receivers
run synchronously, in the transaction of the sender, so what they write commits with the grade or not at all.

A receiver of quiz_submitted or card_reviewed does not save: it returns the rows it wants written (unsaved model
instances), and the sender inserts them with its own writes. On PostgreSQL these are one statement
(quizzes/single_statement.py), so a review or a submit costs no round trip per listener.
"""

from django.db import models
from django.dispatch import Signal

# Both are sent with: learner, topic_id, detail (a short text for the journal), at (when it happened).
quiz_submitted = Signal()
card_reviewed = Signal()
# Sent with: learner, topics (the Topic rows the learner confirmed it knows), at. learning marks them done.
placement_confirmed = Signal()


def rows_to_write(responses) -> list[models.Model]:
    """The unsaved rows that the receivers of a `send` returned, in the order they returned them."""
    rows = []
    for _receiver, response in responses:
        if isinstance(response, models.Model):
            rows.append(response)
        elif response:
            rows.extend(response)
    return rows
