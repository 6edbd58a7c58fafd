from django.urls import path

from tinhso.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("tao/", views.create_view, name="create"),
    path("diem-cau/", views.rooms_view, name="rooms"),
    path("bao-cao/", views.report_view, name="report"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/lich.ics", views.ics_view, name="ics"),
    path("<int:pk>/diem-danh/<int:participant_id>/", views.check_in_view, name="check_in"),
    path("<int:pk>/<str:what>/", views.change_view, name="change"),
]
