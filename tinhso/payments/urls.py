from django.urls import path

from tinhso.payments import views

app_name = "payments"
urlpatterns = [
    path("cong/thong-bao/", views.callback_view, name="callback"),
    path("quan-ly/", views.staff_list_view, name="staff_list"),
    path("quan-ly/tao/", views.staff_create_view, name="staff_create"),
    path("quan-ly/doi-soat/", views.report_view, name="report"),
    path("quan-ly/<str:reference>/", views.staff_detail_view, name="staff_detail"),
    path("quan-ly/<str:reference>/<str:action>/", views.staff_act_view, name="staff_act"),
    path("<str:reference>/", views.pay_view, name="pay"),
    path("<str:reference>/ket-qua/", views.return_view, name="return"),
]
