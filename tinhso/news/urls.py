"""Public news at /tin-tuc/, the back office at /tin-tuc/quan-ly/."""

from django.urls import path

from tinhso.news import views

app_name = "news"
urlpatterns = [
    path("", views.public_list_view, name="public_list"),
    path("<int:pk>/", views.public_detail_view, name="public_detail"),
    path("anh/<int:pk>/", views.image_view, {"thumb": False}, name="image"),
    path("anh/<int:pk>/nho/", views.image_view, {"thumb": True}, name="thumbnail"),
    path("quan-ly/", views.manage_list_view, name="index"),
    path("quan-ly/moi/", views.edit_view, name="new"),
    path("quan-ly/<int:pk>/", views.edit_view, name="edit"),
    path("quan-ly/<int:pk>/go/", views.withdraw_view, name="withdraw"),
]
