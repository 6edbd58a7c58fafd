from django.urls import path

from tinhso.catalogue import public_views as catalogue
from tinhso.evaluations import views as evaluations
from tinhso.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("thu-tuc/", catalogue.catalogue_view, name="catalogue"),
    path("thu-tuc/<str:code>/", catalogue.procedure_view, name="procedure"),
    path("nop-ho-so/<int:case_id>/", views.submit_view, name="submit"),
    path("nop-ho-so/<int:case_id>/nhap/", views.draft_autosave_view, name="draft_autosave"),
    path("ho-so/", views.my_dossiers_view, name="my_dossiers"),
    path("ho-so/<str:code>/", views.dossier_view, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", views.dossier_act_view, name="dossier_act"),
    path("ho-so/<str:code>/tep/<int:file_id>/", views.file_view, name="file"),
    path("ho-so/<str:code>/bien-lai/<int:receipt_id>/", views.receipt_view, name="receipt"),
    path("ho-so/<str:code>/danh-gia/", evaluations.evaluate_view, name="evaluate"),
    path("kho-du-lieu/", views.data_store_view, name="data_store"),
    path("tai-khoan/", views.profile_view, name="profile"),
]
