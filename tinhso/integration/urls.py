from django.urls import path

from tinhso.integration import views

app_name = "integration"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("he-thong/", views.register_view, name="register"),
    path("he-thong/<int:client_id>/khoa/", views.issue_view, name="issue"),
    path("khoa/<int:key_id>/thu-hoi/", views.revoke_view, name="revoke"),
]
