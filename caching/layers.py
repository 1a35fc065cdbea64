"""Which cache layers are on: all of them, unless settings.CACHE_LAYERS_OFF names some (benchmarks and debugging)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LAYERS = ("anonymous_pages", "learner_pages", "fragments")


def is_on(layer: str) -> bool:
    off = settings.CACHE_LAYERS_OFF
    if not off:
        return True
    unknown = set(off) - set(LAYERS)
    if unknown:
        raise ImproperlyConfigured(f"CACHE_LAYERS_OFF names no cache layer: {', '.join(sorted(unknown))} "
                                   f"(the layers are {', '.join(LAYERS)})")
    return layer not in off
