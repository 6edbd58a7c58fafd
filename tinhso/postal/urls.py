from django.urls import path

from tinhso.postal import views

app_name = "postal"
urlpatterns = [
    path("thong-bao/", views.webhook_view, name="webhook"),
    path("ho-so/<str:code>/thu-gom/", views.pickup_view, name="pickup"),
    path("ho-so/<str:code>/chuyen-phat/", views.delivery_view, name="delivery"),
]
