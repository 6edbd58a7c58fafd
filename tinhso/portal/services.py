"""Portal helpers: where an online dossier is received, which communes can
receive, drafts."""

from __future__ import annotations


from django.utils import timezone

from tinhso.agencies.models import Agency
from tinhso.core.errors import InvalidInput
from tinhso.portal.models import Draft
from tinhso.units.models import AdministrativeUnit


def serving_communes():
    """Current communes that have a one-stop desk or People's Committee in the system."""
    ids = Agency.objects.filter(is_active=True, kind__in=["commune_service_centre", "commune_committee"]).values("unit")
    return AdministrativeUnit.objects.filter(pk__in=ids, valid_to__isnull=True).order_by("name")


def receiving_agency_for(case, area) -> Agency:
    """The desk that receives an online dossier: a receiving agency named in
    the catalogue; else, for a commune-level procedure, the desk of the chosen
    commune; else the provincial service centre."""
    procedure = case.procedure
    day = timezone.localdate()
    named = list(procedure.receiving_agencies(day))
    if named:
        for agency in named:
            if area is not None and agency.unit_id == area.pk:
                return agency
        return named[0]
    if procedure.level_commune and area is not None:
        for kind in ("commune_service_centre", "commune_committee"):
            agency = Agency.objects.filter(is_active=True, kind=kind, unit=area).first()
            if agency is not None:
                return agency
    centre = Agency.objects.filter(is_active=True, kind="provincial_service_centre").order_by("path").first()
    if centre is None:
        raise InvalidInput("Chưa có nơi tiếp nhận hồ sơ trực tuyến cho thủ tục này.", code="no_receiving_agency")
    return centre


def form_errors(*forms) -> list[dict]:
    """A Django form's errors in the API's shape: [{field, message}]."""
    out = []
    for form in forms:
        for name, errs in form.errors.items():
            out.extend({"field": name if name != "__all__" else "", "message": str(e)} for e in errs)
    return out


def check_submission(case, data: dict):
    """Check a draft's data the way the portal's form does: the applicant
    section and the case's online form. Returns (applicant, area, answers),
    or raises InvalidInput listing every field in error."""
    from tinhso.portal.eforms import ApplicantSection, answers, case_form

    applicant = ApplicantSection(data, areas=list(serving_communes()))
    eform = case_form(case, data=data)
    if not (applicant.is_valid() & eform.is_valid()):
        errors = form_errors(applicant, eform)
        raise InvalidInput("Hồ sơ chưa nộp được vì còn %d lỗi; xem từng trường." % len(errors),
                           code="invalid_draft", errors=errors)
    return *applicant_values(applicant.cleaned_data), answers(eform)


def applicant_values(cleaned: dict):
    """(applicant fields, area unit) from the applicant section's cleaned data."""
    area = AdministrativeUnit.objects.filter(pk=cleaned["area"], valid_to__isnull=True).first()
    return {k: v for k, v in cleaned.items() if k != "area" and v not in (None, "")}, area


def draft_for(user, case, token: str | None = None) -> Draft:
    """See `tinhso.portal.actions.open_draft`."""
    from tinhso.portal.actions import open_draft

    return open_draft(acting_user=user, case=case, token=token)


def my_dossiers(user):
    return user.dossiers.select_related("procedure", "case", "receiving_agency", "competent_agency").order_by(
        "-created_at")


def public_events(dossier):
    """History for the citizen: what happened and when, without staff names."""
    labels = {
        "submit": "Đã nộp hồ sơ trực tuyến", "receive": "Đã tiếp nhận", "accept": "Đã tiếp nhận",
        "refuse": "Không tiếp nhận", "forward": "Đang giải quyết", "send_back": "Đang giải quyết",
        "recall": "Đang giải quyết", "request_supplement": "Yêu cầu bổ sung hồ sơ",
        "submit_supplement": "Đã nộp bổ sung", "accept_supplement": "Đã tiếp nhận hồ sơ bổ sung",
        "refuse_after_supplement": "Không tiếp nhận do quá hạn bổ sung",
        "request_payment": "Yêu cầu thực hiện nghĩa vụ tài chính", "confirm_payment": "Đã thực hiện nghĩa vụ tài chính",
        "apologise": "Xin lỗi và hẹn lại ngày trả", "finish": "Đã có kết quả", "return_result": "Đã trả kết quả",
        "withdraw": "Đã rút hồ sơ", "request_withdrawal": "Đã gửi đề nghị rút hồ sơ", "stop": "Dừng xử lý",
        "reset_due": "Điều chỉnh ngày hẹn", "stop_after_supplement": "Dừng giải quyết do quá hạn bổ sung",
        "refuse_on_merits": "Từ chối giải quyết (có văn bản)",
        "postal_pickup_requested": "Đã yêu cầu bưu điện thu gom hồ sơ",
        "postal_delivery_requested": "Đã gửi yêu cầu chuyển phát kết quả qua bưu điện",
        "postal_created": "Bưu điện đã nhận yêu cầu", "postal_picked_up": "Bưu điện đã nhận hồ sơ, kết quả",
        "postal_delivered": "Bưu điện đã phát thành công", "postal_returned": "Bưu điện phát không thành công",
        "postal_failed": "Bưu điện từ chối yêu cầu",
        "national_check": "Dữ liệu lấy từ cơ sở dữ liệu quốc gia",
    }
    shown = {"request_supplement", "refuse", "refuse_after_supplement", "apologise", "stop", "request_payment",
             "request_withdrawal", "withdraw", "stop_after_supplement", "refuse_on_merits", "national_check"}
    hidden = {"propose_apology", "reject_apology"}  # internal: the citizen sees the letter once it is issued
    out, last_label = [], None
    for e in dossier.events.exclude(action__in=hidden).order_by("at", "id").only("at", "action", "comment"):
        label = labels.get(e.action, e.action)
        if label == last_label and e.action in ("forward", "send_back", "recall"):
            continue
        last_label = label
        out.append({"at": e.at, "label": label, "note": e.comment if e.action in shown else ""})
    return out


