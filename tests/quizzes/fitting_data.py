"""A learner's cards and review logs made from bench/fitting/simulation.py's simulated learner."""

from bench.fitting.simulation import simulate_histories
from quizzes.models import Card, Question, ReviewLog, ReviewSource
from roadmap.models import Topic
from tests.conftest import quiz_with_more_questions

CARDS = 72  # with 200 days and seed 3, 635 review logs, on which a fit beats the defaults by 0.028 of log loss


def simulated_content(small_content):
    small_content.questions("vectors", quiz_with_more_questions(CARDS))
    small_content.load()
    return small_content


def add_simulated_reviews(learner, *, cards: int = CARDS, days: int = 200, seed: int = 3) -> int:
    questions = list(Question.objects.filter(topic=Topic.objects.get(slug="vectors")).order_by("pk")[:cards])
    histories = simulate_histories(cards=len(questions), days=days, seed=seed)
    made = Card.objects.bulk_create(
        Card(learner=learner, question=q, state=2, stability=5.0, difficulty=5.0, due=h[-1][0], last_review=h[-1][0])
        for q, h in zip(questions, histories, strict=True)
    )
    logs = [
        ReviewLog(card=card, rating=rating, reviewed_at=at, correct=rating > 1, source=ReviewSource.REVIEW,
                  scheduled=True)
        for card, history in zip(made, histories, strict=True) for at, rating in history
    ]
    ReviewLog.objects.bulk_create(logs)
    return len(logs)
