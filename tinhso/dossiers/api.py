"""Dossier API for staff (/api/v1/dossiers): reception at the counter, the
inbox list, the detail with its history and the actions the user may take,
and one endpoint for every transition. See docs/api-dossiers.md.

Every endpoint takes the back-office session (`django_auth`) or a client
system's OAuth token or API key granted `dossiers`, acting as its service
account (tinhso.integration.gateway). A dossier is
visible when its receiving, competent or current agency lies in the user's
scope; outside it the API answers 404, so codes of other agencies cannot be
probed. The business rules live in `tinhso.dossiers.actions`; this module
parses, looks up, calls and renders."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import pydantic
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from ninja import Header, Path, Query, Router, Schema

from tinhso.accounts.models import Role, RoleAssignment, User
from tinhso.agencies.models import Agency
from tinhso.audit.actions import record
from tinhso.catalogue.models import ProcedureCase
from tinhso.integration.gateway import machine_or_person
from tinhso.core.api import PYDANTIC_MESSAGES, ErrorOut
from tinhso.core.errors import Conflict, InvalidInput, NotFound
from tinhso.dossiers.policies import due_soon_window
from tinhso.dossiers import actions
from tinhso.dossiers.actions import ComponentInput
from tinhso.dossiers.models import (Channel, Dossier, DossierEvent, DossierFile,
                                   IdempotencyRecord, Outcome, Status)
from tinhso.dossiers.models.choices import FileKind, PauseReason
from tinhso.dossiers.routing import step_agency
from tinhso.dossiers.rules import RUNNING, allowed_actions, visible_to
from tinhso.dossiers.schemas import (ApproveIn, CommentIn, CounterSlipIn, CounterSlipOut, DossierDetail, KeptAtIn, DossierPage, DossierQuery, FinishIn,
                                     MoveIn, NewDueIn, ReasonIn, ReceiveIn, RefuseIn, RequestPaymentIn,
                                     RequestSupplementIn, ReturnResultIn, SendBackIn, WithdrawIn)
from tinhso.units.models import AdministrativeUnit
from tinhso.workcalendar.engine import TZ, get_calendar

router = Router(tags=["Hồ sơ một cửa"])
# People (session) and client systems (OAuth token or API key granted "dossiers"; docs/integration.md).
MACHINE_OR_PERSON = machine_or_person("dossiers")

IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"

EVENT_LABELS = {
    "receive": "Tiếp nhận hồ sơ", "submit": "Nộp hồ sơ trực tuyến", "accept": "Tiếp nhận hồ sơ trực tuyến",
    "refuse": "Từ chối tiếp nhận", "forward": "Chuyển xử lý", "send_back": "Trả lại bước trước",
    "recall": "Thu hồi", "request_supplement": "Yêu cầu bổ sung", "submit_supplement": "Nộp bổ sung",
    "accept_supplement": "Tiếp nhận bổ sung", "refuse_after_supplement": "Không tiếp nhận do quá hạn bổ sung",
    "request_payment": "Yêu cầu thực hiện nghĩa vụ tài chính", "confirm_payment": "Xác nhận đã nộp",
    "apologise": "Xin lỗi và hẹn lại", "finish": "Hoàn thành, có kết quả", "return_result": "Trả kết quả",
    "withdraw": "Rút hồ sơ", "stop": "Dừng xử lý", "reset_due": "Đặt lại ngày hẹn",
    "propose_apology": "Đề xuất xin lỗi, hẹn lại", "reject_apology": "Không duyệt xin lỗi, hẹn lại",
    "refuse_on_merits": "Từ chối giải quyết (có văn bản)", "stop_after_supplement": "Dừng do quá hạn bổ sung",
    "send_papers": "Gửi hồ sơ giấy", "receive_papers": "Nhận hồ sơ giấy",
}


# --------------------------------------------------------------------------- transitions table

@dataclass(frozen=True)
class ActionSpec:
    func: Callable
    schema: type[Schema]
    label: str
    who: str
    files: str | None = None  # keyword of the action that takes the uploaded files
    note: bool = False  # the action calls the free text `note`, the API `comment`


ACTIONS: dict[str, ActionSpec] = {
    "accept_online": ActionSpec(actions.accept_online, CommentIn, "Tiếp nhận hồ sơ trực tuyến (1 → 2)",
                                "cán bộ một cửa nơi tiếp nhận"),
    "refuse_online": ActionSpec(actions.refuse_online, ReasonIn, "Từ chối tiếp nhận hồ sơ trực tuyến (1 → 3)",
                                "cán bộ một cửa nơi tiếp nhận", files="attachments"),
    "forward": ActionSpec(actions.forward, MoveIn, "Chuyển xử lý bước tiếp theo (2/4 → 4)",
                          "người đang giữ hồ sơ ở bước hiện tại"),
    "send_back": ActionSpec(actions.send_back, SendBackIn, "Trả lại bước trước (4 → 4)",
                            "người đang giữ hồ sơ ở bước hiện tại"),
    "recall": ActionSpec(actions.recall, CommentIn, "Thu hồi hồ sơ vừa chuyển",
                         "người vừa chuyển, khi người nhận chưa xử lý"),
    "request_supplement": ActionSpec(actions.request_supplement, RequestSupplementIn,
                                     "Yêu cầu bổ sung hồ sơ (→ 5)", "cán bộ một cửa hoặc người đang xử lý",
                                     files="attachments"),
    "submit_supplement": ActionSpec(actions.submit_supplement, CommentIn, "Nộp hồ sơ bổ sung (5 → 5)",
                                    "cán bộ một cửa hoặc người đang xử lý (thay công dân)", files="files",
                                    note=True),
    "accept_supplement": ActionSpec(actions.accept_supplement, CommentIn, "Tiếp nhận hồ sơ bổ sung (5 → 2/4)",
                                    "cán bộ một cửa hoặc người đang xử lý"),
    "refuse_after_supplement_deadline": ActionSpec(actions.refuse_after_supplement_deadline, ReasonIn,
                                                   "Quá hạn bổ sung: không tiếp nhận (5 → 3) hồ sơ chưa tiếp "
                                                   "nhận, dừng xử lý (5 → 8) hồ sơ đã tiếp nhận; chỉ sau hạn",
                                                   "cán bộ một cửa nơi tiếp nhận"),
    "request_payment": ActionSpec(actions.request_payment, RequestPaymentIn,
                                  "Yêu cầu thực hiện nghĩa vụ tài chính (4 → 6)", "người đang giữ hồ sơ",
                                  note=True),
    "confirm_payment": ActionSpec(actions.confirm_payment, CommentIn, "Xác nhận đã nộp (6 → 4)",
                                  "cán bộ một cửa hoặc người đang xử lý", note=True),
    "apologise": ActionSpec(actions.apologise, NewDueIn, "Văn bản xin lỗi và hẹn lại (mẫu 04): chuyên viên đề "
                            "xuất, lãnh đạo duyệt; lãnh đạo gọi thì ban hành ngay (ký số)",
                            "chuyên viên, lãnh đạo đang xử lý"),
    "approve_apology": ActionSpec(actions.approve_apology, ApproveIn, "Duyệt, ký số văn bản xin lỗi và hẹn lại",
                                  "lãnh đạo cơ quan giải quyết"),
    "reject_apology": ActionSpec(actions.reject_apology, ReasonIn, "Không duyệt đề xuất xin lỗi",
                                 "lãnh đạo cơ quan giải quyết"),
    "refuse": ActionSpec(actions.refuse, RefuseIn, "Từ chối giải quyết sau thẩm định, có văn bản ký số (4 → 9)",
                         "lãnh đạo ký duyệt hoặc văn thư ở bước hiện tại", files="letter_files"),
    "finish": ActionSpec(actions.finish, FinishIn, "Hoàn thành, có kết quả (4 → 9)",
                         "lãnh đạo ký duyệt hoặc văn thư ở bước hiện tại", files="result_files"),
    "return_result": ActionSpec(actions.return_result, ReturnResultIn, "Trả kết quả (9 → 10)",
                                "cán bộ một cửa nơi tiếp nhận"),
    "withdraw": ActionSpec(actions.withdraw, WithdrawIn, "Rút hồ sơ theo đề nghị của công dân (→ 7)",
                           "cán bộ một cửa nơi tiếp nhận", files="request_files"),
    "stop": ActionSpec(actions.stop, ReasonIn, "Dừng xử lý (→ 8)", "lãnh đạo cơ quan có thẩm quyền"),
    "reset_due": ActionSpec(actions.reset_due, NewDueIn, "Đặt lại ngày hẹn (có ghi nhật ký)",
                            "quản trị hệ thống"),
    "digitise_result": ActionSpec(actions.digitise_result, CommentIn, "Số hóa kết quả giấy (9/10, bản scan)",
                                  "một cửa nơi tiếp nhận, văn thư hoặc chuyên viên cơ quan giải quyết",
                                  files="files"),
    "send_papers": ActionSpec(actions.send_papers, CommentIn, "Gửi hồ sơ giấy (nơi tiếp nhận ⇄ cơ quan giải quyết)",
                              "cán bộ nơi đang giữ hồ sơ giấy", note=True),
    "receive_papers": ActionSpec(actions.receive_papers, KeptAtIn, "Nhận hồ sơ giấy, ghi nơi lưu giữ",
                                 "cán bộ nơi nhận"),
}


# --------------------------------------------------------------------------- request parsing

EXTRA_MESSAGES = {
    "model_type": "Nội dung phải là một đối tượng JSON.",
    "int_from_float": "Phải là một số nguyên.",
    "too_long": "Danh sách quá dài.",
    "extra_forbidden": "Trường này không được phép.",
}


def _invalid(exc: pydantic.ValidationError, prefix: tuple = ()) -> InvalidInput:
    """A pydantic error as the API's 422, every field message in Vietnamese."""
    errors = []
    for e in exc.errors(include_url=False):
        kind = e.get("type", "")
        if kind == "value_error":
            message = str(e.get("ctx", {}).get("error", "")) or "Giá trị không hợp lệ."
        else:
            message = PYDANTIC_MESSAGES.get(kind) or EXTRA_MESSAGES.get(kind) or "Giá trị không hợp lệ."
        loc = [*prefix, *e.get("loc", ())]
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".") or "body"
        errors.append({"field": field, "message": message})
    return InvalidInput("Dữ liệu gửi lên không hợp lệ.", code="invalid_input", errors=errors)


def _read(request, schema: type[Schema]):
    """The validated body and the uploaded files. Two shapes are accepted:
    `application/json` (no files), or `multipart/form-data` with a `payload`
    field holding the same JSON and the files as file fields."""
    content_type = (request.content_type or "").lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raw = request.POST.get("payload")
        if raw is None:
            raise InvalidInput("Dữ liệu gửi lên không hợp lệ.", code="invalid_input",
                               errors=[{"field": "payload", "message": "Trường này là bắt buộc."}])
        files = request.FILES
    else:
        raw = request.body
        files = None
    try:
        return schema.model_validate_json(raw), files
    except pydantic.ValidationError as exc:
        raise _invalid(exc) from None


def _key(value: str | None) -> str | None:
    value = (value or "").strip()
    if len(value) > 100:
        raise InvalidInput("Khóa chống gửi lặp (Idempotency-Key) dài tối đa 100 ký tự.", code="invalid_input",
                           errors=[{"field": IDEMPOTENCY_HEADER, "message": "Chuỗi quá dài."}])
    return value or None


def _aware(moment: datetime.datetime) -> datetime.datetime:
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=TZ)


# --------------------------------------------------------------------------- scope and look-ups

def _visible_or_404(user, code: str) -> Dossier:
    dossier = (visible_to(user).filter(code=code)
               .select_related("procedure", "case", "receiving_agency", "competent_agency", "current_agency",
                               "current_step", "current_handler", "area", "received_by").first())
    if dossier is None:
        raise NotFound(f"Không tìm thấy hồ sơ mã {code}.", code="dossier_not_found")
    return dossier


def _agency(code: str | None, field: str, label: str) -> Agency | None:
    if not code:
        return None
    agency = Agency.objects.filter(code=code.strip()).first()
    if agency is None or not agency.is_active:
        raise InvalidInput(f"Không có {label} mã {code}.", code="unknown_agency",
                           errors=[{"field": field, "message": "Mã cơ quan không tồn tại."}])
    return agency


def _case(procedure: str, case: str) -> ProcedureCase:
    found = (ProcedureCase.objects.select_related("procedure")
             .filter(procedure__code=procedure.strip(), code=case.strip()).first())
    if found is None:
        raise InvalidInput(f"Không có trường hợp “{case}” của thủ tục {procedure}.", code="unknown_case",
                           errors=[{"field": "case", "message": "Thủ tục hoặc trường hợp không tồn tại."}])
    return found


def _area(code: str | None) -> AdministrativeUnit | None:
    if not code:
        return None
    day = timezone.localdate()
    unit = (AdministrativeUnit.objects.filter(level="commune", code=code.strip())
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day),
                    Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            .order_by("-valid_from").first())
    if unit is None:
        raise InvalidInput(f"Không có xã, phường hiện hành mã {code}.", code="unknown_area",
                           errors=[{"field": "area", "message": "Mã đơn vị hành chính không hợp lệ."}])
    return unit


def _step(dossier: Dossier, order: int | None):
    if order is None:
        return None
    step = dossier.case.steps.filter(order=order).first()
    if step is None:
        raise InvalidInput(f"Quy trình không có bước {order}.", code="unknown_step",
                           errors=[{"field": "to_step", "message": "Bước không tồn tại."}])
    return step


def _user(username: str | None):
    if not username:
        return None
    user = User.objects.filter(username=username.strip(), is_active=True).first()
    if user is None:
        raise InvalidInput(f"Không có cán bộ {username}.", code="invalid_receiver",
                           errors=[{"field": "receiver", "message": "Người nhận không hợp lệ."}])
    return user


# --------------------------------------------------------------------------- allowed actions

def _role_label(role: str) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return role


# --------------------------------------------------------------------------- rendering

def _t(moment):
    return timezone.localtime(moment) if moment else None


def _ref(obj):
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def _user_ref(user):
    return {"username": user.get_username(), "full_name": user.get_full_name()} if user is not None else None


def _overdue(dossier: Dossier, at) -> bool:
    return dossier.status in RUNNING and dossier.due_at is not None and dossier.due_at < at


def list_item(dossier: Dossier, at=None) -> dict:
    at = at or timezone.now()
    return {
        "code": dossier.code, "version": dossier.version, "status": dossier.status,
        "status_label": str(dossier.get_status_display()), "channel": dossier.channel,
        "procedure": _ref(dossier.procedure), "case": {"code": dossier.case.code, "name": dossier.case.name},
        "owner_name": dossier.owner_name, "subject": dossier.subject,
        "receiving_agency": _ref(dossier.receiving_agency), "competent_agency": _ref(dossier.competent_agency),
        "current_agency": _ref(dossier.current_agency), "current_role": dossier.current_role,
        "current_handler": _user_ref(dossier.current_handler),
        "received_at": _t(dossier.received_at), "due_at": _t(dossier.due_at), "overdue": _overdue(dossier, at),
    }


def _file_url(dossier: Dossier, row: DossierFile) -> str:
    try:
        return reverse("dossiers:file", args=[dossier.code, row.pk])
    except NoReverseMatch:  # the back office is not mounted
        return ""


def _file(dossier: Dossier, row: DossierFile) -> dict:
    try:
        kind_label = str(FileKind(row.kind).label)
    except ValueError:
        kind_label = row.kind
    return {"id": row.pk, "kind": row.kind, "kind_label": kind_label, "name": row.original_name,
            "content_type": row.content_type, "size": row.size, "sha256": row.sha256,
            "component_id": row.component_id, "uploaded_at": _t(row.uploaded_at),
            "uploaded_by": row.uploaded_by.get_full_name() if row.uploaded_by_id else "",
            "url": _file_url(dossier, row)}


def _targets(dossier: Dossier, kind: str) -> list[dict]:
    out = []
    for step in actions.allowed_targets(dossier, kind):
        agency = step_agency(step, receiving=dossier.receiving_agency, competent=dossier.competent_agency)
        holders = (RoleAssignment.objects.active().filter(role=step.role, agency__in=agency.ancestors_and_self())
                   .select_related("user").order_by("user__username"))
        receivers, seen = [], set()
        for row in holders:
            if row.user_id not in seen:
                seen.add(row.user_id)
                receivers.append(_user_ref(row.user))
        out.append({"order": step.order, "name": step.name, "role": step.role, "role_label": _role_label(step.role),
                    "agency": _ref(agency), "receivers": receivers})
    return out


def detail(dossier: Dossier, user) -> dict:
    """Everything about one dossier, for a user allowed to see it."""
    at = timezone.now()
    dossier = (Dossier.objects
               .select_related("procedure", "case", "receiving_agency", "competent_agency", "current_agency",
                               "current_step", "current_handler", "area", "received_by")
               .prefetch_related(
                   Prefetch("files", queryset=DossierFile.objects.select_related("uploaded_by")),
                   Prefetch("events", queryset=DossierEvent.objects.select_related("sender_agency", "receiver_agency")
                            .prefetch_related(Prefetch("attachments",
                                                       queryset=DossierFile.objects.select_related("uploaded_by")))),
                   "components", "pauses")
               .get(pk=dossier.pk))
    files = list(dossier.files.all())
    by_component: dict[int, list] = {}
    for row in files:
        if row.component_id:
            by_component.setdefault(row.component_id, []).append(row)
    can = allowed_actions(user, dossier, at)
    data = list_item(dossier, at)
    data.update({
        "channel_label": str(Channel(dossier.channel).label),
        "area": _ref(dossier.area),
        "applicant": {name: getattr(dossier, name) for name in (
            "owner_name", "owner_id_type", "owner_id_number", "owner_birth_date", "owner_address", "owner_phone",
            "owner_email", "owner_verified", "filer_name", "filer_id_number", "filer_phone", "notify_sms",
            "notify_email")},
        "current_step": ({"order": dossier.current_step.order, "name": dossier.current_step.name,
                          "role": dossier.current_step.role, "role_label": _role_label(dossier.current_step.role)}
                         if dossier.current_step_id else None),
        "current_role_label": _role_label(dossier.current_role) if dossier.current_role else "",
        "step_due_at": _t(dossier.step_due_at), "submitted_at": _t(dossier.submitted_at),
        "received_by": _user_ref(dossier.received_by), "counting_from": _t(dossier.counting_from),
        "original_due_at": _t(dossier.original_due_at), "finished_at": _t(dossier.finished_at),
        "returned_at": _t(dossier.returned_at), "closed_at": _t(dossier.closed_at),
        "outcome": dossier.outcome, "outcome_label": str(Outcome(dossier.outcome).label) if dossier.outcome else "",
        "result": {"summary": dossier.result_summary, "number": dossier.result_number,
                   "signer": dossier.result_signer, "signed_at": dossier.result_signed_at,
                   "return_method": dossier.return_method, "returned_to": dossier.returned_to},
        "reason": dossier.reason, "supplement_requests": dossier.supplement_requests,
        "extensions": dossier.extensions,
        "components": [{"id": c.pk, "required_component_id": c.required_component_id, "name": c.name,
                        "originals": c.originals, "copies": c.copies, "received": c.received,
                        "reused_from_data_store": c.reused_from_data_store, "note": c.note,
                        "files": [_file(dossier, f) for f in by_component.get(c.pk, [])]}
                       for c in dossier.components.all()],
        "files": [_file(dossier, f) for f in files],
        "events": [{"id": e.pk, "at": _t(e.at), "action": e.action,
                    "action_label": EVENT_LABELS.get(e.action, e.action),
                    "from_status": e.from_status, "to_status": e.to_status,
                    "to_status_label": str(Status(e.to_status).label), "step_name": e.step_name,
                    "sender": e.sender_name, "sender_agency": e.sender_agency.name if e.sender_agency_id else None,
                    "receiver": e.receiver_name,
                    "receiver_agency": e.receiver_agency.name if e.receiver_agency_id else None,
                    "step_due_at": _t(e.step_due_at), "comment": e.comment,
                    "attachments": [_file(dossier, f) for f in e.attachments.all()]}
                   for e in dossier.events.all()],
        "pauses": [{"reason": p.reason, "reason_label": str(PauseReason(p.reason).label)
                    if p.reason in PauseReason.values else p.reason,
                    "started_at": _t(p.started_at), "ended_at": _t(p.ended_at)} for p in dossier.pauses.all()],
        "allowed_actions": can,
        "forward_steps": _targets(dossier, "forward") if "forward" in can else [],
        "back_steps": _targets(dossier, "back") if "send_back" in can else [],
        "created_at": _t(dossier.created_at), "updated_at": _t(dossier.updated_at),
    })
    return data


# --------------------------------------------------------------------------- OpenAPI helpers

def _inline(schema: type[Schema], title: str | None = None) -> dict:
    """The JSON schema of `schema` with its $defs resolved in place, so that it
    can be written into openapi_extra without registering components."""
    doc = schema.model_json_schema()
    defs = doc.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            if "$ref" in node:
                target = resolve(defs[node["$ref"].rsplit("/", 1)[-1]])
                return {**target, **{k: resolve(v) for k, v in node.items() if k != "$ref"}}
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    doc = resolve(doc)
    if title:
        doc["title"] = title
    return doc


def _multipart(payload_doc: str, files: dict) -> dict:
    return {"type": "object", "required": ["payload"],
            "properties": {"payload": {"type": "string", "description": payload_doc}, **files}}


RECEIVE_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": _inline(ReceiveIn)},
    "multipart/form-data": {"schema": {
        **_multipart("Nội dung JSON như khi gửi application/json", {}),
        "patternProperties": {r"^component_\d+$": {"type": "array", "items": {"type": "string", "format": "binary"},
                                                   "description": "Tệp của thành phần có id tương ứng"}},
    }},
}}}

ACTION_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": {"oneOf": [_inline(spec.schema, title=name) for name, spec in ACTIONS.items()]}},
    "multipart/form-data": {"schema": _multipart(
        "Nội dung JSON của thao tác (như khi gửi application/json)",
        {"files": {"type": "array", "items": {"type": "string", "format": "binary"},
                   "description": "Tệp đính kèm: " + ", ".join(n for n, s in ACTIONS.items() if s.files)}})},
}}}

ACTION_TABLE = "\n".join(
    f"| `{name}` | {spec.label} | {spec.who} | "
    + ", ".join(f"`{f}`" + ("*" if info.is_required() else "")
                for f, info in spec.schema.model_fields.items() if f != "version")
    + (" + tệp" if spec.files else "") + " |"
    for name, spec in ACTIONS.items())

KEY_DOC = ("Khóa chống gửi lặp do máy khách tạo (tối đa 100 ký tự). Gửi lại cùng khóa (cùng người dùng) trả kết "
           "quả lần đầu thay vì thực hiện lần nữa.")


# --------------------------------------------------------------------------- endpoints

@router.post("", auth=MACHINE_OR_PERSON, response={200: DossierDetail, 201: DossierDetail, 401: ErrorOut, 403: ErrorOut,
                                              409: ErrorOut, 422: ErrorOut},
             openapi_extra=RECEIVE_BODY, summary="Tiếp nhận hồ sơ tại bộ phận một cửa",
             description="Tạo hồ sơ ở trạng thái 2 (Đã tiếp nhận) với mã hồ sơ, thành phần, tệp và ngày hẹn trả. "
                         "Gửi `application/json` khi không có tệp, hoặc `multipart/form-data` với trường `payload` "
                         "(chuỗi JSON như trên) và tệp của từng thành phần trong trường "
                         "`component_<required_component_id>` (PDF, JPG, PNG, TIFF, DOCX, XLSX, XML; kiểm tra theo "
                         "nội dung tệp). Cần vai trò cán bộ một cửa tại nơi tiếp nhận.\n\n"
                         "Header `Idempotency-Key`: gửi lại cùng khóa trả về hồ sơ đã tạo (200, cùng mã) thay vì "
                         "tạo hồ sơ thứ hai; lần đầu trả 201.")
def receive(request, response: HttpResponse,
            idempotency_key: str | None = Header(None, alias=IDEMPOTENCY_HEADER, description=KEY_DOC)):
    data, files = _read(request, ReceiveIn)
    key = _key(idempotency_key)
    user = request.user
    components = [ComponentInput(required_component_id=c.required_component_id, name=c.name, originals=c.originals,
                                 copies=c.copies, received=c.received, note=c.note) for c in data.components]
    if files:
        by_id = {c.required_component_id: c for c in components if c.required_component_id}
        for field in files:
            if not field.startswith("component_") or not field[len("component_"):].isdecimal() \
                    or int(field[len("component_"):]) not in by_id:
                raise InvalidInput(f"Tệp gửi trong trường “{field}” không khớp thành phần hồ sơ nào đã khai.",
                                   code="invalid_input",
                                   errors=[{"field": field, "message": "Tên trường phải là component_<id> của một "
                                                                       "thành phần trong components."}])
            by_id[int(field[len("component_"):])].files = files.getlist(field)
    receiving = _agency(data.receiving_agency, "receiving_agency", "nơi tiếp nhận")
    competent = _agency(data.competent_agency, "competent_agency", "cơ quan giải quyết")
    case = _case(data.procedure, data.case)
    area = _area(data.area)
    replay = bool(key) and IdempotencyRecord.objects.filter(user=user, scope="receive", key=key,
                                                            dossier__isnull=False).exists()
    applicant = {**data.applicant.model_dump(), "subject": data.subject}
    dossier = actions.receive_at_counter(acting_user=user, receiving_agency=receiving, case=case,
                                         applicant=applicant, components=components, competent_agency=competent,
                                         area=area, idempotency_key=key)
    if replay:
        response[REPLAYED_HEADER] = "true"
    return (200 if replay else 201), detail(dossier, user)


@router.get("", auth=MACHINE_OR_PERSON, response={200: DossierPage, 401: ErrorOut, 422: ErrorOut},
            summary="Danh sách hồ sơ",
            description="Hồ sơ người dùng được xem: nơi tiếp nhận, cơ quan giải quyết hoặc cơ quan đang giữ hồ sơ "
                        "thuộc phạm vi vai trò của họ (cơ quan được phân quyền và các đơn vị trực thuộc). Lọc theo "
                        "trạng thái, cơ quan, quá hạn, sắp đến hạn, hồ sơ của tôi và từ khóa; phân trang với tổng "
                        "số `count`. Mới nhất trước.")
def list_dossiers(request, filters: Query[DossierQuery]):
    user = request.user
    at = timezone.now()
    qs = visible_to(user)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.agency:
        qs = qs.filter(Q(receiving_agency__code=filters.agency) | Q(competent_agency__code=filters.agency)
                       | Q(current_agency__code=filters.agency))
    overdue = Q(status__in=RUNNING, due_at__isnull=False, due_at__lt=at)
    if filters.overdue is True:
        qs = qs.filter(overdue)
    elif filters.overdue is False:
        qs = qs.exclude(overdue)
    if filters.due_soon is not None:
        limit = get_calendar().add_working_time(
            at, due_soon_window(at))
        soon = Q(status__in=RUNNING, due_at__gte=at, due_at__lte=limit)
        qs = qs.filter(soon) if filters.due_soon else qs.exclude(soon)
    if filters.mine:
        qs = qs.filter(current_handler=user)
    q = filters.q.strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(owner_name__icontains=q) | Q(owner_id_number=q)
                       | Q(subject__icontains=q))
    total = qs.count()
    rows = qs.select_related("procedure", "case", "receiving_agency", "competent_agency", "current_agency",
                             "current_handler")[filters.offset:filters.offset + filters.limit]
    return {"count": total, "limit": filters.limit, "offset": filters.offset,
            "items": [list_item(d, at) for d in rows]}


def _slip_out(slip) -> dict:
    return {"code": slip.code, "kind": slip.kind, "kind_label": str(slip.get_kind_display()),
            "receiving_agency": slip.agency.code, "procedure": slip.case.procedure.code, "issued_at": slip.issued_at,
            "pdf_url": reverse("api-v1:counter_slip_pdf", args=[slip.code])}


@router.post("/counter-slips", auth=MACHINE_OR_PERSON, response={201: CounterSlipOut, 401: ErrorOut, 403: ErrorOut,
                                                           404: ErrorOut, 422: ErrorOut},
             summary="Lập phiếu hướng dẫn hoặc từ chối tiếp nhận tại quầy (không tiếp nhận hồ sơ)",
             description="Hồ sơ giấy chưa đủ (phiếu hướng dẫn hoàn thiện, mẫu 02) hoặc không thuộc trường hợp được "
                         "tiếp nhận (phiếu từ chối, mẫu 03): không tạo hồ sơ, không tính thời hạn; phiếu được đánh "
                         "số, lưu PDF và ghi nhật ký. Cán bộ một cửa tại nơi tiếp nhận.")
def create_counter_slip(request, payload: CounterSlipIn):
    agency = _agency(payload.receiving_agency, "receiving_agency", "nơi tiếp nhận")
    slip = actions.issue_counter_slip(acting_user=request.user, agency=agency, case=_case(payload.procedure,
                                                                                             payload.case),
                                      kind=payload.kind, applicant={**payload.applicant.dict(),
                                                                    "subject": payload.subject},
                                      content=payload.content)
    return 201, _slip_out(slip)


@router.get("/counter-slips/{code}/pdf", auth=MACHINE_OR_PERSON, response={200: None, 401: ErrorOut, 404: ErrorOut},
            url_name="counter_slip_pdf", summary="Tệp PDF của phiếu tại quầy")
def counter_slip_pdf(request, code: str):
    from django.http import FileResponse

    from tinhso.accounts.permissions import agencies_in_scope
    from tinhso.dossiers.models import CounterSlip

    slip = CounterSlip.objects.filter(code=code, agency__in=agencies_in_scope(request.user, Role.CLERK)).first()
    if slip is None:
        raise NotFound("Không tìm thấy phiếu trong phạm vi của bạn.")
    record(actor=request.user, action="dossiers.counter_slip.viewed", obj=slip, personal_data=True)
    return FileResponse(slip.pdf.open("rb"), as_attachment=True, filename=f"{slip.code}.pdf",
                        content_type="application/pdf")


@router.get("/{code}", auth=MACHINE_OR_PERSON, response={200: DossierDetail, 401: ErrorOut, 404: ErrorOut},
            summary="Chi tiết hồ sơ",
            description="Toàn bộ thông tin hồ sơ: chủ hồ sơ, trạng thái, bước, cơ quan và người đang xử lý, các mốc "
                        "thời gian, thành phần và tệp (tên, kích thước; không kèm nội dung), quá trình xử lý, thời "
                        "gian tạm dừng, `allowed_actions` (thao tác người dùng này được làm lúc này) và `version` "
                        "(gửi kèm mọi thao tác). Hồ sơ ngoài phạm vi trả 404. Mỗi lần xem được ghi nhật ký truy "
                        "cập dữ liệu cá nhân.")
def get_dossier(request, code: str):
    dossier = _visible_or_404(request.user, code)
    data = detail(dossier, request.user)
    record(actor=request.user, action="dossiers.viewed", obj=dossier, personal_data=True, require_atomic=False)
    return data


@router.post("/{code}/actions/{action}", auth=MACHINE_OR_PERSON,
             response={200: DossierDetail, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                       422: ErrorOut},
             openapi_extra=ACTION_BODY, summary="Thực hiện thao tác xử lý hồ sơ",
             description="Một đầu mối cho mọi chuyển trạng thái. Thân yêu cầu JSON luôn có `version` (phiên bản hồ "
                         "sơ đã xem; khác phiên bản hiện tại thì trả 409 `dossier_changed` và không thay đổi gì) và "
                         "các trường của thao tác. Thao tác có tệp gửi `multipart/form-data` với `payload` (chuỗi "
                         "JSON) và các tệp trong trường `files`. Trả về chi tiết hồ sơ sau thao tác. Thao tác không "
                         "tồn tại: 404 `unknown_action`.\n\n"
                         "Header `Idempotency-Key`: gửi lại cùng khóa cho cùng thao tác trả 200 với trạng thái hiện "
                         "tại thay vì 409.\n\n"
                         "| thao tác | ý nghĩa | ai thực hiện | trường (* bắt buộc) |\n| --- | --- | --- | --- |\n"
                         + ACTION_TABLE)
def act(request, response: HttpResponse, code: str, action: str = Path(..., description="Tên thao tác, xem bảng"),
        idempotency_key: str | None = Header(None, alias=IDEMPOTENCY_HEADER, description=KEY_DOC)):
    spec = ACTIONS.get(action)
    if spec is None:
        raise NotFound(f"Không có thao tác “{action}”.", code="unknown_action")
    user = request.user
    dossier = _visible_or_404(user, code)
    data, files = _read(request, spec.schema)
    key = _key(idempotency_key)
    uploads = []
    if files:
        unknown = [name for name in files if name != "files"]
        if unknown or not spec.files:
            raise InvalidInput("Thao tác này không nhận tệp đính kèm." if not spec.files
                               else "Tệp đính kèm phải gửi trong trường “files”.", code="invalid_input",
                               errors=[{"field": (unknown or ["files"])[0], "message": "Không nhận tệp ở trường này."}])
        uploads = files.getlist("files")
    kwargs = data.model_dump(exclude={"version"})
    if spec.note:
        kwargs["note"] = kwargs.pop("comment")
    if "to_step" in kwargs:
        kwargs["to_step"] = _step(dossier, kwargs["to_step"])
    if "receiver" in kwargs:
        kwargs["receiver"] = _user(kwargs["receiver"])
    if "new_due_at" in kwargs:
        kwargs["new_due_at"] = _aware(kwargs["new_due_at"])
    if spec.files:
        kwargs[spec.files] = uploads
    scope = f"action:{action}"
    with transaction.atomic():
        claimed = None
        if key:
            earlier = IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()
            if earlier is None:
                try:
                    with transaction.atomic():
                        claimed = IdempotencyRecord.objects.create(user=user, scope=scope, key=key, dossier=dossier)
                except IntegrityError:  # a twin request committed first
                    earlier = IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()
                    if earlier is None or earlier.event_id is None:
                        raise Conflict("Yêu cầu này đã được gửi và đang được xử lý.",
                                       code="duplicate_request") from None
            if earlier is not None:
                if earlier.dossier_id != dossier.pk:
                    raise InvalidInput("Khóa chống gửi lặp này đã dùng cho hồ sơ khác.",
                                       code="idempotency_key_reused",
                                       errors=[{"field": IDEMPOTENCY_HEADER, "message": "Khóa đã được dùng."}])
                response[REPLAYED_HEADER] = "true"
                return 200, detail(dossier, user)
        result = spec.func(acting_user=user, dossier=dossier, version=data.version, **kwargs)
        if claimed is not None:
            claimed.event = DossierEvent.objects.filter(dossier=result).order_by("-id").first()
            claimed.save(update_fields=["event"])
    return 200, detail(result, user)


__all__ = ["router", "allowed_actions", "visible_to", "detail", "ACTIONS"]
