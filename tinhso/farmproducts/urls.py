from django.urls import path

from tinhso.farmproducts import views

app_name = "farmproducts"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("ma-so/", views.areas_view, name="areas"),
    path("ma-so/<str:kind>/<str:code>/<str:action>/", views.code_status_view, name="code_status"),
    path("moi/<str:kind>/", views.new_view, name="new"),
    path("nhap-excel/", views.import_view, name="import"),
    path("xuat-excel/", views.export_view, name="export"),
    path("san-pham/<int:pk>/", views.product_view, name="product"),
    path("lo-hang/<str:code>/", views.batch_view, name="batch"),
    path("lo-hang/<str:code>/qr.png", views.qr_view, name="qr"),
    path("lo-hang/<str:code>/tem.pdf", views.labels_view, name="labels"),
    path("lo-hang/<str:code>/<str:action>/", views.batch_status_view, name="batch_status"),
]
