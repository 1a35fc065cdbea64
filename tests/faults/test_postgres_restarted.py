"""Fault drill: PostgreSQL restarted (`pg_ctl restart -m fast`, as a container restart) while gunicorn
serves pages, API reads and a learner's writes. Only requests in flight or arriving while it is down fail;
the site recovers by itself: each worker's persistent connection is health-checked before reuse
(CONN_HEALTH_CHECKS), so a connection the restart closed is replaced instead of failing the next request."""

import json
import time

import pytest
from django.db import connection

from accounts.tokens import create_token

from .load import Call, Load
from .services import Gunicorn, PostgresServer, app_env

pytestmark = pytest.mark.django_db(transaction=True)  # the seeded rows must be committed to be copied


def test_only_requests_in_flight_fail_and_the_site_recovers(tmp_path, small_content, alice, redis_server):
    small_content.load()
    token = create_token(user=alice, name="drill").key
    test_db = connection.settings_dict
    # The test database, migrated and seeded above, copied into a PostgreSQL the test can restart.
    postgres = PostgresServer().start(
        copy_of=f"postgres://{test_db['USER']}@{test_db['HOST']}:{test_db['PORT']}/{test_db['NAME']}"
    )
    web = None
    try:
        env = app_env(DATABASE_URL=postgres.url, REDIS_URL=f"{redis_server.url}/1",
                      CELERY_BROKER_URL=f"{redis_server.url}/0", ASCENT_DATA_DIR=tmp_path / "data")
        web = Gunicorn(env=env, log=tmp_path / "gunicorn.log", preload=True)
        auth = (("Authorization", f"Token {token}"), ("Content-Type", "application/json"))
        calls = [
            Call("GET", "/"), Call("GET", "/roadmaps/first/"), Call("GET", "/topics/vectors/"),
            Call("GET", "/api/roadmaps/first/"), Call("GET", "/api/topics/?search=vectors"),
            Call("PUT", "/api/progress/vectors/", json.dumps({"status": "in_progress"}).encode(), auth),
            Call("GET", "/api/progress/", headers=auth),
        ]
        warm_up = Load(web.url, calls, threads=2).start()  # first requests import and compile lazily
        time.sleep(1)
        assert all(o.ok for o in warm_up.stop())
        load = Load(web.url, calls).start()
        time.sleep(1)
        down = time.monotonic()
        postgres.restart()
        up = time.monotonic()
        time.sleep(1.5)
        outcomes = load.stop()
        # Restarted again with nobody asking: every worker holds a connection the restart closed, and
        # still the very next requests succeed.
        postgres.restart()
        quiet = Load(web.url, calls, threads=1).start()
        time.sleep(1)
        quiet_outcomes = quiet.stop()
    finally:
        if web:
            web.stop()
        postgres.close()

    failed = [o for o in outcomes if not o.ok]
    assert all(o.status in (0, 500) for o in failed), failed
    assert all(o.started < up and o.ended > down for o in failed), "a request failed outside the restart"
    before = [o for o in outcomes if o.ended < down]
    after = [o for o in outcomes if o.started >= up]
    assert len(before) >= 10 and all(o.ok for o in before)
    assert len(after) >= 20 and all(o.ok for o in after), [o for o in after if not o.ok]
    assert len(quiet_outcomes) >= 4 and all(o.ok for o in quiet_outcomes), quiet_outcomes
