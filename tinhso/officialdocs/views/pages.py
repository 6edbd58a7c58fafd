"""The document pages: work lists, a document with its timeline, files and
exchange statuses and the actions the user may take, and the draft form."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.agencies.models import Agency
from tinhso.core.errors import DomainError, InvalidInput
from tinhso.core.text import fold
from tinhso.officialdocs import actions
from tinhso.officialdocs.actions.dispatch import ACTIONS
from tinhso.officialdocs.models import DocumentType, Secrecy, Urgency
from tinhso.officialdocs.queries import TABS, my_agencies, tab, visible


def _doc(request, pk):
    doc = visible(request.user).select_related("agency", "doc_type", "register").filter(pk=pk).first()
    if doc is None:
        raise Http404(_("Không tìm thấy văn bản hoặc bạn không có quyền xem."))
    return doc


@staff_required()
def inbox_view(request):
    name = request.GET.get("tab") or "incoming"
    qs = tab(request.user, name)
    query = (request.GET.get("q") or "").strip()
    if query:
        for word in fold(query).split():
            qs = qs.filter(search_text__contains=word)
    counts = {key: tab(request.user, key).count() for key in TABS if key not in ("outgoing", "incoming")}
    return render(request, "officialdocs/inbox.html", {
        "documents": qs[:200], "tab": name, "query": query, "may_edit_profiles": _may_edit_profiles(request.user),
        "tabs": [(key, _(label), counts.get(key)) for key, (label, _c) in TABS.items()]})


def _may_edit_profiles(user) -> bool:
    """Whether to link the issuing profiles page: a system administrator or a
    clerical office of one of the user's agencies."""
    from tinhso.accounts.models import Role
    from tinhso.accounts.permissions import has_role

    return has_role(user, (Role.SYSTEM_ADMIN, Role.CLERICAL_OFFICE))


EVENT_LABELS = {
    "draft": _lazy("Tạo dự thảo"), "submit": _lazy("Trình duyệt"), "approve": _lazy("Lãnh đạo phòng duyệt"),
    "send_back": _lazy("Trả lại dự thảo"), "sign": _lazy("Lãnh đạo ký duyệt"), "issue": _lazy("Cấp số, ký số và phát hành"),
    "arrive": _lazy("Văn bản đến (liên thông)"), "receive_paper": _lazy("Tiếp nhận văn bản giấy, số hóa"),
    "register": _lazy("Vào sổ văn bản đến"), "return": _lazy("Trả lại nơi gửi"), "assign": _lazy("Phân công xử lý"),
    "start": _lazy("Bắt đầu xử lý"), "complete": _lazy("Hoàn thành xử lý"), "progress": _lazy("Cập nhật tiến độ"),
    "replaced": _lazy("Bị thay thế bởi văn bản mới"), "corrected": _lazy("Được đính chính"),
    "recall_request": _lazy("Đề nghị thu hồi văn bản"), "recall_requested": _lazy("Nơi gửi đề nghị thu hồi"),
    "recall_accept": _lazy("Hủy văn bản theo đề nghị thu hồi"), "recall_refuse": _lazy("Từ chối thu hồi"),
}


def _events(doc):
    from tinhso.officialdocs.edxml import STATUS_CODES

    rows = list(doc.events.select_related("actor").order_by("at", "id"))
    for row in rows:
        code = row.action.removeprefix("status_")
        row.label = (f"{_('Nơi nhận báo trạng thái')} {code} ({STATUS_CODES[code]})" if row.action.startswith("status_")
                     and code in STATUS_CODES else EVENT_LABELS.get(row.action, row.action))
    return rows


def _signatures(doc) -> list[dict]:
    """Who signed the signed or digitised copy, when, and whether it verifies
    (the signatures service; the report is cached by the SHA-256 of the bytes
    read, so a second view does not run pyHanko again and another file is
    verified afresh)."""
    from tinhso.signatures.cached import verify_pdf_cached

    row = doc.files.filter(role__in=("signed", "scan")).first() or doc.files.filter(
        content_type="application/pdf").first()
    if row is None:
        return []
    with row.file.open("rb") as handle:
        report = verify_pdf_cached(handle.read())
    return report.get("signatures", [])


@staff_required()
def detail_view(request, pk):
    doc = _doc(request, pk)
    return render(request, "officialdocs/detail.html", {
        "doc": doc, "events": _events(doc), "signatures": _signatures(doc),
        "files": doc.files.all(), "recipients": doc.recipients.all(),
        "assignments": doc.assignments.select_related("unit", "person"),
        "units": Agency.objects.filter(path__startswith=doc.agency.path, is_active=True).order_by("path"),
        "people": _people(doc)})


def _people(doc):
    from tinhso.accounts.models import RoleAssignment

    rows = RoleAssignment.objects.active().filter(agency__path__startswith=doc.agency.path).select_related("user")
    return sorted({a.user for a in rows}, key=lambda u: u.get_full_name())


@staff_required()
def file_view(request, pk, file_id):
    doc = _doc(request, pk)
    row = doc.files.filter(pk=file_id).first()
    if row is None:
        raise Http404()
    return FileResponse(row.file.open("rb"), content_type=row.content_type, filename=row.original_name)


@require_POST
@staff_required()
def act_view(request, pk, action):
    _doc(request, pk)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404()
    try:
        handler(request.user, pk, request.POST)
        messages.success(request, _("Đã thực hiện."))
    except DomainError as exc:
        messages.error(request, exc.message + "".join(f" {e['message']}" for e in exc.errors[1:]))
    return redirect("officialdocs:detail", pk=pk)


def _date(raw: str):
    import datetime

    try:
        return datetime.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@staff_required()
def draft_view(request):
    agencies = [a for a in my_agencies(request.user) if a.kind not in ("office", "division")]
    from tinhso.officialdocs.models import OfficialDocument

    context = {"agencies": agencies, "types": DocumentType.objects.filter(is_active=True),
               "issued": OfficialDocument.objects.filter(agency__in=agencies, direction="out", status="issued")
               .order_by("-issued_on", "-number")[:100],
               "recipients": Agency.objects.filter(is_active=True).exclude(kind__in=("office", "division"))
               .order_by("path"), "urgencies": Urgency.choices, "secrecies": Secrecy.choices, "values": request.POST}
    if request.method == "POST":
        agency = next((a for a in agencies if str(a.pk) == request.POST.get("agency")), None)
        try:
            if agency is None:
                raise InvalidInput(_("Chọn cơ quan ban hành."), code="agency_required",
                                   errors=[{"field": "agency", "message": _("Chọn cơ quan ban hành.")}])
            doc = actions.create_draft(acting_user=request.user, agency=agency,
                                       doc_type_id=request.POST.get("doc_type"), summary=request.POST.get("summary", ""),
                                       body=request.FILES.get("body"), attachments=request.FILES.getlist("attachments"),
                                       recipient_ids=request.POST.getlist("recipients"),
                                       relates_to_id=request.POST.get("relates_to") or None,
                                       relation=request.POST.get("relation", "") if request.POST.get("relates_to") else "",
                                       external=[[part.strip() for part in line.split(";", 1)]
                                                 for line in request.POST.get("external", "").splitlines()
                                                 if line.strip()],
                                       urgency=request.POST.get("urgency", "normal"),
                                       secrecy=request.POST.get("secrecy", "none"),
                                       reply_due=_date(request.POST.get("reply_due", "")))
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("officialdocs:detail", pk=doc.pk)
        except DomainError as exc:
            context["errors"] = exc.errors or [{"field": None, "message": exc.message}]
            return render(request, "officialdocs/draft.html", context, status=422)
    return render(request, "officialdocs/draft.html", context)


@staff_required()
def registers_view(request):
    from django.http import HttpResponse

    from tinhso.officialdocs import registers
    from tinhso.officialdocs.models import Register

    own = Register.objects.filter(agency__in=my_agencies(request.user)).select_related("agency")
    chosen = own.filter(pk=request.GET.get("register")).first() if str(request.GET.get("register", "")).isdigit() \
        else None
    fmt = request.GET.get("format")
    if chosen is not None and fmt in ("xlsx", "pdf"):
        body = registers.xlsx(chosen) if fmt == "xlsx" else registers.pdf(chosen)
        response = HttpResponse(body, content_type="application/pdf" if fmt == "pdf" else
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = f"so-van-ban-{'den' if chosen.direction == 'in' else 'di'}-{chosen.year}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "officialdocs/registers.html", {
        "registers": own, "chosen": chosen, "rows": registers.rows(chosen) if chosen else [],
        "columns": (registers.INCOMING if chosen and chosen.direction == "in" else registers.OUTGOING)})


@staff_required()
def paper_view(request):
    """The clerical office takes in a paper document: scan, OCR, agency signature."""
    import datetime

    from tinhso.officialdocs.actions.common import clerical_of

    agencies = [a for a in my_agencies(request.user) if clerical_of(request.user, a)
                and a.kind not in ("office", "division")]
    from tinhso.officialdocs.models import OfficialDocument

    context = {"agencies": agencies, "types": DocumentType.objects.filter(is_active=True),
               "issued": OfficialDocument.objects.filter(agency__in=agencies, direction="out", status="issued")
               .order_by("-issued_on", "-number")[:100], "values": request.POST,
               "urgencies": Urgency.choices}
    if request.method == "POST":
        agency = next((a for a in agencies if str(a.pk) == request.POST.get("agency")), None)
        try:
            day = datetime.date.fromisoformat(request.POST.get("issued_on", ""))
        except ValueError:
            day = None
        try:
            if agency is None:
                raise InvalidInput(_("Chọn cơ quan nhận."), code="agency_required",
                                   errors=[{"field": "agency", "message": _("Chọn cơ quan nhận.")}])
            if day is None:
                raise InvalidInput(_("Nhập ngày văn bản."), code="date_required",
                                   errors=[{"field": "issued_on", "message": _("Nhập ngày văn bản.")}])
            doc = actions.receive_paper(acting_user=request.user, agency=agency,
                                        doc_type_id=request.POST.get("doc_type"),
                                        sender_name=request.POST.get("sender_name", ""),
                                        sender_reference=request.POST.get("sender_reference", ""), issued_on=day,
                                        summary=request.POST.get("summary", ""), scan=request.FILES.get("scan"),
                                        urgency=request.POST.get("urgency", "normal"))
            messages.success(request, _("Đã số hóa và ký số bản sao; hãy vào sổ văn bản đến."))
            return redirect("officialdocs:detail", pk=doc.pk)
        except DomainError as exc:
            context["errors"] = exc.errors or [{"field": None, "message": exc.message}]
            return render(request, "officialdocs/paper.html", context, status=422)
    return render(request, "officialdocs/paper.html", context)


@require_POST
@staff_required()
def otp_view(request, pk):
    """A one-time code from the remote signing service, to sign from a phone."""
    from tinhso.signatures import csc

    _doc(request, pk)
    try:
        csc.request_remote_otp(request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi mã OTP ký số từ xa tới điện thoại của bạn.") + csc.sandbox_hint(request.user))
    return redirect("officialdocs:detail", pk=pk)
