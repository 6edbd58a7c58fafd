from django.urls import path

from tinhso.catalogue import eform_views, views

app_name = "catalogue"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("new/", views.procedure_create_view, name="procedure_create"),
    path("import/", views.import_view, name="import"),
    path("export/", views.export_view, name="export"),
    path("p/<str:code>/", views.detail_view, name="detail"),
    path("p/<str:code>/edit/", views.procedure_edit_view, name="procedure_edit"),
    path("p/<str:code>/active/", views.procedure_active_view, name="procedure_active"),
    path("p/<str:code>/cases/new/", views.case_edit_view, name="case_create"),
    path("p/<str:code>/cases/<int:pk>/", views.case_edit_view, name="case_edit"),
    path("p/<str:code>/cases/<int:pk>/form/", eform_views.case_form_view, name="case_form"),
]
