"""Open311 GeoReport v2 at /open311/v2/ (docs/field-reports.md#open311).

GETs are open to anyone and show public reports only (plus, with the
client's own api_key, the reports that client sent); POST needs an api_key
with the open311 scope (tinhso.integration). Every call is logged."""

from __future__ import annotations

import datetime
import hashlib
import logging

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from tinhso.core.errors import DomainError, InvalidInput, PermissionDenied
from tinhso.fieldreports.actions.open311 import submit_request
from tinhso.fieldreports.actions.submit import categories_in_force
from tinhso.fieldreports.models import FieldReport
from tinhso.fieldreports.models.report import OPEN_STATUSES, PUBLIC_STATUSES
from tinhso.fieldreports.open311.formats import error, respond
from tinhso.fieldreports.open311.serialise import definition, request_record, service
from tinhso.integration.gateway import Call, RateLimited, Unauthenticated, admit, presented

FORMATS = ("json", "xml")
DEFAULT_DAYS = 90
DEFAULT_LIMIT = 1000


def jurisdiction() -> str:
    return getattr(settings, "TINHSO_OPEN311_JURISDICTION", "") or "tinhso"


def _logged(view):
    def wrapped(request, *args, fmt="json", **kwargs):
        # Logged by the gateway's middleware (tinhso.integration.gateway), keyed or anonymous.
        request._gateway_call = Call("open311")
        request.open311_key = None
        if fmt not in FORMATS:
            response = error("json", 404, "Định dạng không hỗ trợ; dùng .json hoặc .xml.")
        else:
            given = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
            if given and given != jurisdiction():
                response = error(fmt, 404, f"jurisdiction_id không đúng; dùng “{jurisdiction()}”.")
            else:
                try:
                    response = view(request, *args, fmt=fmt, **kwargs)
                except RateLimited as exc:
                    response = error(fmt, 429, exc.message)
                except (PermissionDenied, Unauthenticated) as exc:
                    response = error(fmt, 403, exc.message)
                except DomainError as exc:
                    response = error(fmt, 400, exc.message + "".join(f" {e['message']}" for e in exc.errors[1:]))
                except Exception:  # a defect: logged with its traceback, answered in the spec's shape, and counted
                    logging.getLogger("tinhso.open311").exception("Open311 %s %s failed", request.method, request.path)
                    response = error(fmt, 500, "Lỗi hệ thống; đã ghi nhận để khắc phục.")
        return response
    wrapped.__name__ = view.__name__
    return csrf_exempt(wrapped)


def _key(request, required: bool):
    raw = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    given = presented(request)  # X-API-Key or an OAuth bearer token work here too
    if given is None and not raw and not required:
        return None
    kind, raw = given or ("key", raw)
    if not raw:
        raise Unauthenticated("Thiếu api_key.", code="api_key_missing")
    request.open311_key = admit(request, "open311", kind, raw)
    return request.open311_key


@_logged
def discovery_view(request, fmt):
    base = f"{settings.TINHSO_BASE_URL}{reverse('open311:root')}"
    return respond({"changeset": "2026-12-04T00:00:00+07:00", "contact": getattr(settings, "TINHSO_OPEN311_CONTACT", "")
                    or "Trung tâm Giám sát, điều hành đô thị thông minh",
                    "key_service": "Liên hệ quản trị hệ thống của tỉnh để được cấp api_key.",
                    "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                                   "changeset": "2026-12-04T00:00:00+07:00", "type": "production",
                                   "formats": ["application/json", "text/xml"]}]}, fmt, "discovery")


@_logged
def services_view(request, fmt):
    return respond([service(c) for c in categories_in_force()], fmt, "services")


@_logged
def service_definition_view(request, code, fmt):
    category = categories_in_force().filter(code=code).prefetch_related("attributes").first()
    if category is None:
        return error(fmt, 404, f"Không có service_code “{code}”.")
    return respond(definition(category), fmt, "service_definition")


def _visible(request):
    key = _key(request, required=False)
    public = Q(status__in=PUBLIC_STATUSES, hidden_at__isnull=True, category__is_public=True)
    if key is not None:
        public |= Q(client=key.client)
    return (FieldReport.objects.filter(public).select_related("category", "unit", "agency", "reason", "duplicate_of")
            .prefetch_related("media"))


def _when(raw: str, name: str):
    if not raw:
        return None
    try:
        value = datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        value = value if value.tzinfo else timezone.make_aware(value)
        value.astimezone(datetime.timezone.utc)  # 9999-12-31T23:59-12:00 does not exist in UTC
    except (ValueError, OverflowError):
        raise InvalidInput(f"{name} phải theo ISO 8601, ví dụ 2026-01-01T00:00:00Z.", code="bad_date") from None
    if not 2000 <= value.year <= 2100:
        raise InvalidInput(f"{name} phải trong khoảng năm 2000–2100.", code="bad_date")
    return value


@csrf_exempt
def requests_view(request, fmt="json"):
    return (_post_request if request.method == "POST" else _list_requests)(request, fmt=fmt)


@_logged
def _list_requests(request, fmt):
    params = request.GET
    extensions = params.get("extensions") == "true"
    qs = _visible(request).order_by("-created_at", "-id")
    ids = [i.strip() for i in (params.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        return respond([request_record(r, extensions=extensions) for r in qs.filter(code__in=ids[:DEFAULT_LIMIT])],
                       fmt, "service_requests")
    codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__code__in=codes)
    start, end = _when(params.get("start_date", ""), "start_date"), _when(params.get("end_date", ""), "end_date")
    if start and end and start > end:
        raise InvalidInput("start_date phải trước end_date.", code="bad_range")
    if start is None:  # the spec's default window: 90 days (up to end_date when given)
        start = (end or timezone.now()) - datetime.timedelta(days=DEFAULT_DAYS)
    if start:
        qs = qs.filter(created_at__gte=start)
    if end:
        qs = qs.filter(created_at__lte=end)
    statuses = {s.strip() for s in (params.get("status") or "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise InvalidInput("status chỉ nhận open, closed.", code="bad_status")
    if statuses == {"open"}:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        qs = qs.exclude(status__in=OPEN_STATUSES)
    try:
        page = min(max(1, int(params.get("page") or 1)), 100_000)
        size = min(DEFAULT_LIMIT, max(1, int(params.get("page_size") or DEFAULT_LIMIT)))
    except ValueError:
        raise InvalidInput("page, page_size phải là số nguyên dương.", code="bad_page") from None
    rows = qs[(page - 1) * size:page * size]
    return respond([request_record(r, extensions=extensions) for r in rows], fmt, "service_requests")


@_logged
def request_view(request, code, fmt):
    report = _visible(request).filter(code=code).first()
    if report is None:
        return error(fmt, 404, f"Không có service_request_id “{code}” (hoặc chưa công khai).")
    return respond([request_record(report, extensions=request.GET.get("extensions") == "true")], fmt,
                   "service_requests")


@_logged
def token_view(request, token, fmt):
    report = FieldReport.objects.filter(submit_key=f"open311:{token}").first()
    if report is None:
        return error(fmt, 404, "Không có token này.")
    return respond([{"service_request_id": report.code, "token": token}], fmt, "service_requests")


def _digest(request) -> str:
    items = sorted((k, v) for k, values in request.POST.lists() if k != "api_key" for v in values)
    files = sorted(hashlib.sha256(f.read()).hexdigest() for f in request.FILES.getlist("media"))
    for f in request.FILES.getlist("media"):
        f.seek(0)
    return hashlib.sha256(repr((items, files)).encode("utf-8")).hexdigest()


@_logged
def _post_request(request, fmt):
    key = _key(request, required=True)
    request.open311_digest = _digest(request)
    report, token = submit_request(client=key.client, post=request.POST, media=request.FILES.getlist("media"),
                                   digest=request.open311_digest)
    post = request.POST
    notice = "Phản ánh đã được tiếp nhận; Trung tâm điều hành sẽ xác nhận và chuyển cơ quan xử lý."
    if post.get("media_url"):
        notice += " media_url không được tải về; hãy gửi ảnh dưới dạng tệp media."
    return respond([{"service_request_id": report.code, "token": token, "service_notice": notice,
                     "account_id": post.get("account_id", "")}], fmt, "service_requests")


@_logged
def not_found_view(request, rest: str = "", fmt="json"):
    return error(fmt, 404, "Không có tài nguyên này trong Open311 GeoReport v2.")
