from django.urls import path, re_path

from tinhso.fieldreports.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>[a-z]+)"
urlpatterns = [
    path("", views.discovery_view, {"fmt": "json"}, name="root"),
    re_path(rf"^discovery{FMT}$", views.discovery_view, name="discovery"),
    re_path(rf"^services{FMT}$", views.services_view, name="services"),
    re_path(rf"^services/(?P<code>[^/.]+){FMT}$", views.service_definition_view, name="service"),
    re_path(rf"^requests{FMT}$", views.requests_view, name="requests"),
    re_path(rf"^requests/(?P<code>[^/]+?){FMT}$", views.request_view, name="request"),
    re_path(rf"^tokens/(?P<token>[^/.]+){FMT}$", views.token_view, name="token"),
    re_path(r"^(?P<rest>.+)$", views.not_found_view, {"fmt": "json"}, name="not_found"),
]
