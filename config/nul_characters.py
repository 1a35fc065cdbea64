"""PostgreSQL text cannot hold a NUL character: a query string or path carrying one (`?topic=%00`) used to reach a
query and fail with a 500. It is refused up front with a 400, for every page and endpoint at once. (Form and JSON
fields are covered by Django's and DRF's CharField, which refuse NUL characters themselves.)"""

from django.http import HttpResponseBadRequest, JsonResponse

MESSAGE = "The address contains a NUL character (%00), which is never valid here."


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in key or "\x00" in "".join(values)
                                         for key, values in request.GET.lists()):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
