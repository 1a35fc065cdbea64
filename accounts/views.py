from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from config.rate_limits import TOKEN_CREATE, rate_limited_page, wait_before

from .deletion import delete_account
from .export import export_learner_data
from .forms import DeleteAccountForm, PreferencesForm, TokenForm
from .preferences import update_preferences
from .tokens import TooManyTokens, create_token, revoke_token

# A new token's key, from the POST that made it to the page that shows it once (never in a URL or a cookie).
NEW_TOKEN_SESSION_KEY = "accounts.new_api_token"


@login_required
def settings_page(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        update_preferences(user=request.user, changes={name: form.cleaned_data[name] for name in form.changed_data})
        messages.success(request, "Preferences saved.")
        return redirect("accounts:settings")
    new_token = request.session.pop(NEW_TOKEN_SESSION_KEY, None) if request.method == "GET" else None
    response = render(request, "accounts/settings.html", settings_context(request, form=form, new_token=new_token),
                      status=400 if form.errors else 200)
    if new_token:
        response["Cache-Control"] = "no-store"  # the key must not outlive this page, in any cache
    return response


def settings_context(request, **extra):
    return {
        "form": PreferencesForm(instance=request.user),
        "token_form": TokenForm(),
        "tokens": request.user.api_tokens.all(),
        **extra,
    }


@login_required
@require_POST
def create_token_view(request):
    if wait := wait_before(request, scope=TOKEN_CREATE):
        return rate_limited_page(request, wait=wait)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return render(request, "accounts/settings.html", settings_context(request, token_form=form), status=400)
    try:
        new = create_token(user=request.user, name=form.cleaned_data["name"])
    except TooManyTokens as error:
        form.add_error("name", str(error))
        return render(request, "accounts/settings.html", settings_context(request, token_form=form), status=400)
    # Redirect after the POST, so a refresh does not create a second token; the settings page shows the key once.
    request.session[NEW_TOKEN_SESSION_KEY] = {"name": new.token.name, "key": new.key}
    return redirect("accounts:settings")


@login_required
@require_POST
def revoke_token_view(request, token_id: int):
    if revoke_token(user=request.user, token_id=token_id):
        messages.success(request, "Token revoked: scripts using it can no longer sign in.")
    else:
        messages.error(request, "No such token.")
    return redirect("accounts:settings")


@login_required
def export_view(request):
    response = JsonResponse(export_learner_data(request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="ascent-export.json"'
    return response


@login_required
def delete_view(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        delete_account(user=user)
        messages.success(request, "Your account and all its data have been deleted.")
        return redirect("roadmap:home")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200)
