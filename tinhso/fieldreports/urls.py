from django.urls import path

from tinhso.fieldreports.views import categories, public, staff, stats

app_name = "fieldreports"
urlpatterns = [
    path("", public.list_view, name="public_list"),
    path("gui/", public.submit_view, name="submit"),
    path("cua-toi/", public.mine_view, name="mine"),
    path("dieu-hanh/", staff.queue_view, name="staff_queue"),
    path("dieu-hanh/tiep-nhan/", staff.hotline_view, name="hotline"),
    path("dieu-hanh/ban-do/", staff.map_view, name="staff_map"),
    path("dieu-hanh/thong-ke/", stats.stats_view, name="stats"),
    path("dieu-hanh/linh-vuc/", categories.list_view, name="categories"),
    path("dieu-hanh/linh-vuc/moi/", categories.edit_view, name="category_new"),
    path("dieu-hanh/linh-vuc/<str:code>/", categories.edit_view, name="category_edit"),
    path("dieu-hanh/linh-vuc/<str:code>/thoi-han/", categories.deadline_view, name="category_deadline"),
    path("dieu-hanh/linh-vuc/<str:code>/phan-cong/", categories.route_view, name="category_route"),
    path("dieu-hanh/linh-vuc/<str:code>/phan-cong/<int:route_id>/ket-thuc/", categories.route_end_view,
         name="category_route_end"),
    path("dieu-hanh/<str:code>/", staff.detail_view, name="staff_detail"),
    path("dieu-hanh/<str:code>/thao-tac/<str:action>/", staff.act_view, name="staff_act"),
    path("dieu-hanh/<str:code>/tep/<int:media_id>/", staff.staff_media_view, name="staff_media"),
    path("dieu-hanh/<str:code>/tep/<int:media_id>/kiem-duyet/", staff.media_moderate_view, name="media_moderate"),
    path("<str:code>/", public.detail_view, name="public_detail"),
    path("<str:code>/anh/<int:media_id>/", public.media_view, name="public_media"),
    path("<str:code>/theo-doi/", public.follow_view, name="follow"),
    path("<str:code>/danh-gia/", public.rate_view, name="rate"),
    path("<str:code>/mo-lai/", public.reopen_view, name="reopen"),
]
