"""The sandbox payment platform, mounted at /sandbox/paygov/ (on only when TINHSO_PAYGOV_SANDBOX)."""

from django.urls import path

from tinhso.payments import sandbox_views

app_name = "sandbox_paygov"

urlpatterns = [
    path("thanh-toan/", sandbox_views.pay, name="pay"),
    path("tra-cuu/", sandbox_views.query, name="query"),
    path("hoan-tien/", sandbox_views.refund, name="refund"),
]
