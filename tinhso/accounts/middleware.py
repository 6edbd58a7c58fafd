from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tinhso.accounts.permissions import user_roles
from tinhso.accounts.signin import roles_requiring_two_factor

OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/tra-cuu/")


def two_factor_required(user) -> bool:
    """Whether this staff member must use a second factor: every staff member
    with TINHSO_REQUIRE_2FA on, otherwise holders of a role that the dated rules
    (TwoFactorRule, edited by the system administrator) require it for."""
    if settings.TINHSO_REQUIRE_2FA:
        return True
    required = roles_requiring_two_factor()
    return bool(required and required & user_roles(user))


class RequireTwoFactorMiddleware:
    """A signed-in staff member who must use two-factor sign-in
    (`two_factor_required`) and has not enrolled an authenticator is sent to
    the enrolment page first; the staff API answers 403 `two_factor_required`
    (public API reads stay open)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated
                and not getattr(user, "is_citizen", False)  # citizens are verified by the national e-ID
                and not request.path.startswith(OPEN_PREFIXES)
                and not (hasattr(user, "is_verified") and user.is_verified())
                and two_factor_required(user)
                and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()):
            if request.path.startswith("/api/"):
                if request.method in ("GET", "HEAD", "OPTIONS") and not request.path.startswith("/api/v1/dossiers"):
                    return self.get_response(request)
                return JsonResponse({"code": "two_factor_required", "errors": [],
                                     "message": "Tài khoản cần bật xác thực hai bước trước khi dùng chức năng này."},
                                    status=403)
            return redirect(reverse("accounts:security"))
        return self.get_response(request)
