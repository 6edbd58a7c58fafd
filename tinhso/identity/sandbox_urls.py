"""The sandbox identity provider, mounted at /sandbox/idp/ (on only when TINHSO_OIDC_SANDBOX)."""

from django.urls import path

from tinhso.identity import sandbox_views

app_name = "sandbox_idp"

urlpatterns = [
    path(".well-known/openid-configuration", sandbox_views.discovery, name="discovery"),
    path("authorize", sandbox_views.authorize, name="authorize"),
    path("token", sandbox_views.token, name="token"),
    path("jwks", sandbox_views.jwks, name="jwks"),
    path("userinfo", sandbox_views.userinfo, name="userinfo"),
    path("logout", sandbox_views.logout, name="logout"),
]
