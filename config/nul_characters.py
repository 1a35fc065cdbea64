"""PostgreSQL text cannot hold a NUL character: a query string, path or form field carrying one (`?topic=%00`, a
note's body) used to reach a query and fail with a 500. It is refused up front with a 400, for every page and
endpoint at once. (The API reads JSON only, and DRF's CharField refuses NUL characters itself: its form-encoded
or multipart bodies are left for DRF to refuse with 415, as before.)"""

from django.http import HttpResponseBadRequest, JsonResponse

MESSAGE = "The address contains a NUL character (%00), which is never valid here."
FORM_MESSAGE = "The form field “{field}” contains a NUL character, which is never valid here."
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(data) -> str | None:
    """The first key of a QueryDict whose name or values hold a NUL character."""
    return next((key for key, values in data.lists() if "\x00" in key or "\x00" in "".join(values)), None)


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        message = None
        api = request.path.startswith("/api/")
        if "\x00" in request.path or _holds_nul(request.GET) is not None:
            message = MESSAGE
        elif not api and request.method == "POST" and request.content_type in FORM_TYPES and (
            field := _holds_nul(request.POST)
        ) is not None:
            message = FORM_MESSAGE.format(field=field.replace("\x00", "\\0")[:40])
        if message is None:
            return self.get_response(request)
        if api:
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
