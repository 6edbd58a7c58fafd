"""Public pages at /lich-cong-tac/ and the back office at /lich-cong-tac/quan-ly/."""

from django.urls import path

from tinhso.schedules import views

app_name = "schedules"
urlpatterns = [
    path("", views.public_index_view, name="public_index"),
    path("quan-ly/", views.manage_index_view, name="index"),
    path("quan-ly/<int:agency_id>/", views.manage_week_view, name="manage"),
    path("quan-ly/<int:agency_id>/cong-bo/", views.publish_view, name="publish"),
    path("quan-ly/<int:agency_id>/muc/<int:entry_id>/", views.entry_view, name="entry"),
    path("quan-ly/<int:agency_id>/muc/<int:entry_id>/huy/", views.cancel_view, name="cancel"),
    path("<str:code>/", views.public_week_view, name="public_week"),
    path("<str:code>/lich.ics", views.ics_view, name="ics"),
]
