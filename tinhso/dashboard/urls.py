from django.urls import path

from tinhso.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("bao-cao-kstt/", views.kstt_view, name="kstt"),
    path("chi-tieu/", views.targets_view, name="targets"),
    path("chi-tieu/<int:pk>/", views.target_edit_view, name="target_edit"),
]
