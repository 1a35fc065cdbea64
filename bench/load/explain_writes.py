"""EXPLAIN (ANALYZE, BUFFERS) of every statement the three writes send: a review answer, a quiz start, a quiz
submit, each captured once, then explained in a transaction that is rolled back.

    scripts/with_test_services.sh bash -c 'python manage.py migrate -v0 && python manage.py load_content \
        && python bench/load/explain_writes.py > bench/load/explain-writes-DATE.txt'

A learner with three earlier quizzes on the topic with the most questions, among 300 others with 100 cards each
(so the card table is not tiny for the planner), its cards last reviewed two days ago so that the writes move them.
"""

import datetime
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from quizzes.attempts import serve_quiz, submit_attempt  # noqa: E402
from quizzes.models import Card, Question  # noqa: E402
from quizzes.reviews import answer_card  # noqa: E402
from roadmap.models import Topic  # noqa: E402

User = get_user_model()


def answers_for(items):
    return [{"question": i.id, "time_ms": 3000, **({"choices": [i.choices[0].id]} if i.choices else {"value": 1.0})}
            for i in items]


def captured(write) -> list[str]:
    """The statements `write()` sends, run once and rolled back."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        write()
        transaction.set_rollback(True)
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def explain(name: str, statements: list[str]) -> None:
    print(f"## {name}: {len(statements)} statements\n")
    for sql in statements:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
            transaction.set_rollback(True)
        print(" ".join(sql.split())[:300] + (" ..." if len(sql) > 300 else ""))
        print("\n".join("    " + line for line in plan), end="\n\n")


def main():
    learner = User.objects.create_user(email="explain@example.com", password="explain-password-1")
    topic = Topic.objects.annotate(n=Count("questions")).order_by("-n").first()
    for _ in range(3):
        quiz = serve_quiz(learner=learner, topic_slug=topic.slug)
        submit_attempt(learner=learner, attempt_id=quiz.attempt.pk, answers=answers_for(quiz.items))
    questions = list(Question.objects.all()[:100])
    others = User.objects.bulk_create([User(email=f"other{i}@example.com", password="!") for i in range(300)])
    Card.objects.bulk_create([Card(learner=o, question=q, due=timezone.now()) for o in others for q in questions])
    Card.objects.filter(learner=learner).update(last_review=timezone.now() - datetime.timedelta(days=2),
                                                due=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    card = Card.objects.filter(learner=learner, question__type="numeric").first() or Card.objects.filter(
        learner=learner).first()
    answer = {"value": 1.0, "time_ms": 2500} if card.question.type == "numeric" else {
        "choices": [card.question.choices.first().pk], "time_ms": 2500}
    explain("review answer", captured(lambda: answer_card(learner=learner, card_id=card.pk, answer=answer)))
    explain("quiz start", captured(lambda: serve_quiz(learner=learner, topic_slug=topic.slug)))
    quiz = serve_quiz(learner=learner, topic_slug=topic.slug)
    explain("quiz submit", captured(
        lambda: submit_attempt(learner=learner, attempt_id=quiz.attempt.pk, answers=answers_for(quiz.items))))


if __name__ == "__main__":
    main()
