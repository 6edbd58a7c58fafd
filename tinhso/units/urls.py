from django.urls import path

from tinhso.units import views

app_name = "units"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("successions/<int:pk>/correct/", views.correct_view, name="correct"),
]
