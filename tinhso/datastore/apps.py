from django.apps import AppConfig


class DatastoreConfig(AppConfig):
    name = "tinhso.datastore"
    label = "datastore"
    verbose_name = "Kho quản lý dữ liệu điện tử"
