from django.urls import path

from tinhso.nationalportal import views

app_name = "nationalportal"
urlpatterns = [
    path("", views.report_view, name="report"),
    path("gui-lai/", views.resend_view, name="resend"),
    path("tong-hop.json", views.summary_view, name="summary"),
]
