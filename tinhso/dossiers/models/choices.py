from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.IntegerChoices):
    """Trạng thái hồ sơ: the codes used when syncing with the national portal."""

    SUBMITTED = 1, _("Mới nộp trực tuyến, chờ tiếp nhận")
    RECEIVED = 2, _("Đã tiếp nhận")
    REFUSED = 3, _("Không tiếp nhận")
    PROCESSING = 4, _("Đang giải quyết")
    SUPPLEMENT = 5, _("Yêu cầu bổ sung")
    PAYMENT = 6, _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWN = 7, _("Công dân rút hồ sơ")
    STOPPED = 8, _("Dừng xử lý")
    FINISHED = 9, _("Đã giải quyết, có kết quả")
    RETURNED = 10, _("Đã trả kết quả")


OPEN_STATUSES = OPEN_STATUSES_LIST = (Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAYMENT)
IN_HAND_STATUSES = (Status.RECEIVED, Status.PROCESSING)  # the clock runs
PAUSED_STATUSES = (Status.SUPPLEMENT, Status.PAYMENT)
CLOSED_STATUSES = (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)


class Channel(models.IntegerChoices):
    """Kênh nộp hồ sơ."""

    COUNTER = 1, _("Trực tiếp tại bộ phận một cửa")
    ONLINE = 2, _("Trực tuyến")
    POST = 3, _("Qua dịch vụ bưu chính công ích")


class Outcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class IdType(models.TextChoices):
    CCCD = "cccd", _("Căn cước / CCCD (số định danh cá nhân)")
    PASSPORT = "passport", _("Hộ chiếu")
    TAX = "tax", _("Mã số thuế (tổ chức)")
    OTHER = "other", _("Giấy tờ khác")


class ResultKind(models.TextChoices):
    """Loại kết quả: the request granted (a licence, a certificate...) or refused on its merits after appraisal
    (a signed letter giving the reason); both are handled dossiers."""

    GRANTED = "granted", _("Giải quyết theo đề nghị")
    REFUSED = "refused", _("Từ chối giải quyết (có văn bản nêu lý do)")


class Digitisation(models.TextChoices):
    """Số hóa thành phần hồ sơ: a scan of a paper made at reception, a file the applicant filed (born digital),
    or the paper only (chỉ bản giấy). Blank: not received, or recorded before digitisation was tracked."""

    SCANNED = "scanned", _("Đã số hóa (bản scan)")
    BORN_DIGITAL = "born_digital", _("Bản điện tử do người nộp gửi")
    PAPER = "paper", _("Chỉ bản giấy")


class ResultForm(models.TextChoices):
    """Hình thức kết quả: an electronic (signed) result or a paper one; a paper result may be digitised later
    (`Dossier.result_digitised_at`)."""

    ELECTRONIC = "electronic", _("Kết quả điện tử (ký số)")
    PAPER = "paper", _("Kết quả giấy")


class FileKind(models.TextChoices):
    COMPONENT = "component", _("Thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
    RESULT = "result", _("Kết quả giải quyết")
    ATTACHMENT = "attachment", _("Văn bản kèm theo")


class PauseReason(models.TextChoices):
    SUPPLEMENT = "supplement", _("Chờ bổ sung hồ sơ")
    PAYMENT = "payment", _("Chờ thực hiện nghĩa vụ tài chính")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("Trả trực tiếp tại bộ phận một cửa")
    ONLINE = "online", _("Trả trực tuyến")
    POST = "post", _("Trả qua bưu chính công ích")
