"""Public catalogue search and detail; import and export for catalogue managers.

Static paths (`/fields`, `/export`, `/import`) are declared before `/{code}` so
that they are never read as a procedure code."""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field as SField
from ninja import Body, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.security import django_auth

from tinhso.catalogue import actions, queries
from tinhso.catalogue.actions import check_can_manage
from tinhso.catalogue.eform_actions import EDITABLE, save_form_fields
from tinhso.catalogue.models import Field, Procedure, ProcedureCase
from tinhso.catalogue.schemas import FieldOut, ImportResult, ProcedureDetail, ProcedurePage
from tinhso.catalogue.uploads import import_upload
from tinhso.core.api import ErrorOut
from tinhso.core.errors import InvalidInput, NotFound

router = Router(tags=["Thủ tục hành chính"])


@router.get("", response={200: ProcedurePage, 422: ErrorOut}, summary="Tìm kiếm thủ tục hành chính",
            description="Tìm theo tên hoặc mã thủ tục, không phân biệt dấu (`dang ky khai sinh` tìm được "
                        "`Đăng ký khai sinh`); lọc theo lĩnh vực, cấp thực hiện, cơ quan có thẩm quyền hôm nay "
                        "và mức độ trực tuyến. Chỉ trả thủ tục đang áp dụng.")
def search_procedures(request, q: str = Query("", max_length=200, description="Từ khóa: tên hoặc mã"),
                      field: str = Query("", max_length=40, description="Mã lĩnh vực"),
                      level: Literal["province", "commune"] | None = Query(None, description="Cấp thực hiện"),
                      agency: str = Query("", max_length=40, description="Mã định danh cơ quan có thẩm quyền"),
                      online_level: Literal["full", "partial", "none"] | None = Query(
                          None, description="Mức độ trực tuyến (Nghị định 42/2022)"),
                      limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0)):
    return queries.search_page(q=q, field=field, level=level, agency=agency, online_level=online_level,
                               limit=limit, offset=offset)


@router.get("/fields", response=list[FieldOut], summary="Danh sách lĩnh vực",
            description="Các lĩnh vực thủ tục hành chính và số thủ tục đang áp dụng của mỗi lĩnh vực.")
def list_fields(request):
    rows = Field.objects.annotate(procedure_count=Count("procedures", filter=Q(procedures__is_active=True)))
    return [{"code": f.code, "name": f.name, "procedure_count": f.procedure_count} for f in rows]


@router.get("/export", auth=django_auth, response={401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
            summary="Xuất danh mục thủ tục",
            description="Tải toàn bộ danh mục dưới dạng JSON hoặc Excel (.xlsx), đúng định dạng dùng để nhập. "
                        "Chỉ dành cho người quản lý danh mục và quản trị hệ thống (đăng nhập phiên).")
def export(request, format: Literal["json", "xlsx"] = Query("json", description="json hoặc xlsx")):
    check_can_manage(request.user)
    content, content_type, filename = queries.export_file(format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.post("/import", auth=django_auth, response={200: ImportResult, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
             summary="Nhập danh mục thủ tục",
             description="Tải lên tệp JSON hoặc Excel (.xlsx, tối đa 10 MB). Toàn bộ tệp được kiểm tra trước; "
                         "nếu có lỗi, trả 422 liệt kê từng dòng lỗi và không nhập gì. Thủ tục được thêm mới "
                         "hoặc cập nhật theo mã thủ tục.")
def import_file(request, file: UploadedFile = File(..., description="Tệp .json hoặc .xlsx")):
    check_can_manage(request.user)
    return import_upload(file, acting_user=request.user)


@router.get("/{code}", response={200: ProcedureDetail, 404: ErrorOut, 422: ErrorOut}, summary="Chi tiết thủ tục",
            description="Thông tin thủ tục với các trường hợp, thành phần hồ sơ, phí và lệ phí, quy trình nội bộ "
                        "và cơ quan thực hiện có hiệu lực vào ngày `on` (mặc định hôm nay).")
def procedure_detail(request, code: str, on: datetime.date | None = Query(None, description="Ngày xem (YYYY-MM-DD)")):
    procedure = queries.get_procedure(code)
    if procedure is None:
        raise NotFound(f"Không có thủ tục mã {code}.")
    return queries.detail(procedure, on or timezone.localdate())


# --- editing one procedure (catalogue managers) -----------------------------------------------------
# The same actions as the back-office pages (tinhso/catalogue/actions.py): permission, validation and the
# audit row are theirs. Cases are written in the import format (see docs/catalogue.md), their form fields as
# the form editor's rows.

class ProcedureIn(Schema):
    name: str | None = SField(None, min_length=1, max_length=1000)
    field: str | None = SField(None, max_length=40, description="Mã lĩnh vực")
    level_province: bool | None = None
    level_commune: bool | None = None
    online_level: Literal["full", "partial", "none"] | None = None
    legacy_level: int | None = SField(None, ge=1, le=4)
    result_name: str | None = SField(None, max_length=1000)
    legal_basis: str | None = SField(None, max_length=10000)
    decision: str | None = SField(None, max_length=500)
    inter_agency: bool | None = None
    fee_status: str | None = SField(None, max_length=40)
    note: str | None = SField(None, max_length=5000)


class ProcedureCreateIn(ProcedureIn):
    code: str = SField(..., min_length=1, max_length=40, description="Mã thủ tục, ví dụ 1.001193")


class ProcedurePatchIn(ProcedureIn):
    updated_at: datetime.datetime | None = SField(
        None, description="Thời điểm cập nhật đã đọc; nếu người khác đã lưu sau đó, trả 409 và không ghi đè")


class ActiveIn(Schema):
    active: bool


class FormFieldIn(Schema):
    label: str = SField(..., min_length=1, max_length=300)
    key: str = SField("", max_length=60)
    kind: str = SField("text", max_length=20)
    required: bool = False
    help_text: str = SField("", max_length=500)
    choices: str = SField("", max_length=5000, description="Các lựa chọn, mỗi dòng một lựa chọn")
    pattern: str = SField("", max_length=300)
    max_length: int | None = SField(None, ge=1, le=10000)
    prefill: str = SField("", max_length=30)
    order: int | None = SField(None, ge=0, le=10000)


class FormFieldOut(FormFieldIn):
    order: int
    key: str


def _values(payload: ProcedureIn, current: Procedure | None) -> dict:
    """Check the values with the page's ProcedureForm (same rules, same words)."""
    from tinhso.catalogue.forms import ProcedureForm
    from tinhso.catalogue.actions import PROCEDURE_FIELDS

    given = payload.dict(exclude_unset=True, exclude={"code", "updated_at"})
    base = current or Procedure()  # a new procedure starts from the model's defaults
    data = {k: getattr(base, k) for k in PROCEDURE_FIELDS if k != "field"}
    data["field"] = base.field.code if base.field_id else ""
    data.update({k: v for k, v in given.items() if v is not None})
    field_obj = Field.objects.filter(code=data.get("field") or "").first()
    if data.get("field") and field_obj is None:
        raise InvalidInput("Không có lĩnh vực này.", errors=[{"field": "field", "message": "Mã lĩnh vực không có."}])
    form_data = {**{k: ("" if v is None else v) for k, v in data.items()}, "field": field_obj.pk if field_obj else "",
                 "code": current.code if current else getattr(payload, "code", "")}
    form_data = {k: v for k, v in form_data.items() if v is not False}  # an unchecked box is absent from a form
    form = ProcedureForm(data=form_data, instance=current)
    if not form.is_valid():
        errors = [{"field": k, "message": str(m)} for k, ms in form.errors.items() for m in ms]
        raise InvalidInput(errors[0]["message"], errors=errors)
    return {k: v for k, v in form.cleaned_data.items() if k != "code"}


def _procedure_or_404(code: str) -> Procedure:
    procedure = queries.get_procedure(code)
    if procedure is None:
        raise NotFound(f"Không có thủ tục mã {code}.")
    return procedure


def _case_or_404(procedure: Procedure, case_code: str) -> ProcedureCase:
    case = procedure.cases.filter(code=case_code).first()
    if case is None:
        raise NotFound(f"Thủ tục {procedure.code} không có trường hợp mã {case_code}.")
    return case


EDIT_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.post("", auth=django_auth, response={201: ProcedureDetail, **EDIT_ERRORS}, summary="Thêm thủ tục",
             description="Thêm một thủ tục (thông tin chung); các trường hợp thêm bằng `POST /{code}/cases`.")
def create(request, payload: ProcedureCreateIn):
    check_can_manage(request.user)
    procedure = actions.create_procedure(acting_user=request.user, code=payload.code, values=_values(payload, None))
    return 201, queries.detail(queries.get_procedure(procedure.code), timezone.localdate())


@router.patch("/{code}", auth=django_auth, response={200: ProcedureDetail, **EDIT_ERRORS},
              summary="Sửa thông tin chung của thủ tục")
def update(request, code: str, payload: ProcedurePatchIn):
    check_can_manage(request.user)
    procedure = _procedure_or_404(code)
    actions.update_procedure(acting_user=request.user, procedure=procedure, values=_values(payload, procedure),
                             expected_updated_at=payload.updated_at)
    return queries.detail(queries.get_procedure(code), timezone.localdate())


@router.post("/{code}/active", auth=django_auth, response={200: ProcedureDetail, **EDIT_ERRORS},
             summary="Ngừng áp dụng hoặc áp dụng lại thủ tục", description="Không xóa gì; hồ sơ cũ giữ nguyên.")
def set_active(request, code: str, payload: ActiveIn):
    procedure = _procedure_or_404(code)
    actions.set_procedure_active(acting_user=request.user, procedure=procedure, active=payload.active)
    return queries.detail(queries.get_procedure(code), timezone.localdate())


@router.post("/{code}/cases", auth=django_auth, response={201: ProcedureDetail, **EDIT_ERRORS},
             summary="Thêm trường hợp giải quyết",
             description="Trường hợp theo định dạng nhập danh mục: thời hạn, giấy tờ, phí, quy trình. Lỗi trả 422 "
                         "liệt kê từng chỗ, không lưu gì.")
def add_case(request, code: str, payload: dict = Body(..., description="Trường hợp theo định dạng nhập")):
    procedure = _procedure_or_404(code)
    actions.save_case(acting_user=request.user, procedure=procedure, data=payload)
    return 201, queries.detail(queries.get_procedure(code), timezone.localdate())


@router.put("/{code}/cases/{case_code}", auth=django_auth, response={200: ProcedureDetail, **EDIT_ERRORS},
            summary="Sửa trường hợp giải quyết", description="Thay toàn bộ trường hợp (định dạng nhập danh mục).")
def replace_case(request, code: str, case_code: str,
                 payload: dict = Body(..., description="Trường hợp theo định dạng nhập")):
    procedure = _procedure_or_404(code)
    actions.save_case(acting_user=request.user, procedure=procedure, data=payload,
                      case=_case_or_404(procedure, case_code))
    return queries.detail(queries.get_procedure(code), timezone.localdate())


@router.delete("/{code}/cases/{case_code}", auth=django_auth, response={204: None, **EDIT_ERRORS},
               summary="Xóa trường hợp giải quyết", description="Thủ tục phải còn ít nhất một trường hợp.")
def remove_case(request, code: str, case_code: str):
    procedure = _procedure_or_404(code)
    actions.delete_case(acting_user=request.user, case=_case_or_404(procedure, case_code))
    return 204, None


@router.get("/{code}/cases/{case_code}/form", response={200: list[FormFieldOut], 404: ErrorOut, 422: ErrorOut},
            summary="Biểu mẫu điện tử của trường hợp")
def get_form(request, code: str, case_code: str):
    case = _case_or_404(_procedure_or_404(code), case_code)
    return list(case.form_fields.order_by("order").values(*EDITABLE))


@router.put("/{code}/cases/{case_code}/form", auth=django_auth, response={200: list[FormFieldOut], **EDIT_ERRORS},
            summary="Thay biểu mẫu điện tử của trường hợp",
            description="Thay toàn bộ các trường (tất cả hoặc không gì). Hồ sơ đã nộp giữ câu trả lời theo mã trường.")
def put_form(request, code: str, case_code: str, payload: list[FormFieldIn]):
    case = _case_or_404(_procedure_or_404(code), case_code)
    save_form_fields(acting_user=request.user, case=case, rows=[row.dict() for row in payload])
    return list(case.form_fields.order_by("order").values(*EDITABLE))
