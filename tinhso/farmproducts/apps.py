from django.apps import AppConfig


class FarmProductsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "tinhso.farmproducts"
    verbose_name = "Nông sản, mã số vùng trồng, truy xuất nguồn gốc"

    def ready(self):
        from tinhso.dashboard import programme
        from tinhso.farmproducts import queries

        programme.register(queries.programme_figures)
