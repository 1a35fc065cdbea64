"""Schemathesis against /api/schema/: requests generated from the published schema, sent with a learner's API
token to the real application on the test PostgreSQL, find no server error and no response that the schema does
not describe (status code, content type, headers, body).

Generated ids and slugs are mostly random (404s), so about half of them are swapped for the ids of the learner's
real objects (tests/conftest.py, LearnerState): the quiz, review, note and token endpoints then run their real
code on real rows, and the operations on a learner's card or attempt (MUST_SUCCEED) must each have answered 2xx at
least once, not only refused. Each request runs in a savepoint that is rolled back afterwards, so every request
meets the same learner state (a generated DELETE /api/me/ would otherwise end the run after a few requests).

The run is derandomized, so the suite sends the same requests every time; `ASCENT_FUZZ_SEED=<n>` explores others
(and `ASCENT_FUZZ_EXAMPLES=<n>` sends more; the time limit then does not apply).
One plain test drives the operations rather than `schemathesis.pytest.from_fixture()`, which fails on pytest 9.2
(it sets `Function._nodeid`, now gone), and so that the number of requests can be asserted in the same place.
"""

import os
import time
from collections import Counter

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

MIN_REQUESTS = 1000
# Operations on the learner's own rows, which must run their real code (a 2xx), not only refuse (404s, 400s).
MUST_SUCCEED = ["POST /api/reviews/{card_id}/answer/", "POST /api/reviews/{card_id}/easy/",
                "POST /api/attempts/{attempt_id}/submit/"]
MAX_SECONDS = 240
EXAMPLES = int(os.environ.get("ASCENT_FUZZ_EXAMPLES", 25))  # per operation and generation mode
SEED = os.environ.get("ASCENT_FUZZ_SEED")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    ignored_auth,
]


class RolledBackApp:
    """The real Django WSGI application; each request in a savepoint that is rolled back after the response.

    Like Django's test client, it keeps the request signals from closing the test's database connection."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.requests = 0
        self.statuses = Counter()

    def __call__(self, environ, start_response):
        self.requests += 1

        def counting_start_response(status, headers, *args):
            self.statuses[status.split()[0]] += 1
            return start_response(status, headers, *args)
        cache.clear()  # rate limits and cached pages start afresh for each request, as the rows do
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            with transaction.atomic():
                response = self.handler(environ, counting_start_response)
                try:
                    body = b"".join(response)
                finally:
                    response.close()
                transaction.set_rollback(True)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return [body]


def answer_to(question, *, with_question=False):
    """Answers of the right shape for the question: its own choices (not always a valid number of them), or a
    number; sometimes with a time taken."""
    if question.type == "numeric":
        given = {"value": st.floats(allow_nan=False, allow_infinity=False)}
    else:
        choices = list(question.choices.values_list("pk", flat=True))
        given = {"choices": st.lists(st.sampled_from(choices), unique=True, max_size=2)}
    if with_question:
        given["question"] = st.just(question.pk)
    return st.fixed_dictionaries(given, optional={"time_ms": st.integers(0, 24 * 3600 * 1000)})


def learner_schema(app, state):
    """The published schema, with the learner's token on every request and generated ids often swapped for
    the ids of the learner's real objects."""
    config = schemathesis.Config.from_dict({"headers": {"Authorization": f"Token {state.new_token.key}"}})
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, config=config)
    real = {
        "slug": ["first", "second", "vectors", "matrices"],
        "topic_slug": ["vectors", "matrices"],
        "token_id": [state.token.pk],
        "resource_id": [state.resource.pk],
        "attempt_id": [state.open_attempt.pk, state.submitted.pk],
        "card_id": [state.due_card.pk, state.reviewed_card.pk],
        "session_id": [state.placement.pk, state.finished_placement.pk],
    }

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        if not path_parameters:
            return st.just(path_parameters)
        known = {name: st.sampled_from(real[name]) for name in path_parameters if name in real}
        return st.one_of(st.just(path_parameters), st.fixed_dictionaries({**path_parameters, **known}))

    # Random answers rarely name a served question and its own choices: half the time, answer the open attempt's
    # questions or a due card's question with random picks and numbers, so grading and scheduling run too.
    served = [s.question for s in state.open_attempt.served.select_related("question")]
    answers = st.lists(st.one_of(*(answer_to(q, with_question=True) for q in served)), max_size=len(served) + 1)
    card_answers = {card.pk: answer_to(card.question) for card in (state.due_card, state.reviewed_card)}

    def real_case(case, path_parameters, body):
        case.path_parameters = path_parameters
        case.body = body
        return case

    @schema.hook
    def flatmap_case(context, case):
        path = context.operation.path
        if path == "/api/attempts/{attempt_id}/submit/":
            real = st.builds(real_case, st.just(case), st.just({"attempt_id": state.open_attempt.pk}),
                             st.fixed_dictionaries({"answers": answers}))
        elif path == "/api/reviews/{card_id}/answer/":
            real = st.sampled_from(list(card_answers)).flatmap(
                lambda card: st.builds(real_case, st.just(case), st.just({"card_id": card}), card_answers[card])
            )
        else:
            return st.just(case)
        return st.one_of(st.just(case), real)

    return schema


def test_generated_requests_get_answers_the_schema_describes(alice_state):
    app = RolledBackApp()
    schema = learner_schema(app, alice_state)
    app.requests = 0
    sent = Counter()  # generated requests per operation; checks send a few more (e.g. without the token)
    failures = []

    def send(case):
        sent[case.operation.label] += 1
        case.call_and_validate(checks=CHECKS)

    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    answered = {}
    for operation in operations:
        before = app.statuses.copy()
        # Coverage: schemathesis's deterministic boundary and negative values for every parameter and field.
        for case in schema.iter_coverage_cases(
            operation, generation_modes=list(GenerationMode), generation_config=schema.config.generation
        ):
            try:
                send(case)
            except (Exception, FailureGroup) as error:
                failures.append(f"{operation.label} (coverage): {error}")
                break
        # Fuzzing: random valid requests, then random invalid ones.
        for mode in GenerationMode:
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=SEED is None, database=None,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
            def fuzz(case):
                send(case)

            if SEED is not None:
                fuzz = seed(int(SEED))(fuzz)

            try:
                fuzz()
            except Unsatisfiable:
                pass  # nothing to make invalid (no parameters, no body): the positive run covered it
            except (Exception, FailureGroup) as error:
                failures.append(f"{operation.label} ({mode.value}): {error}")
        answered[operation.label] = app.statuses - before
        print(f"{operation.label}: {sent[operation.label]} generated, answers {dict(answered[operation.label])}")
    elapsed = time.monotonic() - started
    total = sum(sent.values())
    print(f"schemathesis: {total} generated requests ({app.requests} with the checks' own) to "
          f"{len(operations)} operations in {elapsed:.0f} s")
    assert not failures, "\n\n".join(failures)
    for label in MUST_SUCCEED:
        assert any(status.startswith("2") for status in answered[label]), (label, answered[label])
    assert total >= MIN_REQUESTS
    assert elapsed < MAX_SECONDS or "ASCENT_FUZZ_EXAMPLES" in os.environ
