from django.urls import path

from tinhso.reports import views

app_name = "reports"
urlpatterns = [
    path("dti/", views.dti_index_view, name="dti"),
    path("dti/<int:year>/", views.dti_year_view, name="dti_year"),
]
