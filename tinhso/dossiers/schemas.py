"""Input and output schemas of the dossier API (see docs/api-dossiers.md).

Inputs are validated here (types, lengths matching the model columns, required
fields); the business rules (status, role, process, deadlines) stay in
`tinhso.dossiers.actions`, which raise the domain errors."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from ninja import Schema
from pydantic import Field, field_validator

ID_TYPES = Literal["cccd", "passport", "tax", "other"]
RETURN_METHODS = Literal["counter", "online", "post"]


# --------------------------------------------------------------------------- inputs: reception

class ApplicantIn(Schema):
    """Chủ hồ sơ và người nộp thay."""

    owner_name: str = Field(..., min_length=1, max_length=200, description="Họ tên chủ hồ sơ (bắt buộc)")
    owner_id_type: ID_TYPES = Field("cccd", description="Loại giấy tờ: cccd | passport | tax | other")
    owner_id_number: str = Field("", max_length=20, description="Số giấy tờ (số định danh cá nhân, MST…)")
    owner_birth_date: datetime.date | None = Field(None, description="Ngày sinh (YYYY-MM-DD)")
    owner_address: str = Field("", max_length=300)
    owner_phone: str = Field("", max_length=20)
    owner_email: str = Field("", max_length=254)
    filer_name: str = Field("", max_length=200, description="Người nộp thay (nếu có)")
    filer_id_number: str = Field("", max_length=20)
    filer_phone: str = Field("", max_length=20)
    notify_sms: bool = Field(True, description="Nhận tin nhắn thông báo")
    notify_email: bool = Field(True, description="Nhận thư điện tử thông báo")
    sets: int = Field(1, ge=1, le=99, description="Số bộ hồ sơ")
    delivery_method: Literal["", "counter", "online", "post"] = Field(
        "", description="Hình thức nhận kết quả đã đăng ký: counter (tại quầy), online, post (bưu chính công ích)")

    @field_validator("owner_email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("Địa chỉ thư điện tử không hợp lệ.") from None
        return value


class ComponentIn(Schema):
    """Một thành phần hồ sơ đã nhận. Tệp của thành phần gửi kèm (multipart) trong
    trường `component_<required_component_id>`."""

    required_component_id: int | None = Field(None, description="Mã (id) thành phần trong danh mục của trường hợp")
    name: str = Field("", max_length=1000, description="Tên giấy tờ, khi không thuộc danh mục")
    originals: int = Field(0, ge=0, le=100, description="Số bản chính")
    copies: int = Field(0, ge=0, le=100, description="Số bản sao")
    received: bool = Field(True, description="Đã nhận giấy tờ")
    note: str = Field("", max_length=300)


class ReceiveIn(Schema):
    """Tiếp nhận hồ sơ tại bộ phận một cửa."""

    receiving_agency: str = Field(..., min_length=1, max_length=40,
                                  description="Mã định danh nơi tiếp nhận (trung tâm phục vụ hành chính công)")
    procedure: str = Field(..., min_length=1, max_length=40, description="Mã thủ tục, ví dụ 1.000894")
    case: str = Field(..., min_length=1, max_length=40, description="Mã trường hợp của thủ tục")
    competent_agency: str | None = Field(None, max_length=40,
                                         description="Mã cơ quan giải quyết; bỏ trống để hệ thống chọn theo địa bàn")
    area: str | None = Field(None, max_length=10, description="Mã xã/phường (đơn vị hiện hành) của địa bàn hồ sơ")
    subject: str = Field("", max_length=500, description="Nội dung yêu cầu")
    applicant: ApplicantIn
    components: list[ComponentIn] = Field(default_factory=list, max_length=100)


class CounterSlipIn(Schema):
    """Phiếu hướng dẫn (02) hoặc phiếu từ chối tiếp nhận (03) tại quầy, không tiếp nhận hồ sơ."""

    kind: Literal["guidance", "refusal"] = Field(..., description="guidance: phiếu hướng dẫn hoàn thiện (mẫu 02); "
                                                                  "refusal: phiếu từ chối tiếp nhận (mẫu 03)")
    receiving_agency: str = Field(..., min_length=1, max_length=40, description="Mã định danh nơi tiếp nhận")
    procedure: str = Field(..., min_length=1, max_length=40, description="Mã thủ tục")
    case: str = Field(..., min_length=1, max_length=40, description="Mã trường hợp")
    applicant: ApplicantIn
    subject: str = Field("", max_length=500)
    content: str = Field(..., max_length=4000, description="Nội dung cần hoàn thiện, hoặc lý do từ chối")


class CounterSlipOut(Schema):
    code: str
    kind: str
    kind_label: str
    receiving_agency: str
    procedure: str
    issued_at: datetime.datetime
    pdf_url: str


# --------------------------------------------------------------------------- inputs: transitions

class ActionIn(Schema):
    version: int = Field(..., ge=1, description="Phiên bản hồ sơ người dùng đã xem (khóa lạc quan); bắt buộc")


class CommentIn(ActionIn):
    comment: str = Field("", max_length=4000, description="Nội dung, ý kiến")


class ReasonIn(ActionIn):
    reason: str = Field(..., max_length=4000, description="Lý do (bắt buộc)")


class MoveIn(CommentIn):
    to_step: int | None = Field(None, ge=1, description="Thứ tự bước đến; bỏ trống khi chỉ có một bước hợp lệ")
    receiver: str | None = Field(None, max_length=150, description="Tên đăng nhập người nhận (tùy chọn)")


class SendBackIn(MoveIn):
    comment: str = Field(..., max_length=4000, description="Lý do trả lại (bắt buộc)")


class RequestSupplementIn(ReasonIn):
    deadline: datetime.date | None = Field(None, description="Hạn nộp bổ sung (YYYY-MM-DD)")


class RequestPaymentIn(CommentIn):
    amount: int = Field(..., gt=0, le=10**12, description="Số tiền (đồng)")


class WithdrawIn(ReasonIn):
    requested_by: str = Field("", max_length=200, description="Người đề nghị rút (bắt buộc khi công dân chưa gửi đề "
                                                             "nghị trực tuyến; kèm bản chụp đơn đề nghị)")


class RefuseIn(ReasonIn):
    letter_number: str = Field("", max_length=100, description="Số, ký hiệu văn bản từ chối")
    comment: str = Field("", max_length=4000)
    remote_otp: str = Field("", max_length=12, description="Mã OTP để ký số từ xa")


class ApproveIn(CommentIn):
    remote_otp: str = Field("", max_length=12, description="Mã OTP để ký số từ xa")


class KeptAtIn(ActionIn):
    kept_at: str = Field(..., max_length=300, description="Nơi lưu giữ hồ sơ giấy (tủ, kệ, phòng)")


class NewDueIn(ReasonIn):
    new_due_at: datetime.datetime = Field(..., description="Ngày hẹn mới (ISO 8601; không có múi giờ = giờ Việt Nam)")


class FinishIn(CommentIn):
    result_summary: str = Field(..., max_length=4000, description="Trích yếu kết quả (bắt buộc)")
    result_number: str = Field("", max_length=100, description="Số, ký hiệu văn bản kết quả")
    result_signer: str = Field("", max_length=200, description="Người ký; mặc định người thực hiện")
    result_signed_at: datetime.date | None = Field(None, description="Ngày ký; mặc định hôm nay")
    remote_otp: str = Field("", max_length=12, description="Mã OTP để ký số từ xa qua dịch vụ ký số (CSC); "
                                                          "để trống để ký bằng chứng thư trên hệ thống")


class ReturnResultIn(CommentIn):
    method: RETURN_METHODS = Field(..., description="Hình thức trả: counter | online | post")
    returned_to: str = Field(..., max_length=200, description="Người nhận kết quả (bắt buộc)")


# --------------------------------------------------------------------------- outputs

class Ref(Schema):
    code: str
    name: str


class UserRef(Schema):
    username: str
    full_name: str


class StepRef(Schema):
    order: int
    name: str
    role: str
    role_label: str


class TargetStep(StepRef):
    agency: Ref
    receivers: list[UserRef] = Field(default_factory=list, description="Cán bộ có thể nhận hồ sơ ở bước này")


class ApplicantOut(Schema):
    owner_name: str
    owner_id_type: str
    owner_id_number: str
    owner_birth_date: datetime.date | None
    owner_address: str
    owner_phone: str
    owner_email: str
    owner_verified: bool
    filer_name: str
    filer_id_number: str
    filer_phone: str
    notify_sms: bool
    notify_email: bool


class FileOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    content_type: str
    size: int
    sha256: str
    component_id: int | None
    uploaded_at: datetime.datetime
    uploaded_by: str
    url: str


class ComponentOut(Schema):
    id: int
    required_component_id: int | None
    name: str
    originals: int
    copies: int
    received: bool
    reused_from_data_store: bool
    note: str
    files: list[FileOut]


class EventOut(Schema):
    id: int
    at: datetime.datetime
    action: str
    action_label: str
    from_status: int | None
    to_status: int
    to_status_label: str
    step_name: str
    sender: str
    sender_agency: str | None
    receiver: str
    receiver_agency: str | None
    step_due_at: datetime.datetime | None
    comment: str
    attachments: list[FileOut]


class PauseOut(Schema):
    reason: str
    reason_label: str
    started_at: datetime.datetime
    ended_at: datetime.datetime | None


class ResultOut(Schema):
    summary: str
    number: str
    signer: str
    signed_at: datetime.date | None
    return_method: str
    returned_to: str


class DossierListItem(Schema):
    code: str
    version: int
    status: int
    status_label: str
    channel: int
    procedure: Ref
    case: Ref
    owner_name: str
    subject: str
    receiving_agency: Ref
    competent_agency: Ref
    current_agency: Ref
    current_role: str
    current_handler: UserRef | None
    received_at: datetime.datetime | None
    due_at: datetime.datetime | None
    overdue: bool


class DossierPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DossierListItem]


class DossierDetail(DossierListItem):
    channel_label: str
    area: Ref | None
    applicant: ApplicantOut
    current_step: StepRef | None
    current_role_label: str
    step_due_at: datetime.datetime | None
    submitted_at: datetime.datetime | None
    received_by: UserRef | None
    counting_from: datetime.datetime | None
    original_due_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    outcome: str
    outcome_label: str
    result: ResultOut
    reason: str
    supplement_requests: int
    extensions: int
    components: list[ComponentOut]
    files: list[FileOut]
    events: list[EventOut]
    pauses: list[PauseOut]
    allowed_actions: list[str] = Field(description="Thao tác người dùng hiện tại được thực hiện (để hiện nút)")
    forward_steps: list[TargetStep] = Field(default_factory=list, description="Bước có thể chuyển tiếp đến")
    back_steps: list[TargetStep] = Field(default_factory=list, description="Bước có thể trả lại")
    created_at: datetime.datetime
    updated_at: datetime.datetime


class DossierQuery(Schema):
    status: list[Annotated[int, Field(ge=1, le=10)]] | None = Field(
        None, description="Trạng thái (1-10); lặp lại tham số để chọn nhiều: `status=2&status=4`")
    agency: str | None = Field(None, max_length=40, description="Mã định danh cơ quan: hồ sơ tiếp nhận, giải "
                                                                "quyết hoặc đang ở cơ quan này")
    overdue: bool | None = Field(None, description="true: chỉ hồ sơ đang giải quyết đã quá hạn; false: loại chúng ra")
    due_soon: bool | None = Field(None, description="true: chỉ hồ sơ đang giải quyết sắp đến hạn "
                                                    "(còn dưới ngưỡng “sắp đến hạn” của tham số nghiệp vụ dossiers.due_soon_working_hours)")
    mine: bool = Field(False, description="true: chỉ hồ sơ đang giao cho tôi xử lý")
    q: str = Field("", max_length=100, description="Mã hồ sơ, tên hoặc số giấy tờ chủ hồ sơ, nội dung yêu cầu")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)
