from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tooling (make_load_data, the bare reference view): installed only by bench/settings.py."""

    name = "bench"
    default_auto_field = "django.db.models.BigAutoField"
