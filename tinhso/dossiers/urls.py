from django.urls import path

from tinhso.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("receive/", views.receive_view, name="receive"),
    path("book/", views.book_view, name="book"),
    path("<str:code>/", views.detail_view, name="detail"),
    path("<str:code>/act/<str:action>/", views.act_view, name="act"),
    path("<str:code>/otp/", views.send_otp_view, name="send_otp"),
    path("<str:code>/forms/<str:form>.pdf", views.form_pdf_view, name="form_pdf"),
    path("<str:code>/files/<int:file_id>/", views.file_view, name="file"),
    path("<str:code>/receipts/<int:receipt_id>/", views.receipt_view, name="receipt"),
]
