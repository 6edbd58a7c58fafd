from django.urls import path

from tinhso.secwatch import views

app_name = "secwatch"

urlpatterns = [
    path("", views.index_view, name="index"),
    path("xuat/su-kien.jsonl", views.export_jsonl_view, name="export_jsonl"),
    path("xuat/syslog.log", views.export_syslog_view, name="export_syslog"),
    path("quy-tac/", views.rules_view, name="rules"),
    path("quy-tac/<int:rule_id>/", views.rules_view, name="rule"),
    path("kiem-tra-nhat-ky/", views.integrity_view, name="integrity"),
]
