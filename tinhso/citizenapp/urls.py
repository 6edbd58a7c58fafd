from django.urls import path

from tinhso.citizenapp import views, warning_views

app_name = "citizenapp"
urlpatterns = [
    path("", views.shell_view, name="shell"),
    path("manifest.webmanifest", views.manifest_view, name="manifest"),
    path("sw.js", views.service_worker_view, name="sw"),
    path("offline/", views.offline_view, name="offline"),
    path("canh-bao/", warning_views.warnings_view, name="warnings"),
]
