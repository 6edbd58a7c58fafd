from django.urls import path

from tinhso.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.login_otp_view, name="login_otp"),
    path("logout/", views.logout_view, name="logout"),
    path("security/", views.security_view, name="security"),
    path("staff/", views.staff_list_view, name="staff_list"),
    path("staff/<int:pk>/", views.staff_detail_view, name="staff_detail"),
    path("two-factor/", views.two_factor_rules_view, name="two_factor_rules"),
]
