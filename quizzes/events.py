"""What quizzes announce to the rest of Ascent: a quiz was submitted, a card was reviewed.

quizzes sits below learning (whose pages show memory and due reviews), so it does not write the learner's
activity journal itself: learning/activity.py listens and records. Receivers run synchronously, in the
transaction of the sender, so the journal's row commits with the grade or not at all.
"""

from django.dispatch import Signal

# Both are sent with: learner, topic_id, detail (a short text for the journal), at (when it happened).
quiz_submitted = Signal()
card_reviewed = Signal()
