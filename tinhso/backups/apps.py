from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Sao lưu và khôi phục dữ liệu."""

    name = "tinhso.backups"
    label = "backups"
    verbose_name = "Sao lưu"
