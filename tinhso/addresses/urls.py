from django.urls import path

from tinhso.addresses import views

app_name = "addresses"
urlpatterns = [
    path("", views.public_view, name="public"),
    path("ban-do/", views.map_view, name="map"),
    path("quan-ly/", views.manage_view, name="manage"),
    path("quan-ly/nhap/", views.import_view, name="import"),
    path("quan-ly/mau.xlsx", views.template_view, name="template"),
    path("quan-ly/<str:code>/", views.edit_view, name="edit"),
    path("quan-ly/<str:code>/ngung/", views.retire_view, name="retire"),
    path("<str:code>/", views.detail_view, name="detail"),
]
