from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice


class RequireTwoFactorMiddleware:
    """With TINHSO_REQUIRE_2FA on, a signed-in staff member who has not
    enrolled an authenticator is sent to the enrolment page first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (settings.TINHSO_REQUIRE_2FA and user is not None and user.is_authenticated
                and not request.path.startswith(("/accounts/", "/static/", "/i18n/", "/api/"))
                and not (hasattr(user, "is_verified") and user.is_verified())
                and not TOTPDevice.objects.filter(user=user, confirmed=True).exists()):
            return redirect(reverse("accounts:security"))
        return self.get_response(request)
