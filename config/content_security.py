"""django-csp's middleware, minus Django's own debug pages: with DEBUG on, the technical 404 and 500 pages
style and script themselves inline, and a developer needs them readable. Production never shows them."""

from csp.middleware import CSPMiddleware
from django.conf import settings


class SiteCSPMiddleware(CSPMiddleware):
    def process_response(self, request, response):
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        return super().process_response(request, response)
