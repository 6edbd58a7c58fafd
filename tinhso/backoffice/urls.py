from django.urls import path

from tinhso.backoffice import views

app_name = "backoffice"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("audit/", views.audit_log_view, name="audit_log"),
]
