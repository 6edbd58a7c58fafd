"""The citizen portal: submit online, follow, supplement, withdraw, download
results, the personal data store and notification preferences."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.catalogue.models import ProcedureCase
from tinhso.core.errors import DomainError
from tinhso.datastore import actions as store
from tinhso.datastore.models import DataStoreItem
from tinhso.dossiers import actions
from tinhso.dossiers.models import Status
from tinhso.dossiers.staging import stage, staged
from tinhso.portal import actions as portal_actions
from tinhso.portal.actions import set_notification_channels
from tinhso.portal.eforms import ApplicantSection, answers, case_form, prefill
from tinhso.portal.services import applicant_values, draft_for, my_dossiers, public_events, serving_communes
from tinhso.registries import forms as registry_forms
from tinhso.registries import reception as registry_reception
from tinhso.registries.providers.population import provider as population_provider

APPLICANT_KEYS = ["owner_name", "owner_id_type", "owner_id_number", "owner_birth_date", "owner_phone",
                  "owner_email", "owner_address", "area"]


def _login_url(request, next_url=None):
    return f"{reverse('identity:login')}?{urlencode({'next': next_url or request.get_full_path()})}"


def citizen_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.is_citizen:
            return redirect(_login_url(request))
        return view(request, *args, **kwargs)

    return wrapped


def home_view(request):
    from tinhso.catalogue.models import Procedure

    popular = Procedure.objects.filter(is_active=True, online_level="full").select_related("field")[:8]
    return render(request, "portal/home.html", {"popular": popular})


def _case_or_404(case_id):
    case = (ProcedureCase.objects.select_related("procedure").prefetch_related("components", "form_fields")
            .filter(pk=case_id, procedure__is_active=True, not_online=False).first())
    if case is None or not case.is_effective() or case.procedure.online_level == "none":
        raise Http404(_("Thủ tục này không cung cấp dịch vụ nộp trực tuyến."))
    return case


def _component_slots(case):
    return [f"component_{c.pk}" for c in case.components.all()]


def submit_view(request, case_id):
    case = _case_or_404(case_id)
    if not request.user.is_authenticated or not request.user.is_citizen:
        if request.method == "POST":
            return _save_anonymous(request, case)
        return redirect(_login_url(request))
    draft = draft_for(request.user, case, request.GET.get("draft") or request.POST.get("draft"))
    areas = list(serving_communes())
    store_items = list(request.user.data_store_items.all())
    upload_errors: dict[str, list[str]] = {}
    national = {"ids": registry_forms.check_ids(request.POST.get("registry_checks") if request.method == "POST"
                                                else draft.data.get("registry_checks")), "results": []}
    if request.method == "POST" and request.POST.get("op") == "prefill":
        upload_errors = stage(request.FILES, draft.token, request.user, _component_slots(case))
        applicant, eform, draft = _national_prefill(request, case, draft, areas, national)
    elif request.method == "POST":
        upload_errors = stage(request.FILES, draft.token, request.user, _component_slots(case))
        draft = portal_actions.save_draft(acting_user=request.user, draft=draft, data=portal_actions.form_data(request.POST))
        applicant = ApplicantSection(request.POST, areas=areas)
        eform = case_form(case, data=request.POST)
        if request.POST.get("op") == "save":
            messages.success(request, _("Đã lưu nháp. Bạn có thể quay lại hoàn thiện và nộp sau."))
            return redirect(reverse("portal:submit", args=[case.pk]))
        valid = applicant.is_valid() & eform.is_valid()
        verified = _verified_papers(request, case, national["ids"])
        missing = _missing_components(case, draft, request.user, request.POST, verified)
        if valid and not upload_errors and not missing:
            dossier = _submit(request, case, draft, applicant, eform, store_items, national["ids"])
            if dossier is not None:
                return redirect("portal:dossier", code=dossier.code)
        for slot, errs in missing.items():
            upload_errors.setdefault(slot, []).extend(errs)
    else:
        initial = dict(draft.data) if draft.data else _profile_initial(request.user)
        applicant = ApplicantSection(initial=initial, areas=areas)
        eform = case_form(case, initial={**prefill(case, request.user), **dict(draft.data)})
    kept = staged(draft.token, request.user)
    checks = registry_reception.usable_checks(request.user, national["ids"])
    citizen = next((c for c in reversed(checks) if c.source == "population"), None)
    values = request.POST if request.method == "POST" and request.POST.get("op") != "prefill" else draft.data
    papers = registry_forms.paper_rows(case, values, checks, bool(citizen and citizen.verified))
    _mark_national(applicant, values.get("national_fields", ""))
    components = [{
        "obj": c, "slot": f"component_{c.pk}", "kept": kept.get(f"component_{c.pk}", []),
        "errors": upload_errors.get(f"component_{c.pk}", []),
        "reuse_choices": store_items if c.reusable_from_data_store else [],
        "reuse_selected": (request.POST.get(f"reuse_{c.pk}") if request.method == "POST"
                           else draft.data.get(f"reuse_{c.pk}", "")), "national": papers.get(c.pk),
    } for c in case.components.all()]
    return render(request, "portal/submit.html", {
        "case": case, "draft": draft, "applicant": applicant, "eform": eform, "components": components,
        "registry_checks": registry_forms.join_ids([c.pk for c in checks]), "citizen_check": citizen,
        "national_results": national["results"], "national_person": national.get("person"),
        "national_fields": values.get("national_fields", ""),
        "national_offer": bool(request.user.id_number) and population_provider.configured()})


NATIONAL_FIELDS = ("owner_name", "owner_id_number", "owner_birth_date", "owner_address", "area")


def _national_prefill(request, case, draft, areas, national):
    """Lấy thông tin từ CSDL quốc gia về dân cư, after the citizen ticked their
    consent: the signed-in citizen's own number, name and birth date are
    checked; the answer fills the applicant fields, marked as such."""
    user = request.user
    data = portal_actions.form_data(request.POST)
    try:
        checked = registry_reception.check_for_reception(
            acting_user=user, channel="online", id_number=user.id_number or "", full_name=user.get_full_name(),
            birth_date=user.birth_date, consented=request.POST.get("national_consent") == "on",
            papers=registry_forms.paper_refs(request.POST, case), purpose=f"Nộp hồ sơ trực tuyến: {case.procedure.name}")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        national["ids"] = national["ids"] + checked.ids
        national["results"] = [r for r in [checked.citizen, *checked.papers] if r is not None]
        data["registry_checks"] = registry_forms.join_ids(national["ids"])
        person = checked.citizen.data if checked.citizen is not None and checked.citizen.verified else None
        if person:
            national["person"] = person
            filled = {"owner_name": person["full_name"], "owner_id_number": person["id_number"],
                      "owner_birth_date": person["birth_date"], "owner_address": person["address"]}
            area = next((u for u in areas if u.code == person["commune_code"]), None)
            if area is not None and not data.get("area"):
                filled["area"] = str(area.pk)
            data.update(filled)
            data["national_fields"] = ",".join(filled)
    draft = portal_actions.save_draft(acting_user=user, draft=draft, data=data)
    return (ApplicantSection(initial=data, areas=areas),
            case_form(case, initial={**prefill(case, user), **data}), draft)


def _mark_national(applicant, names: str) -> None:
    """Say on each field that its value came from the population database."""
    for name in str(names or "").split(","):
        if name in NATIONAL_FIELDS and name in applicant.fields:
            applicant.fields[name].help_text = _("Lấy từ CSDL quốc gia về dân cư")


def _verified_papers(request, case, ids) -> set[int]:
    checks = registry_reception.usable_checks(request.user, ids)
    return set(registry_reception.national_components(case, checks, request.user.id_number or ""))


def _profile_initial(user):
    return {"owner_name": user.get_full_name(), "owner_id_number": user.id_number or "",
            "owner_birth_date": user.birth_date, "owner_phone": user.phone, "owner_email": user.email,
            "owner_address": user.address}


def _missing_components(case, draft, user, post, verified=frozenset()) -> dict[str, list[str]]:
    kept = staged(draft.token, user)
    missing = {}
    for c in case.components.all():
        if c.required and not kept.get(f"component_{c.pk}") and not post.get(f"reuse_{c.pk}") and c.pk not in verified:
            missing[f"component_{c.pk}"] = [_("Cần tải lên tệp cho giấy tờ bắt buộc này.")]
    return missing


def _save_anonymous(request, case):
    """The session expired while the citizen was filling the form: keep what
    was typed and uploaded under the draft's token, and bring it back after
    sign-in."""
    draft = portal_actions.save_anonymous_draft(case=case, token=request.POST.get("draft") or "",
                                                data=portal_actions.form_data(request.POST))
    stage(request.FILES, draft.token, None, _component_slots(case))
    messages.warning(request, _("Phiên đăng nhập đã hết hạn. Thông tin bạn đã nhập được giữ lại; vui lòng đăng "
                                "nhập để tiếp tục."))
    return redirect(_login_url(request, f"{reverse('portal:submit', args=[case.pk])}?draft={draft.token}"))


def _submit(request, case, draft, applicant, eform, store_items, check_ids=()):
    applicant_data, area = applicant_values(applicant.cleaned_data)
    by_id = {str(i.pk): i for i in store_items}
    reuse = {c.pk: by_id[request.POST[f"reuse_{c.pk}"]] for c in case.components.all()
             if request.POST.get(f"reuse_{c.pk}") in by_id}
    try:
        dossier = registry_reception.submit_with_checks(acting_user=request.user, check_ids=check_ids, draft=draft,
                                                        applicant=applicant_data, area=area, answers=answers(eform),
                                                        reuse=reuse)
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    messages.success(request, _("Đã nộp hồ sơ. Mã hồ sơ của bạn là %(code)s; hãy ghi lại để tra cứu.")
                     % {"code": dossier.code})
    return dossier


@require_POST
def draft_autosave_view(request, case_id):
    """Autosave (JavaScript): the form's text fields, every few seconds."""
    case = _case_or_404(case_id)
    if not request.user.is_authenticated or not request.user.is_citizen:
        return JsonResponse({"code": "not_authenticated", "message": _("Phiên đăng nhập đã hết hạn.")}, status=401)
    draft = draft_for(request.user, case, request.POST.get("draft"))
    draft = portal_actions.save_draft(acting_user=request.user, draft=draft, data=portal_actions.form_data(request.POST))
    return JsonResponse({"saved": True, "at": draft.updated_at.isoformat()})


def _own_dossier(request, code):
    dossier = my_dossiers(request.user).filter(code=code).first()
    if dossier is None:
        raise Http404(_("Không tìm thấy hồ sơ."))
    return dossier


@citizen_required
def my_dossiers_view(request):
    return render(request, "portal/my_dossiers.html", {"dossiers": my_dossiers(request.user)[:200],
                                                      "drafts": request.user.drafts.filter(dossier__isnull=True)
                                                      .select_related("case__procedure")})


@citizen_required
def dossier_view(request, code):
    dossier = _own_dossier(request, code)
    evaluated = hasattr(dossier, "evaluation") if _has_evaluations() else False
    return render(request, "portal/dossier.html", {
        "d": dossier, "events": public_events(dossier), "result_files": dossier.files.filter(kind="result"),
        "can_supplement": dossier.status == Status.SUPPLEMENT,
        "can_withdraw": dossier.is_open and not dossier.events.filter(action="request_withdrawal").exists(),
        "can_evaluate": dossier.status == Status.RETURNED and not evaluated, "evaluated": evaluated,
        "payments": dossier.payment_requests.all(), "receipts": dossier.receipts.select_related("series"),
        "letters": _letters(dossier),
    })


LETTER_EVENTS = ("apologise", "request_supplement", "refuse", "withdraw")


def _letters(dossier):
    """The signed letters and forms the agencies sent the citizen (an apology, a supplement request's list)."""
    return dossier.files.filter(kind="attachment", events__action__in=LETTER_EVENTS).distinct()


@citizen_required
def receipt_view(request, code, receipt_id):
    dossier = _own_dossier(request, code)
    receipt = get_object_or_404(dossier.receipts, pk=receipt_id)
    return FileResponse(receipt.pdf.open("rb"), as_attachment=True, filename=f"{receipt.code}.pdf",
                        content_type="application/pdf")


def _has_evaluations():
    from django.apps import apps

    return apps.is_installed("tinhso.evaluations")


@citizen_required
@require_POST
def dossier_act_view(request, code, action):
    dossier = _own_dossier(request, code)
    try:
        if action == "supplement":
            actions.submit_supplement(acting_user=request.user, dossier=dossier, files=request.FILES.getlist("files"),
                                      note=request.POST.get("note", ""))
            messages.success(request, _("Đã nộp hồ sơ bổ sung; bộ phận một cửa sẽ xem xét."))
        elif action == "withdraw":
            actions.request_withdrawal(acting_user=request.user, dossier=dossier, reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã gửi đề nghị rút hồ sơ; bộ phận một cửa sẽ xác nhận."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:dossier", code=code)


@citizen_required
def file_view(request, code, file_id):
    dossier = _own_dossier(request, code)
    row = dossier.files.filter(kind__in=["result", "component", "supplement"], pk=file_id).first() \
        or get_object_or_404(_letters(dossier), pk=file_id)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.original_name,
                        content_type=row.content_type)


@citizen_required
def data_store_view(request):
    if request.method == "POST":
        try:
            if request.POST.get("op") == "remove":
                item = get_object_or_404(DataStoreItem, pk=request.POST.get("item"), owner=request.user)
                store.remove_item(acting_user=request.user, item=item)
                messages.success(request, _("Đã xóa giấy tờ khỏi kho."))
            else:
                upload = request.FILES.get("file")
                if upload is None:
                    messages.error(request, _("Chọn tệp cần đưa vào kho."))
                else:
                    store.add_item(acting_user=request.user, title=request.POST.get("title", ""), upload=upload)
                    messages.success(request, _("Đã thêm giấy tờ vào kho dữ liệu."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("portal:data_store")
    if request.GET.get("download"):
        item = get_object_or_404(DataStoreItem, pk=request.GET["download"], owner=request.user)
        return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                            content_type=item.content_type)
    return render(request, "portal/data_store.html", {"items": request.user.data_store_items.all()})


@citizen_required
def profile_view(request):
    user = request.user
    if request.method == "POST":
        set_notification_channels(acting_user=user, email=request.POST.get("notify_email") == "on",
                                  sms=request.POST.get("notify_sms") == "on")
        messages.success(request, _("Đã lưu cách nhận thông báo."))
        return redirect("portal:profile")
    return render(request, "portal/profile.html", {"u": user})
