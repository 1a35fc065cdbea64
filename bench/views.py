"""The reference every benchmark is compared against: the cheapest Django JSON view there is."""

from django.http import JsonResponse


def bare(request):
    return JsonResponse({"ok": True})
