"""The OpenAPI schema documents the error answers the API really gives, not only the happy path.

drf-spectacular describes what a view returns on success and what `@extend_schema` adds; the answers that come
from the framework around the view (a bad or missing token, a CSRF failure, an id that matches nothing, a page
past the end, a body that does not validate, a rate limit) are added here by rule, so that no view can forget
one. tests/test_api_fuzzing.py holds every answer to the schema.
"""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ErrorOut(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in a sentence.")


class ValidationErrorsOut(serializers.Serializer):
    """Placeholder for the shape below: DRF's validation errors, keyed by field."""


class ValidationErrorsSchema(OpenApiSerializerExtension):
    target_class = ValidationErrorsOut

    def get_name(self, auto_schema, direction):
        return "ValidationErrors"

    def map_serializer(self, auto_schema, direction):
        messages = {"type": "array", "items": {"type": "string"}}
        return {
            "type": "object",
            "description": "What is wrong with the request: a list of messages per field (`non_field_errors` for "
                           "the request as a whole), nested objects for items of a list, or `detail` when the body "
                           "could not be read at all.",
            "additionalProperties": {"anyOf": [{"type": "string"}, messages, {"type": "object"}]},
            "example": {"status": ["“finished” is not a status: use not_started, in_progress, done or skipped."]},
        }


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorOut, description=description)


def invalid(description: str) -> OpenApiResponse:
    return OpenApiResponse(ValidationErrorsOut, description=description)


class DocumentedErrorsSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for code, response in self.error_responses().items():
            if str(code) not in bodies:
                bodies[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
        return bodies

    def error_responses(self) -> dict[int, OpenApiResponse]:
        view = self.view
        needs_sign_in = any(isinstance(p, IsAuthenticated) for p in view.get_permissions())
        responses = {
            # Token authentication runs on every endpoint: a wrong key is refused even where none is needed.
            401: error("Not signed in (no session, no token), or an invalid or revoked token."
                       if needs_sign_in else "An invalid or revoked token (this endpoint needs none)."),
        }
        if needs_sign_in and self.method in UNSAFE_METHODS:
            responses[403] = error("Signed in with a session but without a valid CSRF token.")
        # Asked only where drf-spectacular asks too, so that views without a body add no warning.
        if self.method in {"POST", "PUT", "PATCH"} and self.get_request_serializer() is not None:
            responses[400] = invalid("The body is not valid (or the address holds a NUL character).")
        else:
            responses[400] = error("The address holds a NUL character (config/nul_characters.py).")
        if "{" in self.path:
            responses[404] = error("Nothing with this id or slug (or it belongs to another learner).")
        elif self._is_list_view() and self._get_paginator() is not None:
            responses[404] = error("No such page.")
        if view.get_throttles():
            responses[429] = error("Too many requests: wait and try again (see Retry-After).")
        return responses
