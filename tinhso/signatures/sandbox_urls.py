"""Sandbox signing services, mounted at /sandbox/ (on only when TINHSO_SIGNATURES_SANDBOX):
/sandbox/tsa/ (RFC 3161) and /sandbox/csc/v1/... (CSC API v1)."""

from django.urls import path

from tinhso.signatures import sandbox_views, tsa

app_name = "sandbox_signatures"

urlpatterns = [
    path("tsa/", tsa.tsa_view, name="tsa"),
    path("csc/v1/info", sandbox_views.info, name="csc_info"),
    path("csc/v1/auth/login", sandbox_views.login, name="csc_login"),
    path("csc/v1/credentials/list", sandbox_views.credentials_list, name="csc_credentials_list"),
    path("csc/v1/credentials/info", sandbox_views.credentials_info, name="csc_credentials_info"),
    path("csc/v1/credentials/sendOTP", sandbox_views.send_otp, name="csc_send_otp"),
    path("csc/v1/credentials/authorize", sandbox_views.authorize, name="csc_authorize"),
    path("csc/v1/signatures/signHash", sandbox_views.sign_hash, name="csc_sign_hash"),
    path("csc/outbox", sandbox_views.outbox, name="csc_outbox"),
]
