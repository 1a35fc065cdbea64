"""Redis full: docker-compose.yml caps its memory with a policy that evicts cache entries (they all expire)
and never the Celery queues (which do not): writes to the cache keep succeeding, no task is lost."""

from pathlib import Path

import redis
import yaml

from caching.redis_backend import DegradingRedisCache

from .services import RedisServer

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"


def compose_redis_options() -> dict[str, str]:
    command = yaml.safe_load(COMPOSE.read_text())["services"]["redis"]["command"]
    return {flag: value for flag, value in zip(command[1::2], command[2::2], strict=True)}


def test_compose_caps_redis_memory():
    options = compose_redis_options()
    assert options["--maxmemory"] == "${REDIS_MAXMEMORY:-256mb}"
    assert options["--maxmemory-policy"] == "volatile-lru"


def test_a_full_redis_evicts_cache_entries_and_keeps_the_queue():
    policy = compose_redis_options()["--maxmemory-policy"]
    server = RedisServer(options=["--maxmemory", "4mb", "--maxmemory-policy", policy]).start()
    try:
        broker = redis.Redis.from_url(f"{server.url}/0")
        broker.rpush("celery", *[f"task-{n}" for n in range(100)])
        cache = DegradingRedisCache(f"{server.url}/1", {"KEY_PREFIX": "ascent", "OPTIONS": {}})
        for n in range(500):  # 10 MB of pages through a 4 MB Redis
            cache.set(f"page:{n}", b"x" * 20_000, 600)
        assert not cache.degraded and cache.circuit.failures == 0  # no write was refused
        assert cache.get("page:499") is not None
        kept = cache.get_many([f"page:{n}" for n in range(500)])
        assert len(kept) < 250  # the older ones evicted (Redis's LRU is sampled: not exactly the oldest)
        assert broker.llen("celery") == 100
    finally:
        server.close()
