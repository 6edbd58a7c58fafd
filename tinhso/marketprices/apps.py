from django.apps import AppConfig


class MarketPricesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.marketprices"
    verbose_name = "Giá cả thị trường"
