"""The embedded default of `make run`: the content migrates and loads on SQLite too, search falls back, and the
writes take the ORM path (quizzes/single_statement.py is PostgreSQL's)."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_content_loads_on_sqlite(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env["ASCENT_DATA_DIR"] = str(tmp_path)
    root = Path(settings.BASE_DIR)

    def manage(*args):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=root, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    manage("migrate", "--noinput", "-v", "0")
    assert "Loaded" in manage("load_content")
    assert manage("load_content").startswith("No changes")
    found = manage(
        "shell", "-c",
        "from roadmap.search import search_topics; print(search_topics('gradient').values_list('slug', flat=True)[0])",
    )
    assert found.strip().splitlines()[-1] == "gradient-descent"
    # No trigrams on SQLite, but word beginnings match: "grad desc" finds Gradient Descent, "desc grad" too.
    found = manage(
        "shell", "-c",
        "from roadmap.search import search_topics as s; print(s('grad desc')[0].slug, s('desc grad')[0].slug)",
    )
    assert found.strip().splitlines()[-1] == "gradient-descent gradient-descent"
    assert (tmp_path / "ascent.sqlite3").exists()

    # A quiz started, submitted (twice: graded once) and a card reviewed, through the ORM path.
    outcome = manage("shell", "-c", WRITES)
    assert outcome.strip().splitlines()[-1] == "True False True 1 2"


WRITES = """
from django.contrib.auth import get_user_model
from learning.models import Activity
from quizzes.attempts import served_items, start_attempt, submit_attempt
from quizzes.models import Card, ReviewLog
from quizzes.reviews import answer_card
from roadmap.models import Topic

learner = get_user_model().objects.create_user(email="s@example.com", password="sqlite-password-1")
attempt = start_attempt(learner=learner, topic=Topic.objects.filter(questions__active=True).first())
def answer(item):
    return {"choices": [item.choices[0].id]} if item.choices else {"value": 1.0}
answers = [{"question": item.id, **answer(item)} for item in served_items(attempt)]
first = submit_attempt(learner=learner, attempt_id=attempt.pk, answers=answers)
again = submit_attempt(learner=learner, attempt_id=attempt.pk, answers=answers)
card = Card.objects.filter(learner=learner).order_by("pk").first()
item = next(item for item in served_items(attempt) if item.id == card.question_id)
answer_card(learner=learner, card_id=card.pk, answer=answer(item))
logs = ReviewLog.objects.filter(card__learner=learner)
print(first.graded_now, again.graded_now, Card.objects.filter(learner=learner).count() == len(answers),
      logs.filter(source="review").count(), Activity.objects.filter(learner=learner).count())
"""
