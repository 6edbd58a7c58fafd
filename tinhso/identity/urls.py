from django.urls import path

from tinhso.identity import views

app_name = "identity"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("callback/", views.callback_view, name="callback"),
    path("logout/", views.logout_view, name="logout"),
]
