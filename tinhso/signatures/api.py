"""POST /api/v1/verify: verify the signatures of an uploaded PDF."""

from __future__ import annotations

from ninja import File, Router, Schema
from ninja.files import UploadedFile

from tinhso.core.api import ErrorOut
from tinhso.signatures.service import verify_pdf
from tinhso.signatures.views import check_pdf_upload

router = Router(tags=["Chữ ký số"])


class SignerOut(Schema):
    common_name: str
    organization: str
    organization_identifier: str
    text: str


class TimestampOut(Schema):
    time: str | None
    authority: str
    intact: bool
    trusted: bool


class SignatureOut(Schema):
    field: str
    signer: SignerOut
    issuer: str
    serial: str
    certificate_valid_from: str | None
    certificate_valid_to: str | None
    signing_time: str | None
    timestamp: TimestampOut | None
    intact: bool
    coverage: str
    covers_whole_file: bool
    coverage_text: str
    modification: str | None
    modification_text: str
    trust: str
    revocation: str
    revoked_at: str | None = None
    verdict: str
    message: str


class ReportOut(Schema):
    verdict: str
    verdict_text: str
    signature_count: int
    sha256: str
    size: int
    signatures: list[SignatureOut]


@router.post("", response={200: ReportOut, 422: ErrorOut}, summary="Kiểm tra chữ ký số trên tệp PDF",
             description=(
                 "Gửi tệp PDF (multipart, trường `file`). Trả về từng chữ ký: người ký (theo chứng thư), thời "
                 "gian ký, dấu thời gian, văn bản có bị thay đổi sau khi ký không (`intact`, `coverage`), "
                 "chứng thư có dẫn về chứng thư gốc được tin cậy không (`trust`: trusted / untrusted / "
                 "revoked; `revocation`: not_checked / checked / revoked / revoked_after_signing, với `revoked_at` "
                 "khi chứng thư do hệ thống quản lý đã bị thu hồi: chữ ký có dấu thời gian, hoặc văn bản do hệ thống "
                 "phát hành, trước lúc thu hồi vẫn hợp lệ) và kết luận chung `verdict`: "
                 "valid / untrusted / invalid / unsigned. Tệp không phải PDF hoặc quá lớn: 422."))
def verify(request, file: UploadedFile = File(...)):
    checked = check_pdf_upload(file)
    return verify_pdf(checked.data)
