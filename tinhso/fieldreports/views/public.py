"""Public pages: the report form (web and phone), the map and list of public
reports, a report's page, and the reporter's rating, reopening and following.
No personal data of any reporter is ever rendered here."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.core.errors import DomainError, InvalidInput
from tinhso.dossiers import staging
from tinhso.fieldreports import actions, geo
from tinhso.fieldreports.actions.submit import categories_in_force, communes
from tinhso.fieldreports.forms import PhoneForm, RateForm, ReportForm
from tinhso.core.maps import map_context
from tinhso.fieldreports.media import check_media
from tinhso.fieldreports.models import Channel, FieldReport, ReportMedia
from tinhso.fieldreports.queries import nearby_open, public_page

SESSION_PHONE = "fieldreports.phone"
SESSION_MINE = "fieldreports.mine"
SLOT = "photos"
PAGE_SIZE = 30


def _is_citizen(request) -> bool:
    return request.user.is_authenticated and getattr(request.user, "is_citizen", False)


def _mine(request) -> list[str]:
    return list(request.session.get(SESSION_MINE, []))


def list_view(request):
    try:
        number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        number = 1
    rows, total, chosen = public_page(request.GET, number, PAGE_SIZE, count=True)
    pages = max(1, -(-total // PAGE_SIZE))
    if number > pages:
        number = pages
        rows, total, chosen = public_page(request.GET, number, PAGE_SIZE, count=True)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "fieldreports/public_list.html", {
        "reports": [(r, _point(r)) for r in rows], "total": total, "number": number, "pages": pages,
        "query": query.urlencode(), "chosen": chosen, "categories": categories_in_force(), "communes": communes(),
        **map_context()})


def _point(report):
    return geo.rounded(report.lat, report.lng) if report.hide_location else (report.lat, report.lng)


def detail_view(request, code):
    token = request.GET.get("t")
    if token:  # the reporter's signed link from the answer's SMS or e-mail: this browser may now rate and reopen
        from tinhso.fieldreports.notifications import code_from_link

        if code_from_link(token) == code:
            request.session[SESSION_MINE] = [*_mine(request), code][-20:]
        return redirect("fieldreports:public_detail", code=code)
    report = FieldReport.objects.select_related("category", "unit", "duplicate_of").filter(code=code).first()
    own = report is not None and ((_is_citizen(request) and report.reporter_id == request.user.pk)
                                  or code in _mine(request))
    if report is None or not (report.is_public or own or (report.status == "merged" and report.duplicate_of)):
        raise Http404(_("Không tìm thấy phản ánh hoặc phản ánh không công khai."))
    if report.status == "merged" and not own:
        return redirect("fieldreports:public_detail", code=report.duplicate_of.code)
    media = [m for m in report.media.all() if m.is_public]
    documents = [m for m in media if m.role == "evidence" and m.kind == "document"]
    return render(request, "fieldreports/public_detail.html", {
        "report": report, "own": own, "point": _point(report),
        "timeline": report.events.filter(public=True).order_by("at", "id"),
        "photos": [m for m in media if m.role == "report"],
        "evidence": [m for m in media if m.role == "evidence" and m.kind == "photo"], "documents": documents,
        "rate_form": RateForm(), **map_context()})


def media_view(request, code, media_id):
    """The public copy of a photo (no EXIF) of a public report; never the original."""
    media = ReportMedia.objects.select_related("report__category").filter(pk=media_id, report__code=code).first()
    own = code in _mine(request) or (request.user.is_authenticated and media is not None
                                      and media.report.reporter_id == request.user.pk)  # e.g. in the citizen app
    if media is None or not media.is_public or not (media.report.is_public or own):
        raise Http404(_("Không có ảnh này."))
    if media.public_file:
        response = FileResponse(media.public_file.open("rb"), content_type="image/jpeg")
    else:  # a published evidence document (PDF, DOCX), reviewed by the centre when it published the answer
        response = FileResponse(media.file.open("rb"), content_type=media.content_type, filename=media.original_name)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def submit_view(request):
    categories = list(categories_in_force())
    units = list(communes())
    citizen = _is_citizen(request)
    token = request.POST.get("form_token") or uuid.uuid4().hex
    form = ReportForm(request.POST or None, categories=categories, communes=units)
    phone_form = PhoneForm(request.POST or None) if not citizen else None
    context = {"form": form, "phone_form": phone_form, "token": token, "citizen": citizen,
               "confirmed_phone": request.session.get(SESSION_PHONE), **map_context()}
    if request.method != "POST":
        return render(request, "fieldreports/submit.html", context)

    user = request.user if request.user.is_authenticated else None
    upload_errors = staging.stage(request.FILES, token, user, [SLOT], check=lambda f, s: check_media(f, s))
    context["staged"] = staging.staged(token, user).get(SLOT, [])
    context["upload_errors"] = upload_errors.get(SLOT, [])
    form.is_valid()
    data = {k: request.POST.get(k, "") for k in ("category", "description", "unit", "address", "lat", "lng")}
    try:
        phone, name = _identity(request, citizen, phone_form)
    except DomainError as exc:
        context["identity_error"] = exc.message
        return render(request, "fieldreports/submit.html", context, status=200 if "send_code" in request.POST else 422)
    if "send_code" in request.POST:
        context["code_sent"] = True
        return render(request, "fieldreports/submit.html", context)
    if context["upload_errors"]:
        return render(request, "fieldreports/submit.html", context, status=422)

    if not request.POST.get("dup_checked") and data["lat"] and data["lng"]:
        category = next((c for c in categories if c.code == data["category"]), None)
        try:
            nearby = nearby_open(float(data["lat"]), float(data["lng"]), category)
        except ValueError:
            nearby = []
        if nearby:
            context["duplicates"] = [(r, _point(r)) for r in nearby]
            return render(request, "fieldreports/submit.html", context)
    try:
        report = actions.submit_report(
            acting_user=user if citizen else None, category_code=data["category"], description=data["description"],
            unit_id=data["unit"], lat=data["lat"] or None, lng=data["lng"] or None, address=data["address"],
            files=staging.as_uploads(context["staged"]), channel=_channel(request),
            hide_location=bool(request.POST.get("hide_location")), anonymous=bool(request.POST.get("anonymous")),
            reporter_name=name, reporter_phone=phone or "", phone_confirmed=bool(phone) and not citizen,
            submit_key=f"web:{_session_key(request)}:{token}"[:80])
    except InvalidInput as exc:
        context["errors"] = exc.errors
        context["error"] = exc.message
        for error in exc.errors:
            if error["field"] in form.fields:
                form.add_error(error["field"], error["message"])
        return render(request, "fieldreports/submit.html", context, status=422)
    staging.discard(token, user)
    if not citizen:
        request.session[SESSION_MINE] = [*_mine(request), report.code][-20:]
    messages.success(request, _("Đã gửi phản ánh %(code)s. Bạn sẽ nhận thông báo khi có kết quả xử lý.")
                     % {"code": report.code})
    return redirect("fieldreports:public_detail", code=report.code)


def _session_key(request) -> str:
    """The browser session the form belongs to: a retried post of the same
    form returns its report; someone else's token makes a new one."""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key


def _channel(request) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "")
    return Channel.MOBILE if "Mobile" in agent or "Android" in agent or "iPhone" in agent else Channel.WEB


def _identity(request, citizen: bool, phone_form) -> tuple[str | None, str]:
    """(the confirmed phone or None for a signed-in citizen, the name given)."""
    if citizen:
        return None, request.user.get_full_name()
    raw = request.POST.get("phone", "")
    name = (request.POST.get("reporter_name") or "").strip()[:200]
    phone = actions.normalise_phone(raw)
    if "send_code" in request.POST:
        actions.send_phone_code(phone=phone, address=request.META.get("REMOTE_ADDR", ""))
        return phone, name
    if request.session.get(SESSION_PHONE) == phone:
        return phone, name
    if not (request.POST.get("code") or "").strip():
        raise InvalidInput(_("Bấm “Gửi mã” để nhận mã xác nhận qua tin nhắn, rồi nhập mã; hoặc đăng nhập bằng định "
                             "danh điện tử."), code="code_required")
    actions.confirm_phone(phone=phone, code=request.POST.get("code", ""))
    request.session[SESSION_PHONE] = phone
    return phone, name


@require_POST
def follow_view(request, code):
    try:
        actions.follow(acting_user=request.user if _is_citizen(request) else None, code=code,
                       phone=request.session.get(SESSION_PHONE, ""))
        messages.success(request, _("Bạn đang theo dõi phản ánh %(code)s; bạn sẽ được báo khi có kết quả.")
                         % {"code": code})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("fieldreports:public_detail", code=code)


@require_POST
def rate_view(request, code):
    try:
        actions.rate(acting_user=request.user, code=code, rating=request.POST.get("rating", ""),
                     comment=request.POST.get("comment", ""), reporter_ok=code in _mine(request))
        messages.success(request, _("Cảm ơn bạn đã đánh giá kết quả xử lý."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("fieldreports:public_detail", code=code)


@require_POST
def reopen_view(request, code):
    try:
        actions.reopen(acting_user=request.user, code=code, comment=request.POST.get("comment", ""),
                       reporter_ok=code in _mine(request))
        messages.success(request, _("Đã mở lại phản ánh; cơ quan xử lý sẽ xem xét lại."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("fieldreports:public_detail", code=code)


def mine_view(request):
    if not _is_citizen(request):
        return redirect(f"{reverse('identity:login')}?next={request.path}")
    reports = FieldReport.objects.filter(reporter=request.user).select_related("category", "unit")
    return render(request, "fieldreports/mine.html", {"reports": reports})
