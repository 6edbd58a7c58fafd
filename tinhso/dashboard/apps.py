from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tinhso.dashboard"
    label = "dashboard"
    verbose_name = "Bảng điều hành chỉ số"
