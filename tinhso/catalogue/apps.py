from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "tinhso.catalogue"
    label = "catalogue"
    verbose_name = "Danh mục thủ tục hành chính"

    def ready(self):
        from tinhso.catalogue import signals  # noqa: F401 - connects the search cache invalidation
