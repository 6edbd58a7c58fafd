from django.urls import path

from tinhso.officialdocs.views import pages, profiles

app_name = "officialdocs"
urlpatterns = [
    path("", pages.inbox_view, name="inbox"),
    path("soan-thao/", pages.draft_view, name="draft"),
    path("so/", pages.registers_view, name="registers"),
    path("tiep-nhan-giay/", pages.paper_view, name="paper"),
    path("thong-tin-ban-hanh/", profiles.profiles_view, name="profiles"),
    path("thong-tin-ban-hanh/<int:agency_id>/", profiles.profile_view, name="profile"),
    path("<int:pk>/", pages.detail_view, name="detail"),
    path("<int:pk>/thao-tac/<str:action>/", pages.act_view, name="act"),
    path("<int:pk>/otp/", pages.otp_view, name="otp"),
    path("<int:pk>/tep/<int:file_id>/", pages.file_view, name="file"),
]
