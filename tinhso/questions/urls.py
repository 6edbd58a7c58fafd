"""Public Q&A at /hoi-dap/, the citizen's own at /hoi-dap/cua-toi/, staff at /hoi-dap/quan-ly/."""

from django.urls import path

from tinhso.questions import views

app_name = "questions"
urlpatterns = [
    path("", views.public_list_view, name="public_list"),
    path("<int:pk>/", views.public_detail_view, name="public_detail"),
    path("gui/", views.ask_view, name="ask"),
    path("cua-toi/", views.mine_view, name="mine"),
    path("cua-toi/<int:pk>/", views.mine_detail_view, name="mine_detail"),
    path("quan-ly/", views.inbox_view, name="index"),
    path("quan-ly/<int:pk>/", views.answer_view, name="answer"),
    path("quan-ly/<int:pk>/cong-khai/", views.publish_view, name="publish"),
]
