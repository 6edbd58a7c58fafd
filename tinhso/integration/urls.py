from django.urls import path

from tinhso.integration import views

app_name = "integration"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("he-thong/", views.register_view, name="register"),
    path("he-thong/<int:client_id>/", views.client_view, name="client"),
    path("he-thong/<int:client_id>/sua/", views.client_update_view, name="client_update"),
    path("he-thong/<int:client_id>/khoa/", views.issue_view, name="issue"),
    path("khoa/<int:key_id>/doi/", views.rotate_view, name="rotate"),
    path("khoa/<int:key_id>/thu-hoi/", views.revoke_view, name="revoke"),
    path("dich-vu/<slug:code>/", views.service_view, name="service"),
    path("dich-vu/<slug:code>/sua/", views.service_update_view, name="service_update"),
    path("nhat-ky/", views.log_view, name="log"),
    path("nhat-ky/tai-ve.csv", views.log_export_view, name="log_export"),
    path("nhat-ky/kiem-tra/", views.verify_view, name="verify"),
]
