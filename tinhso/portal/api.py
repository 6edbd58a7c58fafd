"""The citizen's own API (/api/v1/me): what the portal's pages do, for the
citizen app and other clients signed in as the citizen (session from the
e-ID sign-in). Drafts, staged uploads, submission, my dossiers with their
history, supplement and withdrawal, and paying a fee online. Every call is
the citizen's own: another person's dossier or draft answers 404.

The state changes go through tinhso/portal/actions, tinhso/dossiers/actions
and tinhso/payments/actions, as the pages do."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja import Field as F
from ninja.files import UploadedFile
from ninja.security import django_auth

from tinhso.catalogue.models import ProcedureCase
from tinhso.core.api import ErrorOut
from tinhso.core.errors import InvalidInput, NotFound, PermissionDenied
from tinhso.dossiers import actions as dossier_actions
from tinhso.dossiers.models import Status
from tinhso.dossiers.staging import discard, stage, staged
from tinhso.payments import actions as payment_actions
from tinhso.payments.models import PaymentRequest
from tinhso.portal import actions
from tinhso.portal.models import Draft
from tinhso.portal.services import check_submission, draft_for, my_dossiers, public_events

router = Router(tags=["Công dân: hồ sơ của tôi"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 502: ErrorOut}


class StagedOut(Schema):
    id: int
    slot: str
    name: str


class ComponentOut(Schema):
    id: int
    slot: str
    name: str
    required: bool
    reusable_from_data_store: bool
    files: list[StagedOut]


class DraftOut(Schema):
    token: str
    case_id: int
    procedure_code: str
    case_name: str
    data: dict
    components: list[ComponentOut]
    updated_at: datetime.datetime
    submitted_dossier: str | None


class DraftIn(Schema):
    data: dict = F(..., description="Các trường của biểu mẫu: owner_name, owner_id_type, owner_id_number, "
                                   "owner_birth_date, owner_phone, owner_email, owner_address, area (mã đơn vị), "
                                   "f_<mã trường> của biểu mẫu điện tử, reuse_<mã giấy tờ> (giấy tờ trong kho)")


class EventOut(Schema):
    at: datetime.datetime
    label: str
    note: str


class FileOut(Schema):
    id: int
    kind: str
    name: str
    size: int


class PaymentOut(Schema):
    reference: str
    status: str
    amount: int
    description: str
    paid_at: datetime.datetime | None


class MyDossierOut(Schema):
    code: str
    version: int
    status: int
    status_label: str
    procedure_code: str
    procedure_name: str
    case_name: str
    receiving_agency: str
    competent_agency: str
    received_at: datetime.datetime | None
    due_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    waiting_for_me: list[str]


class MyDossierDetail(MyDossierOut):
    events: list[EventOut]
    files: list[FileOut]
    payments: list[PaymentOut]


class WithdrawIn(Schema):
    reason: str = F(..., min_length=1, max_length=1000)
    version: int | None = None


class PayOut(Schema):
    reference: str
    redirect_url: str


def _citizen(request):
    if not getattr(request.user, "is_citizen", False):
        raise PermissionDenied("Chỉ tài khoản công dân (đăng nhập bằng định danh điện tử).")
    return request.user


def _case(case_id: int) -> ProcedureCase:
    case = (ProcedureCase.objects.select_related("procedure").prefetch_related("components", "form_fields")
            .filter(pk=case_id, procedure__is_active=True, not_online=False).first())
    if case is None or not case.is_effective() or case.procedure.online_level == "none":
        raise NotFound("Thủ tục này không cung cấp dịch vụ nộp trực tuyến.")
    return case


def _draft_out(draft: Draft, user) -> dict:
    kept = staged(draft.token, user)
    case = draft.case
    return {
        "token": draft.token, "case_id": case.pk, "procedure_code": case.procedure.code, "case_name": case.name,
        "data": draft.data, "updated_at": draft.updated_at,
        "submitted_dossier": draft.dossier.code if draft.dossier_id else None,
        "components": [{"id": c.pk, "slot": f"component_{c.pk}", "name": c.name, "required": c.required,
                        "reusable_from_data_store": c.reusable_from_data_store,
                        "files": [{"id": r.pk, "slot": r.slot, "name": r.original_name}
                                  for r in kept.get(f"component_{c.pk}", [])]}
                       for c in case.components.all()],
    }


def _waiting(dossier) -> list[str]:
    """What the citizen has to do next (the app's "việc của tôi")."""
    out = []
    if dossier.status == Status.SUPPLEMENT:
        out.append("supplement")
    if dossier.status == Status.PAYMENT or any(p.status == "pending" for p in dossier.payment_requests.all()):
        out.append("payment")
    if dossier.status == Status.FINISHED:
        out.append("collect_result")
    if dossier.status == Status.RETURNED and hasattr(dossier, "evaluation") is False:
        out.append("evaluate")
    return out


def _dossier_out(d) -> dict:
    return {"code": d.code, "version": d.version, "status": d.status, "status_label": str(d.get_status_display()),
            "procedure_code": d.procedure.code, "procedure_name": d.procedure.name, "case_name": d.case.name,
            "receiving_agency": d.receiving_agency.name, "competent_agency": d.competent_agency.name,
            "received_at": d.received_at, "due_at": d.due_at,
            "finished_at": d.finished_at, "returned_at": d.returned_at, "waiting_for_me": _waiting(d)}


def _own(request, code: str):
    dossier = my_dossiers(_citizen(request)).filter(code=code.strip().upper()).first()
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ của bạn với mã này.")
    return dossier


def _detail(d) -> dict:
    return {**_dossier_out(d), "events": public_events(d),
            "files": [{"id": f.pk, "kind": f.kind, "name": f.original_name, "size": f.size}
                      for f in d.files.filter(kind__in=["result", "component", "supplement"]).order_by("id")],
            "payments": [{"reference": p.reference, "status": p.status, "amount": p.amount,
                          "description": p.description, "paid_at": p.paid_at}
                         for p in d.payment_requests.order_by("created_at")]}


class _Files(dict):
    """The shape of request.FILES that `stage` reads."""

    def getlist(self, key):
        return self.get(key, [])


# --- drafts and submission ------------------------------------------------------------------------

@router.get("/drafts", auth=django_auth, response={200: list[DraftOut], **ERRORS}, summary="Các bản nháp chưa nộp")
def list_drafts(request):
    user = _citizen(request)
    drafts = user.drafts.filter(dossier__isnull=True).select_related("case__procedure")
    return [_draft_out(d, user) for d in drafts[:100]]


@router.get("/drafts/{case_id}", auth=django_auth, response={200: DraftOut, **ERRORS},
            summary="Mở bản nháp cho một trường hợp thủ tục",
            description="Trả bản nháp đang mở của công dân cho trường hợp này, hoặc tạo bản nháp mới.")
def get_draft(request, case_id: int):
    user = _citizen(request)
    return _draft_out(draft_for(user, _case(case_id)), user)


@router.put("/drafts/{case_id}", auth=django_auth, response={200: DraftOut, **ERRORS}, summary="Lưu bản nháp",
            description="Thay toàn bộ dữ liệu đã nhập của bản nháp (lưu tự động); chưa kiểm tra, chưa nộp.")
def save_draft(request, case_id: int, payload: DraftIn):
    user = _citizen(request)
    data = {str(k)[:100]: v for k, v in payload.data.items() if isinstance(v, (str, int, float, bool)) or v is None}
    draft = actions.save_draft(acting_user=user, draft=draft_for(user, _case(case_id)), data=data)
    return _draft_out(draft, user)


@router.post("/drafts/{case_id}/files", auth=django_auth, response={200: DraftOut, **ERRORS},
             summary="Tải lên tệp cho một giấy tờ của bản nháp",
             description="Tệp được kiểm tra theo nội dung (PDF, JPEG, PNG; kích thước tối đa) và giữ lại theo bản "
                         "nháp đến khi nộp. `component_id` là mã giấy tờ trong thành phần hồ sơ.")
def upload_draft_file(request, case_id: int, component_id: int = Form(...),
                      file: UploadedFile = File(..., description="Tệp giấy tờ")):
    user = _citizen(request)
    case = _case(case_id)
    if not case.components.filter(pk=component_id).exists():
        raise InvalidInput("Giấy tờ này không thuộc thành phần hồ sơ của thủ tục.", code="unknown_component",
                           errors=[{"field": "component_id", "message": "Mã giấy tờ không đúng."}])
    draft = draft_for(user, case)
    slot = f"component_{component_id}"
    errors = stage(_Files({slot: [file]}), draft.token, user, [slot])
    if errors:
        raise InvalidInput(errors[slot][0], code="invalid_upload", errors=[{"field": "file", "message": m}
                                                                           for m in errors[slot]])
    return _draft_out(draft, user)


@router.delete("/drafts/{case_id}/files", auth=django_auth, response={200: DraftOut, **ERRORS},
               summary="Bỏ các tệp đã tải lên của bản nháp")
def clear_draft_files(request, case_id: int):
    user = _citizen(request)
    draft = draft_for(user, _case(case_id))
    discard(draft.token, user)
    return _draft_out(draft, user)


@router.post("/drafts/{case_id}/submit", auth=django_auth, response={201: MyDossierDetail, **ERRORS},
             summary="Nộp hồ sơ từ bản nháp",
             description="Kiểm tra dữ liệu của bản nháp như trang nộp hồ sơ (trả 422 liệt kê từng trường lỗi, không "
                         "mất gì), rồi nộp. Gọi lại sau khi đã nộp trả đúng hồ sơ đã tạo, không tạo hồ sơ thứ hai.")
def submit(request, case_id: int):
    from tinhso.datastore.models import DataStoreItem

    user = _citizen(request)
    case = _case(case_id)
    draft = (user.drafts.filter(case=case, dossier__isnull=True).order_by("-updated_at").first()
             or user.drafts.filter(case=case, dossier__isnull=False).order_by("-updated_at").first())
    if draft is None:
        raise NotFound("Chưa có bản nháp cho trường hợp này.")
    if draft.dossier_id is None:
        applicant, area, answers = check_submission(case, draft.data)
        items = {i.pk: i for i in DataStoreItem.objects.filter(owner=user)}
        reuse = {}
        for c in case.components.all():
            chosen = str(draft.data.get(f"reuse_{c.pk}") or "")
            if chosen:
                if not chosen.isdecimal() or int(chosen) not in items:
                    raise InvalidInput("Giấy tờ chọn từ kho không có.", code="invalid_draft",
                                       errors=[{"field": f"reuse_{c.pk}", "message": "Không có giấy tờ này trong kho."}])
                reuse[c.pk] = items[int(chosen)]
        actions.submit_draft(acting_user=user, draft=draft, applicant=applicant, area=area, answers=answers,
                             reuse=reuse)
        draft.refresh_from_db()
    return 201, _detail(_own(request, draft.dossier.code))


# --- my dossiers ----------------------------------------------------------------------------------

@router.get("/dossiers", auth=django_auth, response={200: list[MyDossierOut], **ERRORS}, summary="Hồ sơ của tôi")
def list_my_dossiers(request):
    # the evaluation (one-to-one) joined and the payments prefetched: no query per dossier
    dossiers = my_dossiers(_citizen(request)).select_related("evaluation").prefetch_related("payment_requests")[:200]
    return [_dossier_out(d) for d in dossiers]


@router.get("/dossiers/{code}", auth=django_auth, response={200: MyDossierDetail, **ERRORS},
            summary="Một hồ sơ của tôi: tiến trình, tệp, thanh toán")
def get_my_dossier(request, code: str):
    return _detail(_own(request, code))


@router.post("/dossiers/{code}/supplement", auth=django_auth, response={200: MyDossierDetail, **ERRORS},
             summary="Nộp bổ sung hồ sơ")
def supplement(request, code: str, note: str = Form("", max_length=2000),
               files: list[UploadedFile] = File(..., description="Các tệp bổ sung")):
    dossier = _own(request, code)
    dossier_actions.submit_supplement(acting_user=request.user, dossier=dossier, files=files, note=note)
    return _detail(_own(request, code))


@router.post("/dossiers/{code}/withdrawal", auth=django_auth, response={200: MyDossierDetail, **ERRORS},
             summary="Đề nghị rút hồ sơ", description="Bộ phận một cửa xác nhận việc rút hồ sơ.")
def withdraw(request, code: str, payload: WithdrawIn):
    dossier = _own(request, code)
    dossier_actions.request_withdrawal(acting_user=request.user, dossier=dossier, reason=payload.reason,
                                       version=payload.version)
    return _detail(_own(request, code))


@router.post("/payments/{reference}/pay", auth=django_auth, response={200: PayOut, **ERRORS},
             summary="Thanh toán trực tuyến một khoản phí, lệ phí",
             description="Tạo giao dịch trên nền tảng thanh toán và trả địa chỉ để chuyển công dân sang trang thanh "
                         "toán. Kết quả được ghi nhận từ thông báo đã xác thực của nền tảng, không từ ứng dụng.")
def pay(request, reference: str):
    user = _citizen(request)
    payment = get_object_or_404(PaymentRequest.objects.select_related("dossier"), reference=reference)
    if not payment_actions.is_payer(user, payment):
        raise NotFound("Không tìm thấy khoản thanh toán của bạn.")
    return {"reference": payment.reference,
            "redirect_url": payment_actions.start_online_payment(acting_user=user, payment=payment)}
