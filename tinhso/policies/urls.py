from django.urls import path

from tinhso.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("<str:key>/", views.detail_view, name="detail"),
]
