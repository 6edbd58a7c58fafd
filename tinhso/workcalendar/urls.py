from django.urls import path

from tinhso.workcalendar import views

app_name = "workcalendar"
urlpatterns: list = [
    path("", views.index_view, name="index"),
    path("days/add/", views.day_add_view, name="day_add"),
    path("days/<int:pk>/", views.day_edit_view, name="day_edit"),
    path("days/<int:pk>/remove/", views.day_remove_view, name="day_remove"),
    path("days/<int:pk>/confirm/", views.day_confirm_view, name="day_confirm"),
    path("years/confirm/", views.confirm_year_view, name="confirm_year"),
    path("years/discard/", views.discard_proposals_view, name="discard_proposals"),
    path("years/propose/", views.propose_view, name="propose"),
    path("schedules/add/", views.schedule_edit_view, name="schedule_add"),
    path("schedules/<int:pk>/", views.schedule_edit_view, name="schedule_edit"),
]
