from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learner progress"

    def ready(self):
        from . import activity  # noqa: F401 - connects the journal to what quizzes announce
