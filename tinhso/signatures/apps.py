from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    name = "tinhso.signatures"
    label = "signatures"
    verbose_name = "Chữ ký số"

    def ready(self):
        from tinhso.signatures import checks  # noqa: F401
