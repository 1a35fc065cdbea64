from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describes personal API tokens in the OpenAPI schema."""

    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A personal API token from the settings page, sent as `Token <key>`.",
        }


class LearnerSessionScheme(SessionScheme):
    """DRF's session scheme (`cookieAuth`) for the subclass of its SessionAuthentication that the API uses."""

    target_class = "accounts.authentication.SessionAuthentication"
