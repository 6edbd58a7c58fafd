from django.urls import path

from tinhso.serviceindex import views

app_name = "serviceindex"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("chi-tiet/<str:code>/", views.drill_view, name="drill"),
    path("nhap-so-lieu/", views.enter_view, name="enter"),
    path("diem-cong-bo/", views.published_view, name="published"),
    path("phuong-phap/", views.methodology_view, name="methodology"),
]
