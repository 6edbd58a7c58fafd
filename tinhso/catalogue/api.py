"""Public catalogue search and detail; import and export for catalogue managers.

Static paths (`/fields`, `/export`, `/import`) are declared before `/{code}` so
that they are never read as a procedure code."""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.security import django_auth

from tinhso.catalogue import queries
from tinhso.catalogue.actions import check_can_manage
from tinhso.catalogue.models import Field
from tinhso.catalogue.schemas import FieldOut, ImportResult, ProcedureDetail, ProcedurePage
from tinhso.catalogue.uploads import import_upload
from tinhso.core.api import ErrorOut
from tinhso.core.errors import NotFound

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
