"""Work screens of the one-stop-shop: inbox, counter reception, dossier page,
transitions, printed forms, tracking book; and the public look-up."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.accounts.decorators import staff_required
from tinhso.accounts.models import Role, User
from tinhso.accounts.permissions import agencies_in_scope, has_role, role_paths
from tinhso.audit.actions import record
from tinhso.catalogue.models import ProcedureCase
from tinhso.core.errors import DomainError
from tinhso.dossiers import actions
from tinhso.dossiers.inbox import TABS, inbox_counts, inbox_queryset
from tinhso.dossiers.forms import ActionForm, ApplicantForm, BookFilterForm, LookupForm
from tinhso.dossiers.lookup import find_public
from tinhso.dossiers.models import Dossier, Status
from tinhso.dossiers.rules import ACTION_LABELS, allowed_actions, visible_to
from tinhso.dossiers.staging import as_uploads, discard, stage, staged
from tinhso.registries import forms as registry_forms
from tinhso.registries import reception as registry_reception
from tinhso.units.models import AdministrativeUnit
from tinhso.workcalendar.engine import get_calendar

@staff_required()
def inbox_view(request):
    tab = request.GET.get("tab", "todo")
    if tab not in dict(TABS):
        tab = "todo"
    now = timezone.now()
    qs = inbox_queryset(request.user, tab, now).order_by("due_at", "-id")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(code__icontains=q)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    counts = inbox_counts(request.user, now)
    tabs = [(key, label, counts.get(key)) for key, label in TABS]
    return render(request, "dossiers/inbox.html", {"tabs": tabs, "tab": tab, "page": page,
                                                   "now": now, "q": q,
                                                   "can_receive": has_role(request.user, Role.CLERK)})


@staff_required(roles=(Role.CLERK,))
def receive_view(request):
    desks = agencies_in_scope(request.user, Role.CLERK).filter(
        kind__in=["provincial_service_centre", "commune_service_centre"]) or agencies_in_scope(request.user, Role.CLERK)
    case_id = request.GET.get("case") or request.POST.get("case")
    case = None
    if case_id and str(case_id).isdecimal():
        case = (ProcedureCase.objects.select_related("procedure").prefetch_related("components")
                .filter(pk=case_id, procedure__is_active=True).first())
    if case is None:
        return _choose_case(request)
    token = request.POST.get("token") or uuid.uuid4().hex
    form = ApplicantForm(request.POST or None)
    slots = [f"component_{c.pk}" for c in case.components.all()]
    errors: dict[str, list[str]] = {}
    slip_errors: list[str] = []
    national = {"ids": registry_forms.check_ids(request.POST.get("registry_checks")), "results": []}
    if request.method == "POST" and request.POST.get("op") in ("guidance", "refusal"):
        result = _issue_slip(request, form, case, desks, slip_errors)
        if result is not None:
            return result
    elif request.method == "POST" and request.POST.get("op") == "verify":
        errors = stage(request.FILES, token, request.user, slots)
        form = _national_check(request, form, case, national)
    elif request.method == "POST":
        errors = stage(request.FILES, token, request.user, slots)
        agency = desks.filter(pk=request.POST.get("agency")).first() if request.POST.get("agency", "").isdecimal() else None
        if agency is None:
            form.add_error(None, _("Chọn nơi tiếp nhận."))
        if form.is_valid() and not errors and agency is not None:
            result = _do_receive(request, form, case, agency, token)
            if result is not None:
                return result
    kept = staged(token, request.user)
    checks = registry_reception.usable_checks(request.user, national["ids"])
    citizen = next((c for c in reversed(checks) if c.source == "population"), None)
    papers = registry_forms.paper_rows(case, request.POST, checks, bool(citizen and citizen.verified))
    components = [{
        "obj": c, "slot": f"component_{c.pk}", "kept": kept.get(f"component_{c.pk}", []),
        "errors": errors.get(f"component_{c.pk}", []),
        "checked": (request.method != "POST" or request.POST.get(f"received_{c.pk}") == "on")
        and not papers.get(c.pk, {}).get("verified"),
        "originals": request.POST.get(f"originals_{c.pk}", c.originals),
        "copies": request.POST.get(f"copies_{c.pk}", c.copies), "national": papers.get(c.pk),
        "paper_only": request.POST.get(f"digitise_{c.pk}") == "paper",
    } for c in case.components.all()]
    return render(request, "dossiers/receive.html", {
        "case": case, "form": form, "components": components, "token": token, "desks": desks,
        "registry_checks": registry_forms.join_ids([c.pk for c in checks]), "citizen_check": citizen,
        "national_results": national["results"], "national_person": national.get("person"),
        "agency_id": request.POST.get("agency", str(desks[0].pk) if desks else ""),
        "due_preview": _due_preview(case), "slip_content": request.POST.get("slip_content", ""),
        "slip_errors": slip_errors})


def _national_check(request, form, case, national):
    """Kiểm tra với CSDL dân cư (no JavaScript needed): the page comes back with
    the owner's fields filled from the population database and each typed
    paper reference checked; reception goes on whatever the answer."""
    data = request.POST.copy()
    birth = registry_forms.parse_date(data.get("owner_birth_date"))
    try:
        checked = registry_reception.check_for_reception(
            acting_user=request.user, channel="counter", id_number=data.get("owner_id_number", ""),
            full_name=data.get("owner_name", ""), birth_date=birth, consented=data.get("national_consent") == "on",
            papers=registry_forms.paper_refs(data, case))
    except DomainError as exc:
        form.add_error(None, exc.message)
        return form
    national["ids"] = national["ids"] + checked.ids
    national["results"] = [r for r in [checked.citizen, *checked.papers] if r is not None]
    person = checked.citizen.data if checked.citizen is not None and checked.citizen.verified else None
    if person:
        data["owner_name"], data["owner_birth_date"] = person["full_name"], person["birth_date"]
        data["owner_address"] = person["address"] or data.get("owner_address", "")
        national["person"] = person
    return ApplicantForm(data)


def _issue_slip(request, form, case, desks, slip_errors):
    """Phiếu hướng dẫn / từ chối tại quầy: the PDF to print, nothing received."""
    agency = desks.filter(pk=request.POST.get("agency")).first() if request.POST.get("agency", "").isdecimal() else None
    if agency is None:
        form.add_error(None, _("Chọn nơi tiếp nhận."))
        return None
    form.is_valid()
    applicant = {k: form.data.get(k, "") for k in ("owner_name", "owner_id_type", "owner_id_number", "owner_phone",
                                                     "owner_email", "owner_address", "subject")}
    try:
        slip = actions.issue_counter_slip(acting_user=request.user, agency=agency, case=case,
                                          kind=request.POST["op"], applicant=applicant,
                                          content=request.POST.get("slip_content", ""))
    except DomainError as exc:
        slip_errors.append(exc.message)
        return None
    return FileResponse(slip.pdf.open("rb"), as_attachment=True, filename=f"{slip.code}.pdf",
                        content_type="application/pdf")


def _due_preview(case):
    if case.no_appointment:
        return None
    from tinhso.workcalendar.policies import due_for

    return due_for(get_calendar(), timezone.now(), case.processing_time, case.time_unit)


def _choose_case(request):
    from tinhso.catalogue.queries import search

    q = request.GET.get("q", "")
    procedures = search(q=q).prefetch_related("cases")[:30] if q else []
    return render(request, "dossiers/choose_case.html", {"q": q, "procedures": procedures})


def _do_receive(request, form, case, agency, token):
    data = form.cleaned_data
    area = None
    if data["area_code"]:
        area = AdministrativeUnit.objects.filter(code=data["area_code"], level="commune",
                                                 valid_to__isnull=True).first()
        if area is None:
            form.add_error("area_code", _("Không có xã, phường hiện hành mang mã này."))
            return None
    elif agency.unit.level == "commune":
        area = agency.unit
    kept = staged(token, request.user)
    components = []
    for comp in case.components.all():
        files = as_uploads(kept.get(f"component_{comp.pk}", []))
        received = request.POST.get(f"received_{comp.pk}") == "on"
        # Số hóa is the default path: a received paper needs its scan unless the clerk chose "chỉ bản giấy".
        paper_only = request.POST.get(f"digitise_{comp.pk}") == "paper"
        if received and not files and request.POST.get(f"digitise_{comp.pk}") == "scan":
            form.add_error(None, _("Chưa có bản scan của “%(name)s”: tải lên tệp scan, hoặc chọn “Chỉ bản giấy”.")
                           % {"name": comp.name})
            return None
        if received or files:
            components.append(actions.ComponentInput(
                required_component_id=comp.pk, originals=_int(request.POST.get(f"originals_{comp.pk}")),
                copies=_int(request.POST.get(f"copies_{comp.pk}")), received=received, files=files,
                paper_only=paper_only and not files))
    applicant = {k: v for k, v in data.items() if k not in ("area_code", "national_consent") and v not in (None, "")}
    try:
        dossier = registry_reception.receive_with_checks(
            acting_user=request.user, check_ids=registry_forms.check_ids(request.POST.get("registry_checks")),
            receiving_agency=agency, case=case, applicant=applicant, components=components, area=area,
            idempotency_key=token)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None
    discard(token, request.user)
    messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận và hẹn trả kết quả (mẫu 01).")
                     % {"code": dossier.code})
    return redirect("dossiers:detail", code=dossier.code)


def _int(value) -> int:
    try:
        return max(0, min(int(value), 99))
    except (TypeError, ValueError):
        return 0


def _dossier_for(request, code) -> Dossier:
    dossier = visible_to(request.user).select_related(
        "procedure", "case", "receiving_agency", "competent_agency", "current_agency", "current_step",
        "current_handler", "area").filter(code=code).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


@staff_required()
def detail_view(request, code, action_form=None, open_action=None):
    dossier = _dossier_for(request, code)
    record(actor=request.user, action="dossiers.viewed", obj=dossier, personal_data=True, require_atomic=False)
    events = list(dossier.events.select_related("receiver_agency").prefetch_related("attachments").order_by("at", "id"))
    allowed = allowed_actions(request.user, dossier)
    form = action_form or ActionForm(initial={"version": dossier.version})
    return render(request, "dossiers/detail.html", {
        "d": dossier, "events": events, "allowed": [(a, ACTION_LABELS[a]) for a in allowed], "allowed_names": allowed,
        "components": dossier.components.prefetch_related("files"),
        "result_files": dossier.files.filter(kind="result"), "pauses": dossier.pauses.all(),
        "form": form, "open_action": open_action, "forms_available": _forms_available(dossier, events),
        "forward_targets": _targets_with_people(dossier, "forward") if "forward" in allowed else [],
        "back_targets": _targets_with_people(dossier, "back") if "send_back" in allowed else [],
        "now": timezone.now(), "payments": dossier.payment_requests.all(),
        "receipts": dossier.receipts.select_related("series"),
        "pending_apology": actions.pending_apology(dossier) if "approve_apology" in allowed else None,
        "withdrawal_requested": any(e.action == "request_withdrawal" for e in events),
        **_papers(dossier),
    })


def _papers(dossier) -> dict:
    if dossier.competent_agency_id == dossier.receiving_agency_id:
        return {}
    here, moving = actions.papers_at(dossier)
    last = dossier.paper_transfers.filter(received_at__isnull=False).order_by("-received_at").first()
    return {"papers_here": here, "papers_moving": moving, "papers_kept": last.kept_at if last else ""}


def _targets_with_people(dossier, kind):
    from tinhso.accounts.models import RoleAssignment
    from tinhso.dossiers.routing import step_agency

    out = []
    for step in actions.allowed_targets(dossier, kind):
        agency = step_agency(step, receiving=dossier.receiving_agency, competent=dossier.competent_agency)
        people = (User.objects.filter(pk__in=RoleAssignment.objects.active().filter(
            role=step.role, agency__in=agency.ancestors_and_self()).values("user")).order_by("full_name"))
        out.append({"step": step, "agency": agency, "people": people})
    return out


def _forms_available(dossier, events) -> list[tuple[str, str]]:
    done = {e.action for e in events}
    out = []
    if dossier.received_at:
        out.append(("01", _("Giấy tiếp nhận, hẹn trả (01)")))
    if "request_supplement" in done:
        out.append(("02", _("Phiếu yêu cầu bổ sung (02)")))
    if "refuse" in done or "refuse_after_supplement" in done:
        out.append(("03", _("Phiếu từ chối tiếp nhận (03)")))
    if "apologise" in done:  # the signed letter itself is in the history's attachments
        out.append(("04", _("Phiếu xin lỗi, hẹn lại (04)")))
    if dossier.status == Status.STOPPED:
        out.append(("05", _("Thông báo dừng xử lý (05)")))
    if dossier.received_at:
        out.append(("06", _("Phiếu kiểm soát quá trình (06)")))
    return out


ACTION_ARGS = {
    "accept_online": ["comment"],
    "refuse_online": ["reason", "attachments"],
    "forward": ["to_step", "receiver", "comment"],
    "send_back": ["to_step", "receiver", "comment"],
    "recall": ["comment"],
    "request_supplement": ["reason", "deadline", "attachments"],
    "submit_supplement": ["files", "note"],
    "accept_supplement": ["comment"],
    "refuse_after_supplement_deadline": ["reason"],
    "request_payment": ["amount", "note"],
    "confirm_payment": ["note"],
    "apologise": ["new_due_at", "reason", "remote_otp"],
    "approve_apology": ["comment", "remote_otp"],
    "reject_apology": ["reason"],
    "refuse": ["reason", "letter_files", "letter_number", "comment", "remote_otp"],
    "finish": ["result_summary", "result_number", "result_signer", "result_files", "comment", "remote_otp"],
    "return_result": ["method", "returned_to", "comment"],
    "withdraw": ["reason", "requested_by", "request_files"],
    "send_papers": ["note"],
    "receive_papers": ["kept_at"],
    "stop": ["reason"],
    "reset_due": ["new_due_at", "reason"],
    "digitise_result": ["files", "comment"],
}


@staff_required()
@require_POST
def act_view(request, code, action):
    if action not in ACTION_ARGS:
        raise Http404("Không có thao tác này.")
    dossier = _dossier_for(request, code)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Dữ liệu chưa hợp lệ; xem các ô được đánh dấu."))
        return detail_view(request, code, action_form=form, open_action=action)
    data = form.cleaned_data
    kwargs = {"acting_user": request.user, "dossier": dossier, "version": data["version"]}
    for name in ACTION_ARGS[action]:
        if name in ("attachments", "files", "result_files", "letter_files", "request_files"):
            kwargs[name] = request.FILES.getlist("files")
        elif name == "note":
            kwargs["note"] = data["comment"]
        elif name == "to_step":
            kwargs["to_step"] = dossier.case.steps.filter(order=data["to_step"]).first() if data["to_step"] else None
        elif name == "receiver":
            chosen = data["receiver"] or request.POST.get(f"receiver_{data['to_step']}", "")
            kwargs["receiver"] = User.objects.filter(pk=chosen).first() if str(chosen).isdecimal() else None
        elif name == "new_due_at" and data["new_due_at"]:
            kwargs["new_due_at"] = timezone.make_aware(data["new_due_at"]) if timezone.is_naive(
                data["new_due_at"]) else data["new_due_at"]
        else:
            kwargs[name] = data.get(name) if data.get(name) is not None else (
                "" if name not in ("amount", "deadline", "new_due_at") else None)
    try:
        getattr(actions, action)(**kwargs)
    except DomainError as exc:
        form.add_error(None, exc.message)
        for err in exc.errors:
            if err.get("field") in form.fields:
                form.add_error(err["field"], err["message"])
        messages.error(request, exc.message)
        return detail_view(request, code, action_form=form, open_action=action)
    messages.success(request, _("Đã thực hiện: %(label)s.") % {"label": ACTION_LABELS[action]})
    return redirect("dossiers:detail", code=code)


@staff_required()
def form_pdf_view(request, code, form):
    from django.conf import settings

    from tinhso.dossiers.documents import render_form

    from tinhso.signatures.service import sign_pdf

    dossier = _dossier_for(request, code)
    issuer = dossier.competent_agency if str(form).zfill(2) in ("04", "05") else dossier.receiving_agency
    try:
        content = render_form(dossier, form, base_url=settings.TINHSO_BASE_URL)
        content = sign_pdf(content, agency=issuer, reason=f"Mẫu {form} — hồ sơ {dossier.code}", location=issuer.name)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("dossiers:detail", code=code)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-mau-{form}.pdf"'
    return response


@staff_required()
def file_view(request, code, file_id):
    dossier = _dossier_for(request, code)
    row = get_object_or_404(dossier.files, pk=file_id)
    record(actor=request.user, action="dossiers.file_viewed", obj=dossier, personal_data=True, require_atomic=False,
           changes={"file": row.original_name})
    return FileResponse(row.file.open("rb"), as_attachment=False, filename=row.original_name,
                        content_type=row.content_type)


@staff_required()
def book_view(request):
    from tinhso.dossiers.book import book_queryset, book_xlsx

    form = BookFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    scope = agencies_in_scope(request.user, Role.values)
    procedure = None
    if filters.get("procedure"):
        from tinhso.catalogue.models import Procedure

        procedure = Procedure.objects.filter(code=filters["procedure"].strip()).first() or -1
    qs = book_queryset(agencies=scope, date_from=filters.get("date_from"), date_to=filters.get("date_to"),
                       status=filters.get("status"), procedure=procedure, outcome=filters.get("outcome") or None,
                       q=filters.get("q") or None).select_related("procedure")
    if request.GET.get("format") == "xlsx":
        record(actor=request.user, action="dossiers.book_exported", personal_data=True, require_atomic=False,
               changes={k: str(v) for k, v in filters.items() if v})
        response = HttpResponse(book_xlsx(qs), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        response["Content-Disposition"] = f'attachment; filename="so-theo-doi-ho-so-{timezone.localdate()}.xlsx"'
        return response
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "dossiers/book.html", {"form": form, "page": page, "query": query.urlencode()})


def lookup_view(request):
    """Tra cứu hồ sơ (public): status and dates only, never personal data.
    The second factor (last 4 digits of the applicant's phone) keeps codes
    from being enumerated."""
    form = LookupForm(request.GET or None)
    dossier = None
    if form.is_valid():
        try:
            dossier = find_public(form.cleaned_data["ma"], form.cleaned_data["sdt"],
                                  address=request.META.get("REMOTE_ADDR", ""))
        except DomainError as exc:  # too many wrong tries on this code
            form.add_error(None, exc.message)
        else:
            if dossier is None:
                form.add_error(None, _("Không tìm thấy hồ sơ với mã và số điện thoại này."))
    return render(request, "dossiers/lookup.html", {"form": form, "d": dossier})



@staff_required()
def receipt_view(request, code, receipt_id):
    dossier = _dossier_for(request, code)
    receipt = get_object_or_404(dossier.receipts, pk=receipt_id)
    return FileResponse(receipt.pdf.open("rb"), as_attachment=False, filename=f"{receipt.code}.pdf",
                        content_type="application/pdf")


@staff_required()
@require_POST
def send_otp_view(request, code):
    """Ask the remote signing service for a one-time code to sign this
    dossier's result from a phone."""
    from tinhso.signatures import csc

    dossier = _dossier_for(request, code)
    try:
        csc.request_remote_otp(request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã gửi mã OTP ký số từ xa tới điện thoại của bạn.") + csc.sandbox_hint(request.user))
    return redirect("dossiers:detail", code=dossier.code)
