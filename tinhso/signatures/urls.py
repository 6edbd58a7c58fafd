"""The public verification page, mounted at /xac-thuc/."""

from django.urls import path

from tinhso.signatures import views

app_name = "signatures"

urlpatterns = [
    path("", views.verify_view, name="verify"),
]
