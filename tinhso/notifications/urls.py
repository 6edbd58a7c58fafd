from django.urls import path

from tinhso.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("read/", views.read_view, name="read"),
]
