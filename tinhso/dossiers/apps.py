from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "tinhso.dossiers"
    label = "dossiers"
    verbose_name = "Hồ sơ thủ tục hành chính (một cửa điện tử)"

    def ready(self):
        from tinhso.dossiers import policies  # noqa: F401  (declares the one-stop-shop's dated rules)
