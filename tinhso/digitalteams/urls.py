from django.urls import path

from tinhso.digitalteams import views

app_name = "digitalteams"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("ghi-hoat-dong/", views.log_view, name="log"),
    path("nhap-excel/", views.import_view, name="import"),
    path("tap-huan/", views.trainings_view, name="trainings"),
    path("bao-cao/", views.report_view, name="report"),
    path("<int:pk>/", views.team_view, name="team"),
    path("<int:pk>/ngung-hoat-dong/", views.deactivate_view, name="deactivate"),
    path("<int:pk>/hoat-dong-lai/", views.reactivate_view, name="reactivate"),
    path("<int:pk>/thanh-vien/<int:member_pk>/roi-to/", views.member_leaves_view, name="member_leaves"),
    path("<int:pk>/thanh-vien/<int:member_pk>/tro-lai/", views.member_returns_view, name="member_returns"),
]
