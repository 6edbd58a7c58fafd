"""Public traceability pages at /truy-xuat/ (the URL in every QR label)."""

from django.urls import path

from tinhso.farmproducts import views

app_name = "trace"
urlpatterns = [
    path("", views.trace_lookup_view, name="lookup"),
    path("<str:code>/", views.trace_view, name="batch"),
    path("<str:code>/anh/<int:photo_id>/", views.photo_view, name="photo"),
]
