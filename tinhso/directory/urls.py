from django.urls import path

from tinhso.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.public_view, name="public"),
    path("noi-bo/", views.index_view, name="index"),
    path("noi-bo/excel/", views.export_view, name="export"),
    path("noi-bo/<int:entry_id>/", views.entry_view, name="entry"),
    path("de-nghi/", views.requests_view, name="requests"),
    path("de-nghi/<int:request_id>/", views.request_view, name="request"),
    path("hop-thu/", views.mailboxes_view, name="mailboxes"),
    path("hop-thu/mau.xlsx", views.import_template_view, name="import_template"),
    path("hop-thu/<int:mailbox_id>/trang-thai/", views.mailbox_state_view, name="mailbox_state"),
    path("chung-thu/", views.certificates_view, name="certificates"),
    path("chung-thu/<int:credential_id>/", views.certificate_action_view, name="certificate_action"),
]
