"""Public dossier look-up for citizens (/api/v1/public/dossiers): anonymous,
the same rule and the same content as the page /tra-cuu/ (see
`tinhso.dossiers.lookup`): code plus the last 4 digits of the applicant's
phone; status, procedure, agencies, dates and whether it is on time; never
personal data."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.params import Path

from tinhso.core.api import ErrorOut
from tinhso.core.errors import InvalidInput, NotFound
from tinhso.dossiers.lookup import PHONE_DIGITS, find_public

router = Router(tags=["Tra cứu hồ sơ (công khai)"])

NOT_FOUND_MESSAGE = "Không tìm thấy hồ sơ với mã và số điện thoại này."


class PublicRef(Schema):
    code: str
    name: str


class PublicDossier(Schema):
    code: str
    status: int
    status_label: str
    procedure: PublicRef
    receiving_agency: PublicRef
    competent_agency: PublicRef
    received_at: datetime.datetime | None
    due_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    outcome: str | None
    outcome_label: str
    overdue: bool


@router.get("/dossiers/{code}", auth=None, response={200: PublicDossier, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
            summary="Tra cứu tình trạng hồ sơ",
            description="Không cần đăng nhập. Cần mã hồ sơ (không phân biệt hoa thường, bỏ qua khoảng trắng) và "
                        "4 số cuối điện thoại của người nộp. Trả trạng thái, thủ tục, nơi tiếp nhận, cơ quan giải "
                        "quyết, các mốc thời gian và tình trạng đúng hạn; không bao giờ trả thông tin cá nhân. "
                        "Mã không tồn tại và số điện thoại sai cùng trả 404.")
def lookup(request, code: str = Path(..., max_length=80, description="Mã hồ sơ"),
           phone_last4: str = Query(..., max_length=20, description="4 số cuối điện thoại của người nộp")):
    digits = phone_last4.strip()
    if len(digits) != PHONE_DIGITS or not digits.isdecimal():
        raise InvalidInput(errors=[{"field": "phone_last4", "message": _("Nhập đúng 4 chữ số.")}])
    found = find_public(code, digits, address=request.META.get("REMOTE_ADDR", ""))
    if found is None:
        raise NotFound(_(NOT_FOUND_MESSAGE), code="dossier_not_found")
    return found
