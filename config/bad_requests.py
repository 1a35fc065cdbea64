"""The page a form post gets when a field holds what no form of ours sends (a hidden field edited, a script's
guess): 400, what is wrong with which field, and nothing saved. Forms a learner fills in re-render themselves
with their errors instead; this is for the fields they never type."""

from django.shortcuts import render


def bad_request_page(request, *, errors: list[str], back_url: str = ""):
    return render(request, "400.html", {"errors": errors, "back_url": back_url}, status=400)
