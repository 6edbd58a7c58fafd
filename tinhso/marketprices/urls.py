"""Public prices at /gia-ca/, the back office at /gia-ca/quan-ly/."""

from django.urls import path

from tinhso.marketprices import views

app_name = "marketprices"
urlpatterns = [
    path("", views.public_board_view, name="public"),
    path("mat-hang/<int:good_id>/", views.public_trend_view, name="trend"),
    path("quan-ly/", views.manage_view, name="index"),
    path("quan-ly/mau-nhap.xlsx", views.template_view, name="template"),
]
