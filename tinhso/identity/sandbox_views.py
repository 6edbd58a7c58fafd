"""HTTP endpoints of the sandbox identity provider (/sandbox/idp/...).

Disabled (404) unless TINHSO_OIDC_SANDBOX is on — off by default in production."""

from __future__ import annotations

import functools
from urllib.parse import urlencode, urlsplit

from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from tinhso.identity import conf, sandbox
from tinhso.identity.sandbox import OAuthProblem


def sandbox_only(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not conf.sandbox_enabled():
            raise Http404("sandbox identity provider is off")
        return view(request, *args, **kwargs)
    return wrapper


def _oauth_error(problem: OAuthProblem) -> JsonResponse:
    response = JsonResponse({"error": problem.error, "error_description": problem.description},
                            status=problem.status)
    response["Cache-Control"] = "no-store"
    if problem.status == 401:
        response["WWW-Authenticate"] = ("Basic realm=\"sandbox-idp\"" if problem.error == "invalid_client"
                                        else f"Bearer error=\"{problem.error}\"")
    return response


def _url(request, name: str) -> str:
    return request.build_absolute_uri(reverse(f"sandbox_idp:{name}"))


@sandbox_only
def discovery(request):
    issuer = conf.sandbox_issuer(request)
    return JsonResponse({
        "issuer": issuer,
        "authorization_endpoint": _url(request, "authorize"),
        "token_endpoint": _url(request, "token"),
        "userinfo_endpoint": _url(request, "userinfo"),
        "jwks_uri": _url(request, "jwks"),
        "end_session_endpoint": _url(request, "logout"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "profile", "email", "phone", "address"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "at_hash",
                             "id_number", "eid_level", "name", "birthdate", "gender", "email", "email_verified",
                             "phone_number", "phone_number_verified", "address"],
        "authorization_response_iss_parameter_supported": True,
    })


@sandbox_only
def jwks(request):
    return JsonResponse(sandbox.jwks())


def _redirect_with(redirect_uri: str, params: dict) -> HttpResponseRedirect:
    separator = "&" if urlsplit(redirect_uri).query else "?"
    return HttpResponseRedirect(redirect_uri + separator + urlencode({k: v for k, v in params.items() if v}))


@never_cache
@sandbox_only
def authorize(request):
    """The sandbox login page: pick a demo citizen, enter the demo password or one-time code."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    params = request.GET
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    state = params.get("state", "")
    issuer = conf.sandbox_issuer(request)
    # An unknown client or redirect URI is never redirected to (open redirect).
    if client_id != conf.client_id() or not sandbox.redirect_uri_allowed(request, redirect_uri):
        return render(request, "identity/sandbox/error.html",
                      {"message": "Ứng dụng hoặc địa chỉ chuyển hướng không được đăng ký với cổng thử nghiệm."},
                      status=400)

    def back(**extra):
        return _redirect_with(redirect_uri, {**extra, "state": state, "iss": issuer})

    scope = params.get("scope", "")
    if params.get("response_type") != "code":
        return back(error="unsupported_response_type")
    if "openid" not in scope.split():
        return back(error="invalid_scope", error_description="scope must include openid")
    if params.get("code_challenge_method") != "S256" or len(params.get("code_challenge", "")) != 43:
        return back(error="invalid_request", error_description="PKCE with S256 is required")

    context = {"citizens": [{**c, "otp": sandbox.one_time_code(c["id_number"])} for c in sandbox.citizens()],
               "client_id": client_id, "query": request.GET.urlencode(), "demo_password": _demo_password()}
    if request.method == "POST":
        if "cancel" in request.POST:
            return back(error="access_denied", error_description="Người dùng đã hủy đăng nhập")
        id_number = request.POST.get("citizen", "")
        if sandbox.citizen(id_number) is None:
            context["error"] = "Vui lòng chọn một công dân mẫu."
        elif not sandbox.check_secret(id_number, request.POST.get("secret", "")):
            context["error"] = "Mật khẩu hoặc mã xác thực một lần không đúng."
            context["selected"] = id_number
        else:
            code = sandbox.issue_code(client_id=client_id, redirect_uri=redirect_uri, id_number=id_number,
                                      scope=scope, nonce=params.get("nonce", ""),
                                      code_challenge=params["code_challenge"])
            return back(code=code)
        return render(request, "identity/sandbox/authorize.html", context, status=400)
    return render(request, "identity/sandbox/authorize.html", context)


def _demo_password() -> str:
    from django.conf import settings

    return settings.TINHSO_OIDC_SANDBOX_PASSWORD


@csrf_exempt
@never_cache
@sandbox_only
def token(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        client_id = sandbox.authenticate_client(request)
        if request.POST.get("grant_type") != "authorization_code":
            raise OAuthProblem("unsupported_grant_type", "Only authorization_code is supported.")
        body = sandbox.exchange_code(issuer=conf.sandbox_issuer(request), client_id=client_id,
                                     code=request.POST.get("code", ""),
                                     redirect_uri=request.POST.get("redirect_uri", ""),
                                     code_verifier=request.POST.get("code_verifier", ""))
    except OAuthProblem as problem:
        return _oauth_error(problem)
    response = JsonResponse(body)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@csrf_exempt
@never_cache
@sandbox_only
def userinfo(request):
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith("bearer "):
        return _oauth_error(OAuthProblem("invalid_token", "Bearer access token required.", status=401))
    try:
        return JsonResponse(sandbox.userinfo(header[7:].strip()))
    except OAuthProblem as problem:
        return _oauth_error(problem)


@never_cache
@sandbox_only
def logout(request):
    """RP-initiated logout: end the subject's session, then return to the RP if allowed."""
    hint = request.GET.get("id_token_hint", "")
    sub = sandbox.subject_from_hint(hint) if hint else None
    if sub:
        sandbox.end_session(sub)
    target = request.GET.get("post_logout_redirect_uri", "")
    if target and sub and _same_origin_allowed(request, target):
        return _redirect_with(target, {"state": request.GET.get("state", "")})
    return render(request, "identity/sandbox/logged_out.html")


def _same_origin_allowed(request, target: str) -> bool:
    from django.conf import settings

    origins = {request.build_absolute_uri("/").rstrip("/")}
    for uri in getattr(settings, "TINHSO_OIDC_SANDBOX_REDIRECT_URIS", []) or []:
        parts = urlsplit(uri)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    parts = urlsplit(target)
    return f"{parts.scheme}://{parts.netloc}" in origins
