"""Choice lists of the catalogue. The unit words are the ones the
working-calendar engine uses, so a case's processing time can be handed to
it as it is."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class OnlineLevel(models.TextChoices):
    """Decree 42/2022/NĐ-CP: toàn trình / một phần; `none` = not online."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class LegacyLevel(models.IntegerChoices):
    """Old levels (mức độ) 1-4, still quoted in data and articles."""

    ONE = 1, _("Mức độ 1")
    TWO = 2, _("Mức độ 2")
    THREE = 3, _("Mức độ 3")
    FOUR = 4, _("Mức độ 4")


LEGACY_TO_ONLINE = {4: OnlineLevel.FULL, 3: OnlineLevel.PARTIAL, 2: OnlineLevel.NONE, 1: OnlineLevel.NONE}
ONLINE_TO_LEGACY = {OnlineLevel.FULL: 4, OnlineLevel.PARTIAL: 3, OnlineLevel.NONE: None}


class FeeStatus(models.TextChoices):
    FREE = "free", _("Không thu phí, lệ phí")
    CHARGED = "charged", _("Có thu phí, lệ phí")
    EXEMPTED = "exempted", _("Có phí, lệ phí; miễn, giảm cho một số đối tượng")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    DAYS = "days", _("ngày")
    SAME_DAY = "same_day", _("trong ngày (nhận sau giờ chốt: ngày làm việc tiếp theo)")


# To compare a case's processing time with its steps' allowances: 8 working
# hours make a working day; a calendar day is counted as one working day.
HOURS_PER_UNIT = {TimeUnit.WORKING_DAYS: 8, TimeUnit.WORKING_HOURS: 1, TimeUnit.DAYS: 8, TimeUnit.SAME_DAY: 8}


class FeePaymentMoment(models.TextChoices):
    BEFORE_RECEPTION = "before_reception", _("Trước khi tiếp nhận hồ sơ")
    DURING_PROCESSING = "during_processing", _("Trong quá trình xử lý")
    AT_RETURN = "at_return", _("Khi trả kết quả")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Phí")
    CHARGE = "charge", _("Lệ phí")


class AgencyRole(models.TextChoices):
    COMPETENT = "competent", _("Cơ quan có thẩm quyền giải quyết")
    RECEIVING = "receiving", _("Cơ quan tiếp nhận hồ sơ")


class MoveKind(models.TextChoices):
    FORWARD = "forward", _("Chuyển tiếp")
    BACK = "back", _("Trả lại")


class NationalSource(models.TextChoices):
    """Which national database can supply a paper instead of an upload (docs/national-registries.md)."""

    POPULATION = "population", "CSDL quốc gia về dân cư"
    BUSINESS = "business-registry", "CSDL quốc gia về đăng ký doanh nghiệp"
    BIRTH = "civil-status:birth", "CSDL hộ tịch: khai sinh"
    MARRIAGE = "civil-status:marriage", "CSDL hộ tịch: kết hôn"
