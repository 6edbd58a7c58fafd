"""Citizen sign-in pages: start, the provider's redirect back, logout."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from tinhso.identity import actions, oidc
from tinhso.identity.errors import IdentityError, StaffAccountRefused

log = logging.getLogger(__name__)

SESSION_ID_TOKEN = "identity_id_token"
SESSION_ISSUER = "identity_issuer"


def _error_page(request, error: IdentityError, next_url: str):
    retry = reverse("identity:login") + "?" + urlencode({"next": next_url})
    return render(request, "identity/error.html",
                  {"message": error.message, "code": error.code, "retry_url": retry,
                   "cancelled": error.code == "access_denied"},
                  status=error.status)


@never_cache
@require_GET
def login_view(request):
    """Send the citizen to the e-ID provider (`?start=0` shows an explanation first)."""
    next_url = oidc.safe_next(request, request.GET.get("next"))
    if request.GET.get("start") == "0":
        return render(request, "identity/start.html",
                      {"go_url": reverse("identity:login") + "?" + urlencode({"next": next_url})})
    try:
        return redirect(oidc.start_login(request, next_url))
    except IdentityError as error:
        return _error_page(request, error, next_url)


@never_cache
@require_GET
def callback_view(request):
    """The provider's redirect back with `code` and `state` (or `error`)."""
    state_data = oidc.pop_state(request)
    next_url = oidc.safe_next(request, (state_data or {}).get("next"))
    try:
        claims, token = oidc.finish_login(request, state_data)
        user = actions.sign_in_citizen(claims=claims)
    except StaffAccountRefused as error:
        if error.user is not None:
            actions.record_refused_login(user=error.user, reason="id_number belongs to a non-citizen account")
        return _error_page(request, error, next_url)
    except IdentityError as error:
        log.info("citizen sign-in failed: %s", error.code)
        return _error_page(request, error, next_url)
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_ID_TOKEN] = token["id_token"]
    request.session[SESSION_ISSUER] = state_data["issuer"]
    return redirect(next_url)


@never_cache
@require_POST
def logout_view(request):
    """End the session here, then at the provider (RP-initiated logout) when it supports it."""
    id_token = request.session.get(SESSION_ID_TOKEN)
    issuer = request.session.get(SESSION_ISSUER)
    auth_logout(request)
    provider_logout = oidc.logout_url(request, id_token, issuer) if id_token else None
    return redirect(provider_logout or reverse("portal:home"))
