"""Every HTML form of the site, posted by a signed-in learner with one field at a time replaced by a hostile value
(numbers that are not finite, NUL characters, huge integers, digits that are not ASCII, a megabyte of text), is
a 4xx, never a 5xx, and leaves every row the learner owns as it was (issue 14: several of these were 500s, and a
quiz form's NaN was saved). The pages' GET filters get the same values and answer without a 5xx.

The forms are the URL configuration's routes of our own apps: a new route fails
`test_every_route_of_ours_is_listed` until it is added to FORMS (with a body the form accepts and the
hostile values of each field) or to PAGES. allauth's forms re-render with 200 and their own errors; they are
posted too, for no 5xx and no account made.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from quizzes.models import Question
from tests.test_object_permissions import card_answer, owned_by, placement_answer, routes, served_answers

pytestmark = pytest.mark.django_db

NUL = ["\x00", "a\x00b"]
MEGABYTE = ["x" * 1_000_000]
UNICODE_DIGITS = ["²", "½", "1²", "٣", "１２"]
NOT_FINITE = ["nan", "NaN", "inf", "-inf", "Infinity", "1e400", "-1e400", "1" * 400]
NUMBERS = [*NOT_FINITE, *UNICODE_DIGITS, *NUL, *MEGABYTE]  # for a number answer: 30 digits is a (wrong) number
WHOLE_NUMBERS = [*NUMBERS, "1" * 30, "-1", "2.5"]  # ids, times, counts
TEXT = [*NUL, *MEGABYTE]  # free text: "nan" is a fine note or token name, a NUL or a megabyte is not
NOT_SLUGS = [*NUL, *MEGABYTE, "²", "a b", "../"]


@dataclass
class Form:
    url: callable  # state -> the form's action
    body: callable  # state -> a body the form accepts
    fields: callable  # state -> {field: hostile values}


def review_fields(state):
    return {f"q{state.due_card.question_id}": answer_values(state.due_card.question), "time_ms": WHOLE_NUMBERS,
            "topic": NOT_SLUGS}


def answer_values(question):
    return NUMBERS if question.type == "numeric" else WHOLE_NUMBERS  # a choice is named by its id


def preferences(state):
    return {"display_name": "Alice", "time_zone": "UTC", "reminders_enabled": "on", "reminder_time": "18:00",
            "theme": "system", "desired_retention": "0.9", "maximum_interval": "365"}


FORMS = {
    "quizzes:submit": Form(
        lambda s: f"/quiz/{s.open_attempt.pk}/submit/", lambda s: served_answers(s, form=True),
        lambda s: {f"q{served.question_id}": answer_values(served.question)
                   for served in s.open_attempt.served.select_related("question")}),
    "quizzes:review-answer": Form(
        lambda s: f"/reviews/{s.due_card.pk}/answer/",
        lambda s: {**card_answer(s.due_card, form=True), "time_ms": "4200", "topic": "vectors"}, review_fields),
    "quizzes:review-easy": Form(
        lambda s: f"/reviews/{s.reviewed_card.pk}/easy/", lambda s: {"log": s.review_log.pk},
        lambda s: {"log": WHOLE_NUMBERS}),
    "quizzes:start": Form(lambda s: "/topics/vectors/quiz/", lambda s: {}, lambda s: {"extra": NUL}),
    "quizzes:placement-start": Form(lambda s: "/roadmaps/first/placement/start/", lambda s: {"restart": "1"},
                                    lambda s: {"restart": NUL}),
    "quizzes:placement-answer": Form(
        lambda s: "/roadmaps/first/placement/answer/", lambda s: {**placement_answer(s, form=True), "time_ms": "4200"},
        lambda s: {"session": WHOLE_NUMBERS, "question": WHOLE_NUMBERS, "time_ms": WHOLE_NUMBERS,
                   "dont_know": NUMBERS, f"q{served_question(s).pk}": answer_values(served_question(s))}),
    "quizzes:placement-confirm": Form(
        lambda s: "/roadmaps/first/placement/confirm/",
        lambda s: {"session": s.finished_placement.pk, "topics": ["vectors"]},
        lambda s: {"session": WHOLE_NUMBERS, "topics": NOT_SLUGS}),
    "roadmap:topic-status": Form(
        lambda s: "/topics/vectors/status/", lambda s: {"status": "done", "next": "/topics/vectors/"},
        lambda s: {"status": NUMBERS + ["finished", "DONE"], "next": NUL}),
    "roadmap:topic-note": Form(
        lambda s: "/topics/vectors/note/", lambda s: {"body": "A new note."}, lambda s: {"body": TEXT}),
    "roadmap:resource-tick": Form(
        lambda s: f"/resources/{s.resource.pk}/tick/", lambda s: {"ticked": "0"}, lambda s: {"ticked": WHOLE_NUMBERS}),
    "roadmap:follow": Form(
        lambda s: "/roadmaps/first/follow/", lambda s: {"follow": "0"}, lambda s: {"follow": WHOLE_NUMBERS}),
    "accounts:settings": Form(
        lambda s: "/settings/", preferences,
        lambda s: {"display_name": TEXT, "time_zone": NUMBERS + ["Nowhere/Land"], "reminders_enabled": NUL,
                   "reminder_time": NUMBERS + ["25:00"], "theme": NUMBERS, "desired_retention": NUMBERS + ["5"],
                   "maximum_interval": WHOLE_NUMBERS + ["0"]}),
    "accounts:create-token": Form(
        lambda s: "/settings/tokens/", lambda s: {"name": "another script"}, lambda s: {"name": TEXT}),
    "accounts:revoke-token": Form(
        lambda s: f"/settings/tokens/{s.token.pk}/revoke/", lambda s: {}, lambda s: {"extra": NUL}),
    "accounts:delete": Form(
        lambda s: "/settings/delete/", lambda s: {"confirm": "DELETE"},
        lambda s: {"confirm": WHOLE_NUMBERS + ["delete", "DELETE\x00"]}),
    "quizzes:scheduler-retention": Form(
        lambda s: "/settings/scheduler/retention/", lambda s: {"desired_retention": "0.85"},
        lambda s: {"desired_retention": NUMBERS + ["5"]}),
    "quizzes:scheduler-reset": Form(lambda s: "/settings/scheduler/reset/", lambda s: {}, lambda s: {"extra": NUL}),
    "quizzes:scheduler-days-off": Form(
        lambda s: "/settings/scheduler/days-off/", lambda s: {"light_weekdays": ["sat"], "reviews_paused_until": ""},
        lambda s: {"light_weekdays": NUMBERS + ["someday", "SAT"],
                   "reviews_paused_until": NUMBERS + ["2020-01-01", "9999-12-31", "2026-02-30", "24/12/2026"]}),
    "quizzes:scheduler-resume": Form(
        lambda s: "/settings/scheduler/resume/", lambda s: {"next": "settings"},
        lambda s: {"next": TEXT + ["https://elsewhere.example", "//elsewhere.example"]}),
    "quizzes:unsubscribe": Form(
        lambda s: f"/reminders/unsubscribe/{unsubscribe_token(s)}/", lambda s: {}, lambda s: {"extra": NUL}),
}
# Pages that only read (their GET filters are below), and the export download.
PAGES = {"quizzes:attempt", "quizzes:review", "quizzes:placement", "quizzes:review-result", "roadmap:home",
         "roadmap:roadmap", "roadmap:topic", "roadmap:search", "roadmap:dashboard", "accounts:export"}
GET_FILTERS = [("/search/", "q"), ("/reviews/", "topic"), ("/topics/vectors/", "roadmap"), ("/dashboard/", "x")]
ALLAUTH_FORMS = {"/accounts/login/": {"login": "new@example.com", "password": "a-password-1"},
                 "/accounts/signup/": {"email": "new@example.com", "password1": "a-password-19",
                                       "password2": "a-password-19", "time_zone": "UTC"}}


def served_question(state):
    return Question.objects.get(pk=state.placement.state["served"]["question"])


def unsubscribe_token(state):
    from quizzes.reminders import unsubscribe_token as token_for

    return token_for(state.learner)


@pytest.fixture
def learner(client, alice_state):
    client.force_login(alice_state.learner)
    return alice_state


def test_every_route_of_ours_is_listed():
    ours = {name for name, _, _ in routes() if name.split(":")[0] in ("quizzes", "roadmap", "accounts")}
    assert ours == set(FORMS) | PAGES | FORMS_WITHOUT_FIELDS_NEEDING_HISTORY


# A form with no fields whose good body needs 512 review logs: tests/quizzes/test_scheduler_api.py covers it.
FORMS_WITHOUT_FIELDS_NEEDING_HISTORY = {"quizzes:scheduler-fit"}


@pytest.mark.parametrize("name", list(FORMS))
def test_each_forms_own_body_is_accepted(client, learner, name):
    """The bodies the hostile values go into are good ones: the refusals below are the hostile value's."""
    form = FORMS[name]
    response = client.post(form.url(learner), form.body(learner))
    assert response.status_code in (200, 201, 302), (name, response.status_code)


@pytest.mark.parametrize("name", list(FORMS))
def test_a_hostile_value_in_any_field_is_refused_and_saves_nothing(client, learner, name):
    form = FORMS[name]
    url, body, answers = form.url(learner), form.body(learner), {}
    before = owned_by(learner.learner)
    for field, values in form.fields(learner).items():
        for value in values:
            response = client.post(url, {**body, field: value})
            answers[(field, value[:12])] = response.status_code
            assert owned_by(learner.learner) == before, (field, value[:12], response.status_code)
    assert len(answers) >= 2
    assert {where: status for where, status in answers.items() if not 400 <= status < 500} == {}


@pytest.mark.parametrize(("path", "parameter"), GET_FILTERS)
def test_hostile_filters_of_the_pages_are_never_a_server_error(client, learner, path, parameter):
    before = owned_by(learner.learner)
    statuses = {value[:12]: client.get(path, {parameter: value}).status_code for value in NUMBERS + NOT_SLUGS}
    assert {value: status for value, status in statuses.items() if status >= 500} == {}
    assert all(statuses[value[:12]] == 400 for value in NUL)
    assert owned_by(learner.learner) == before


@pytest.mark.parametrize("path", list(ALLAUTH_FORMS))
def test_allauths_forms_take_hostile_values_without_a_server_error(client, path):
    users = get_user_model().objects.count()
    for field in ALLAUTH_FORMS[path]:
        for value in TEXT + ["nan", "²"]:
            response = client.post(path, {**ALLAUTH_FORMS[path], field: value})
            assert response.status_code < 500, (field, value[:12])
    assert get_user_model().objects.count() == users
