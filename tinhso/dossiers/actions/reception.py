"""Reception: at the counter, or accepting / refusing an online submission."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import require_role
from tinhso.addresses.labels import label_address
from tinhso.catalogue.refcache import refs
from tinhso.core.errors import InvalidInput
from tinhso.dossiers.actions._base import (claim, lock, new_version, now, place_at_step, remembered, require_status,
                                           require_text, save_files, settle, store_files, write_event)
from tinhso.dossiers.codes import next_book_number, next_code
from tinhso.dossiers.flags import component_flags
from tinhso.dossiers.models import Channel, Digitisation, Dossier, DossierComponent, FileKind, ReturnMethod, Status
from tinhso.dossiers.routing import check_receiving, choose_competent
from tinhso.dossiers.uploads import check_upload
from tinhso.dossiers.policies import online_check_hours
from tinhso.workcalendar.policies import due_for
from tinhso.workcalendar.engine import get_calendar

APPLICANT_FIELDS = ["owner_name", "owner_id_type", "owner_id_number", "owner_birth_date", "owner_address",
                    "owner_phone", "owner_email", "filer_name", "filer_id_number", "filer_phone", "subject",
                    "notify_sms", "notify_email", "sets", "delivery_method"]


@dataclass
class ComponentInput:
    """One paper of the case's list as ticked at the counter or uploaded online."""

    required_component_id: int | None
    name: str = ""
    originals: int = 0
    copies: int = 0
    received: bool = True
    files: list = field(default_factory=list)
    note: str = ""
    reused_from_data_store: bool = False
    # Lấy từ CSDL quốc gia: set only by tinhso.registries.reception from a verified check; no file needed.
    national_source: str = ""
    national_reference: str = ""
    national_checked_at: object = None
    # Chỉ bản giấy: the clerk chose explicitly not to scan this paper (the counter page pre-selects a scan).
    paper_only: bool = False


def _digitisation(item: ComponentInput, *, online: bool) -> str:
    """Số hóa of a received paper: a file filed online is born digital, one uploaded at the counter a scan; a
    received paper without a file is paper only; a paper not received (or taken from a national database
    or the data store, counted as reused data) has none."""
    if item.files:
        return Digitisation.BORN_DIGITAL if online else Digitisation.SCANNED
    if item.received and not item.national_source and not item.reused_from_data_store:
        return Digitisation.PAPER
    return ""


def _first_step(case, ref):
    """The case's first process step, from the reference snapshot `ref`."""
    steps = ref.steps(case.pk)
    step = steps[0] if steps else None
    if step is None:
        raise InvalidInput("Trường hợp này chưa có quy trình nội bộ; cần khai báo trong danh mục thủ tục.",
                           code="no_process")
    return step


def _check_case(case, day):
    if not case.procedure.is_active or not case.is_effective(day):
        raise InvalidInput("Thủ tục hoặc trường hợp này không còn áp dụng.", code="case_not_effective",
                           errors=[{"field": "case", "message": "Trường hợp không còn hiệu lực."}])


def _components(case, items: list[ComponentInput], *, online: bool, ref):
    """Every paper and file is checked, in order (the first problem is the
    one reported): the components (unsaved, no dossier yet) and their files."""
    by_id = {c.pk: c for c in ref.components(case.pk)}
    missing = [c.name for c in by_id.values()
               if c.required and not any(i.required_component_id == c.pk and (i.received or i.files) for i in items)]
    if missing:
        raise InvalidInput("Thiếu thành phần hồ sơ bắt buộc: " + "; ".join(missing), code="missing_components",
                           errors=[{"field": "components", "message": name} for name in missing])
    components, files = [], []
    for position, item in enumerate(items):
        required = by_id.get(item.required_component_id) if item.required_component_id else None
        if item.required_component_id and required is None:
            raise InvalidInput("Thành phần hồ sơ không thuộc trường hợp đã chọn.", code="invalid_component")
        if online and required is not None and required.required and not item.files and not item.national_source:
            raise InvalidInput(f"Cần tải lên tệp cho “{required.name}”.", code="missing_file",
                               errors=[{"field": f"components[{position}]", "message": "Chưa có tệp."}])
        component = DossierComponent(
            required_component=required, name=(required.name if required else item.name)[:1000],
            originals=item.originals, copies=item.copies, received=item.received or bool(item.files),
            reused_from_data_store=item.reused_from_data_store, note=item.note[:300], order=position,
            national_source=item.national_source, national_reference=item.national_reference[:300],
            national_checked_at=item.national_checked_at, digitisation=_digitisation(item, online=online))
        components.append(component)
        files += [(component, check_upload(u, f"components[{position}].files")) for u in item.files or []]
    return components, files


def _save_components(dossier, components, files, actor) -> None:
    """The components in one INSERT, the files stored and their rows written in another."""
    for component in components:
        component.dossier = dossier
    if components:
        DossierComponent.objects.bulk_create(components)
    save_files(files, dossier=dossier, kind=FileKind.COMPONENT, actor=actor)


def _start_clock(dossier, at):
    calendar = get_calendar()
    case = dossier.case
    amount = case.processing_time
    if dossier.channel == Channel.ONLINE and case.online_processing_time is not None:
        amount = case.online_processing_time
    dossier.received_at = at
    if dossier.book_number is None:  # entered in the desk's tracking book at reception
        dossier.book_number = next_book_number(dossier.receiving_agency, timezone.localdate(at).year)
    dossier.counting_from = calendar.start_of_counting(at)
    if case.no_appointment:
        dossier.due_at = dossier.original_due_at = None
    else:
        dossier.due_at = dossier.original_due_at = due_for(calendar, at, amount, case.time_unit,
                                                           ref=getattr(dossier, "_refs", None))


def _replayed(actor, scope: str, key: str | None) -> Dossier | None:
    """The dossier a request with this idempotency key already made, if any."""
    earlier = remembered(actor, scope, key)
    return earlier.dossier if earlier is not None and earlier.dossier_id else None


def _applicant(applicant: dict) -> tuple[dict, dict]:
    """The applicant's fields checked, and what the history row keeps of them:
    an address read as a registered address or recognised with confidence is
    stored in today's form (`addresses.labels.label_address`, whatever the
    channel), the text as typed kept in the history row."""
    applicant = {k: v for k, v in applicant.items() if k in APPLICANT_FIELDS}
    require_text(applicant.get("owner_name", ""), "owner_name", "họ tên chủ hồ sơ")
    noted = {}
    typed = str(applicant.get("owner_address") or "").strip()
    if typed:
        label = label_address(typed, limit=Dossier._meta.get_field("owner_address").max_length)
        applicant["owner_address"] = label.text
        if label.text != typed:
            noted["address"] = {"typed": typed, "stored": label.text, "code": label.code}
    sets = applicant.get("sets", 1)
    if sets in (None, ""):
        applicant.pop("sets", None)
    elif not str(sets).isdecimal() or not 1 <= int(sets) <= 99:
        raise InvalidInput("Số bộ hồ sơ phải từ 1 đến 99.", code="invalid_sets",
                           errors=[{"field": "sets", "message": "Số bộ hồ sơ không hợp lệ."}])
    else:
        applicant["sets"] = int(sets)
    if applicant.get("delivery_method") not in (None, "", *ReturnMethod.values):
        raise InvalidInput("Hình thức nhận kết quả không hợp lệ.", code="invalid_delivery_method",
                           errors=[{"field": "delivery_method", "message": "Chọn tại quầy, trực tuyến hoặc bưu chính."}])
    return applicant, noted


def _new_dossier(*, case, receiving_agency, competent, day, at, area, applicant: dict, **fields) -> Dossier:
    """An unsaved dossier with its code (the counter row is taken now)."""
    return Dossier(code=next_code(receiving_agency, day), procedure=case.procedure, case=case,
                   receiving_agency=receiving_agency, competent_agency=competent, current_agency=receiving_agency,
                   area=area, submitted_at=at, **applicant, **fields)


def _create(dossier: Dossier, *, ref, case, components, actor, online: bool, action: str, comment: str, at,
            claimed, noted: dict) -> Dossier:
    """Insert the new dossier at its first version, its components and files,
    its first history and audit rows, and settle the idempotency key."""
    built, files = _components(case, components, online=online, ref=ref)
    for name, value in component_flags(built).items():  # the index's flags, with the row (dossiers/flags.py)
        setattr(dossier, name, value)
    new_version(dossier)
    dossier.save()
    dossier._refs = ref  # the after-commit notifications read templates and role holders from it
    _save_components(dossier, built, files, actor)
    write_event(dossier, actor=actor, action=action, at=at, from_status=None, comment=comment, created=True,
                data=noted)
    settle(claimed, dossier=dossier)
    return dossier


@transaction.atomic
def receive_at_counter(*, acting_user, receiving_agency, case, applicant: dict, components: list[ComponentInput],
                       competent_agency=None, area=None, channel: int = Channel.COUNTER,
                       idempotency_key: str | None = None, at=None) -> Dossier:
    """Tiếp nhận hồ sơ trực tiếp (or by post): creates the dossier in status 2,
    its code, components and files, and the appointment time."""
    require_role(acting_user, Role.CLERK, receiving_agency)
    if (earlier := _replayed(acting_user, "receive", idempotency_key)) is not None:
        return earlier
    claimed = claim(acting_user, "receive", idempotency_key)
    at = now(at)
    day = timezone.localdate(at)
    _check_case(case, day)
    applicant, noted = _applicant(applicant)
    ref = refs()
    check_receiving(case.procedure, receiving_agency, day=day, ref=ref)
    if applicant.get("filer_name") and not case.authorised_filing:
        raise InvalidInput("Trường hợp này không cho phép nộp hồ sơ thay (theo ủy quyền): chủ hồ sơ phải trực tiếp "
                           "nộp.", code="authorised_filing_not_allowed",
                           errors=[{"field": "filer_name", "message": "Không được nộp thay."}])
    competent = choose_competent(case.procedure, receiving=receiving_agency, area=area, chosen=competent_agency,
                                 day=day, ref=ref)
    step = _first_step(case, ref)
    dossier = _new_dossier(case=case, receiving_agency=receiving_agency, competent=competent, day=day, at=at,
                           area=area, applicant=applicant, channel=channel, status=Status.RECEIVED,
                           received_by=acting_user)
    _start_clock(dossier, at)
    place_at_step(dossier, step, at, receiver=acting_user)
    return _create(dossier, ref=ref, case=case, components=components, actor=acting_user, online=False,
                   action="receive", comment="Tiếp nhận hồ sơ", at=at, claimed=claimed, noted=noted)


@transaction.atomic
def submit_online(*, acting_user, receiving_agency, case, applicant: dict, components: list[ComponentInput],
                  area=None, form_data: dict | None = None, idempotency_key: str | None = None, at=None) -> Dossier:
    """Nộp hồ sơ trực tuyến: status 1, waiting for a clerk. Retried with the
    same key it returns the first dossier."""
    if (earlier := _replayed(acting_user, "submit", idempotency_key)) is not None:
        return earlier
    claimed = claim(acting_user, "submit", idempotency_key)
    at = now(at)
    day = timezone.localdate(at)
    _check_case(case, day)
    if case.not_online:
        raise InvalidInput("Trường hợp này không cung cấp dịch vụ trực tuyến.", code="not_online")
    applicant, noted = _applicant(applicant)
    ref = refs()
    competent = choose_competent(case.procedure, receiving=receiving_agency, area=area, day=day, ref=ref)
    # the desk's time limit for checking an online dossier ("dossiers.online_check_working_hours")
    check_due = get_calendar().add(at, online_check_hours(ref, at), "working_hours")
    dossier = _new_dossier(case=case, receiving_agency=receiving_agency, competent=competent, day=day, at=at,
                           area=area, applicant=applicant, current_role=Role.CLERK, channel=Channel.ONLINE,
                           status=Status.SUBMITTED, form_data=form_data or {}, step_due_at=check_due,
                           citizen=acting_user if getattr(acting_user, "is_authenticated", False) else None,
                           owner_verified=bool(getattr(acting_user, "is_citizen", False)))
    return _create(dossier, ref=ref, case=case, components=components, actor=acting_user, online=True,
                   action="submit", comment="Nộp hồ sơ trực tuyến", at=at, claimed=claimed, noted=noted)


@transaction.atomic
def accept_online(*, acting_user, dossier, version=None, comment: str = "", at=None) -> Dossier:
    """Tiếp nhận hồ sơ trực tuyến (1 -> 2): the clock starts now."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.SUBMITTED], "tiếp nhận")
    require_role(acting_user, Role.CLERK, dossier.receiving_agency)
    at = now(at)
    dossier.status = Status.RECEIVED
    dossier.received_by = acting_user
    dossier.overdue_notified = dossier.due_soon_notified = False  # those flags were the check's
    previous_due = dossier.step_due_at
    _start_clock(dossier, at)
    place_at_step(dossier, _first_step(dossier.case, dossier._refs), at, receiver=acting_user)
    write_event(dossier, actor=acting_user, action="accept", at=at, from_status=Status.SUBMITTED,
                previous_step_due=previous_due,
                comment=comment or "Tiếp nhận hồ sơ trực tuyến")
    return dossier


@transaction.atomic
def refuse_online(*, acting_user, dossier, reason: str, attachments=(), version=None, at=None) -> Dossier:
    """Từ chối tiếp nhận (1 -> 3) with a written reason (form 03)."""
    dossier = lock(dossier, version, acting_user)
    require_status(dossier, [Status.SUBMITTED], "từ chối tiếp nhận")
    require_role(acting_user, Role.CLERK, dossier.receiving_agency)
    reason = require_text(reason, "reason", "lý do từ chối")
    at = now(at)
    files = store_files(dossier, attachments, kind=FileKind.ATTACHMENT, actor=acting_user)
    dossier.status = Status.REFUSED
    dossier.reason = reason
    dossier.closed_at = at
    dossier.current_handler = None
    write_event(dossier, actor=acting_user, action="refuse", at=at, from_status=Status.SUBMITTED, comment=reason,
                attachments=files)
    return dossier
