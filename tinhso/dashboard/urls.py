from django.urls import path

from tinhso.dashboard import programme_views, views

app_name = "dashboard"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("bao-cao-kstt/", views.kstt_view, name="kstt"),
    path("chi-tieu/", views.targets_view, name="targets"),
    path("chi-tieu/<int:pk>/", views.target_edit_view, name="target_edit"),
    path("chuong-trinh/", programme_views.programme_view, name="programme"),
    path("chuong-trinh/them/", programme_views.programme_target_view, name="programme_add"),
    path("chuong-trinh/<int:pk>/", programme_views.programme_target_view, name="programme_edit"),
    path("chuong-trinh/nhap-so-lieu/", programme_views.programme_value_view, name="programme_value"),
]
