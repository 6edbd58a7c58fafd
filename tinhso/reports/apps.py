from django.apps import AppConfig


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.reports"
    label = "reports"
    verbose_name = "Tự đánh giá chỉ số chuyển đổi số (DTI)"
