"""The installable app at /app/: the shell page (the same for everyone, so the
service worker can keep it), the web app manifest, the service worker and the
offline page. The data comes from the JSON API."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.html import json_script
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from tinhso.fieldreports.models import Status

HERE = Path(__file__).resolve().parent
SHELL_FILES = ["citizenapp/app.js", "citizenapp/inapp.js", "citizenapp/app.css", "citizenapp/icons/icon-192.png"]
THEME = "#0b5394"
BACKGROUND = "#ffffff"


@lru_cache(maxsize=1)
def _files_digest() -> str:
    digest = hashlib.sha256()
    for folder in ("static", "templates"):
        for path in sorted((HERE / folder).rglob("*")):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def version() -> str:
    """Changes whenever the deployed app changes (its static files, templates
    and service worker, and TINHSO_APP_RELEASE): the service worker's cache
    name, so a deploy installs a new worker that drops the old cache."""
    release = getattr(settings, "TINHSO_APP_RELEASE", "")
    return f"{_files_digest()}-{release}" if release else _files_digest()


class _Utf8Encoder(DjangoJSONEncoder):
    """The shell's texts as UTF-8 rather than \\u escapes: a third of the bytes for Vietnamese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **{**kwargs, "ensure_ascii": False})


def _stay_signed_in(request) -> None:
    """A citizen using the app stays signed in on the phone for
    TINHSO_CITIZEN_SESSION_DAYS (staff sessions are left alone)."""
    if getattr(request.user, "is_citizen", False) and not request.session.get("citizenapp_long"):
        request.session.set_expiry(settings.TINHSO_CITIZEN_SESSION_DAYS * 86400)
        request.session["citizenapp_long"] = True


@require_GET
@ensure_csrf_cookie
@cache_control(no_cache=True)
def shell_view(request):
    _stay_signed_in(request)
    text = {
        "supplement": _("Cần bổ sung hồ sơ"), "payment": _("Cần nộp phí, lệ phí"),
        "collect_result": _("Có kết quả, mời nhận"), "evaluate": _("Mời đánh giá mức độ hài lòng"),
        "due": _("Hẹn trả"), "none": _("Chưa có."), "show_all": _("Xem tất cả"),
        "offline": _("Đang ngoại tuyến — hiển thị dữ liệu lần trước"),
        "update": _("Đã có phiên bản mới."), "reload": _("Tải lại"),
        "push_on": _("Đã bật thông báo trên thiết bị này."), "push_denied": _("Bạn đã chặn thông báo cho trang này."),
        "push_unsupported": _("Trình duyệt này không hỗ trợ thông báo đẩy."),
        "push_failed": _("Chưa bật được thông báo; thử lại sau."),
        "signed_out_all": _("Đã đăng xuất trên mọi thiết bị."), "error": _("Chưa tải được; thử lại sau."),
        "humidity": _("Độ ẩm"), "wind": _("Gió"), "rain": _("Mưa"), "today": _("Hôm nay"),
        "province_centre": _("Trung tâm tỉnh"),
        "cancelled": _("Đã hủy"), "changed": _("Có thay đổi"),
        # Field reports and questions sent from inside the app.
        "report_sent": _("Đã gửi phản ánh"),
        "report_offline": _("Đang ngoại tuyến — phản ánh chưa được gửi. Nội dung và ảnh đã được lưu trên điện thoại; "
                            "khi có mạng, bấm “Gửi lại”."),
        "report_failed": _("Chưa gửi được phản ánh (máy chủ chưa trả lời). Nội dung đã được lưu trên điện thoại; "
                           "bấm “Gửi lại” sau ít phút."),
        "draft_waiting": _("Có một phản ánh chưa gửi, lưu trên điện thoại lúc"),
        "draft_online": _("Đã có mạng trở lại — gửi phản ánh đã lưu?"),
        "draft_no_photo": _("Điện thoại này không lưu được ảnh; hãy chụp lại ảnh trước khi gửi."),
        "photo_kept": _("Ảnh đã lưu cùng bản nháp"),
        "locating": _("Đang lấy vị trí…"), "located": _("Đã lấy vị trí"),
        "locate_failed": _("Không lấy được vị trí của điện thoại; chọn xã, phường và nhập địa chỉ cụ thể."),
        "need_category": _("Chọn lĩnh vực phản ánh."), "need_description": _("Nhập nội dung phản ánh."),
        "need_unit": _("Chọn xã, phường nơi xảy ra sự việc."),
        "need_location": _("Dùng vị trí hiện tại của tôi hoặc nhập địa chỉ cụ thể."),
        "fix_errors": _("Chưa gửi được; xem từng mục dưới đây."),
        "sign_in_again": _("Phiên đăng nhập đã hết; hãy đăng nhập lại."),
        "sending": _("Đang gửi…"), "sent_at": _("Gửi lúc"), "agency": _("Cơ quan xử lý"),
        "timeline": _("Quá trình xử lý"), "result": _("Kết quả xử lý"), "rating_thanks": _("Cảm ơn bạn đã đánh giá."),
        "rated": _("Bạn đã đánh giá"), "not_found": _("Không tìm thấy."),
        "read_on_portal": _("Xem trên cổng thông tin"), "loading": _("Đang tải…"), "need_rating": _("Chọn mức hài lòng."),
        "ratings": {"very_satisfied": _("Rất hài lòng"), "satisfied": _("Hài lòng"),
                    "not_satisfied": _("Không hài lòng")},
        "reopened": _("Đã mở lại phản ánh; cơ quan sẽ xử lý lại."),
        "question_sent": _("Đã gửi câu hỏi."),
        "question_offline": _("Đang ngoại tuyến — câu hỏi chưa được gửi. Nội dung vẫn được giữ; bấm “Gửi câu hỏi” "
                              "khi có mạng."),
        "no_answer": _("Chưa có câu trả lời."), "answer": _("Trả lời"), "asked_on": _("Hỏi ngày"),
        "statuses": {value: str(label) for value, label in Status.choices},
    }
    return render(request, "citizenapp/shell.html", {"app_text": json_script(text, "app-text", encoder=_Utf8Encoder),
                                                     "version": version(), "theme": THEME})


@require_GET
@cache_control(max_age=3600)
def manifest_view(request):
    data = {
        "id": "/app/",
        "name": _("Tỉnh Số — Ứng dụng công dân"),
        "short_name": _("Tỉnh Số"),
        "description": _("Hồ sơ, phản ánh, thời tiết, lịch công tác, giá cả thị trường và thông báo của tỉnh."),
        "lang": "vi",
        "dir": "ltr",
        "start_url": "/app/?source=pwa",
        "scope": "/app/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "categories": ["government", "news", "weather"],
        "icons": [
            {"src": static("citizenapp/icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("citizenapp/icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("citizenapp/icons/maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
@cache_control(no_cache=True)
def service_worker_view(request):
    """The worker's code is a static file; the deployed version and the shell's
    asset URLs (hashed in production) are put in front of it."""
    shell = ["/app/", "/app/offline/", "/app/manifest.webmanifest", *[static(p) for p in SHELL_FILES],
             static("citizenapp/icons/icon-512.png")]
    head = f"const VERSION = {json.dumps(version())};\nconst SHELL = {json.dumps(shell)};\n"
    body = (HERE / "static" / "citizenapp" / "sw-body.js").read_text()
    response = HttpResponse(head + body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/app/"
    return response


@require_GET
@cache_control(max_age=3600)
def offline_view(request):
    return render(request, "citizenapp/offline.html", {"theme": THEME})
