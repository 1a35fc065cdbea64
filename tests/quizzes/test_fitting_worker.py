"""Integration: a fit asked for through the API is made by a real Celery worker from the throwaway Redis."""


from quizzes.models import ParameterFit

from .fitting_data import add_simulated_reviews, simulated_content
from .test_reminder_worker import pytestmark as worker_marks
from .test_reminder_worker import wait_for, worker  # noqa: F401 - the fixture

pytestmark = worker_marks


def test_a_fit_on_demand_is_made_by_the_worker(worker, api, small_content, alice):  # noqa: F811
    simulated_content(small_content)
    add_simulated_reviews(alice)
    api.force_authenticate(alice)
    assert api.post("/api/me/scheduler/fit/").status_code == 202
    wait_for(lambda: ParameterFit.objects.filter(learner=alice).exists(), timeout=60)
    alice.refresh_from_db()  # force_authenticate keeps the object it was given: a request would read the row
    data = api.get("/api/me/scheduler/").json()
    assert data["fitted"] is True and data["fits"][0]["adopted"] is True
