from django.apps import AppConfig


class ReceiptsConfig(AppConfig):
    name = "tinhso.receipts"
    label = "receipts"
    verbose_name = "Biên lai điện tử"
