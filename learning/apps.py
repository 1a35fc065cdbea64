from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learner progress"

    def ready(self):
        from . import activity, progress  # noqa: F401 - they record what quizzes announce (quizzes/events.py)
