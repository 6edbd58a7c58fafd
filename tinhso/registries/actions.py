"""Lookups in the national registries and what they leave behind: the
citizen's consent (Consent), each check (RegistryCheck), the dossier's papers
taken from a national database and the history row saying which data came
from where.

Network calls never run inside a transaction (the message log appends its
own rows): an action checks input and consent, calls the provider, then
writes its rows in a short atomic block with the audit row."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import has_role
from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.integration.outbound import ExternalError
from tinhso.registries.models import Channel, CheckStatus, Consent, RegistryCheck, Source, id_digest
from tinhso.registries.providers import NotConfigured
from tinhso.registries.providers import business, civil_status, population

ID_NUMBER = re.compile(r"^[0-9]{12}$")
CONSENT_VALID_FOR = datetime.timedelta(hours=2)
CHECK_USABLE_FOR = datetime.timedelta(hours=24)
SOURCE_NAMES = {Source.POPULATION: "CSDL quốc gia về dân cư", Source.BUSINESS: "CSDL quốc gia về đăng ký doanh nghiệp",
                Source.BIRTH: "CSDL hộ tịch điện tử (khai sinh)", Source.MARRIAGE: "CSDL hộ tịch điện tử (kết hôn)"}
FIELD_LABELS = {"full_name": "họ tên", "birth_date": "ngày sinh", "number": "số đăng ký", "book": "quyển số",
                "place": "nơi đăng ký", "registered_on": "ngày đăng ký", "person": "người được đăng ký"}
DOWN_MESSAGE = ("{name} đang không kết nối được; vẫn tiếp nhận hồ sơ, hệ thống sẽ kiểm tra lại sau.")


@dataclass
class CheckResult:
    """What one check found, for the page: `status` is a CheckStatus value or
    "not_configured"; `data` the fields a form may prefill (population) or the
    record's main fields (papers); `message` says it in Vietnamese."""

    source: str
    status: str
    message: str
    data: dict = field(default_factory=dict)
    check: RegistryCheck | None = None
    required_component_id: int | None = None

    @property
    def verified(self) -> bool:
        return self.status in (CheckStatus.MATCH, CheckStatus.VALID)


# ----- consent -------------------------------------------------------------------------------------------------

def _clean_id(id_number) -> str:
    id_number = str(id_number or "").strip()
    if not ID_NUMBER.match(id_number):
        raise InvalidInput("Số định danh cá nhân phải gồm đúng 12 chữ số.", code="invalid_id_number",
                           errors=[{"field": "owner_id_number", "message": "Cần 12 chữ số."}])
    return id_number


@transaction.atomic
def give_consent(*, acting_user, id_number: str, purpose: str, channel: str) -> Consent:
    """Ghi nhận sự đồng ý: online, a citizen for their own number only; at the
    counter, a one-stop clerk for the citizen standing in front of them."""
    id_number = _clean_id(id_number)
    if channel == Channel.ONLINE:
        if not getattr(acting_user, "is_citizen", False) or (acting_user.id_number or "") != id_number:
            raise PermissionDenied("Chỉ công dân đã đăng nhập bằng định danh điện tử tự đồng ý tra cứu dữ liệu của "
                                   "chính mình.", code="consent_not_own")
    elif channel == Channel.COUNTER:
        if not has_role(acting_user, Role.CLERK):
            raise PermissionDenied("Chỉ cán bộ một cửa ghi nhận sự đồng ý tại quầy.", code="not_clerk")
    else:
        raise InvalidInput("Kênh không hợp lệ.", code="invalid_channel")
    purpose = (purpose or "").strip()[:300] or "Giải quyết thủ tục hành chính"
    consent = Consent.objects.create(given_by=acting_user, channel=channel, id_hash=id_digest(id_number),
                                     id_last4=id_number[-4:], purpose=purpose)
    record(actor=acting_user, action="registries.consent", obj=consent, personal_data=True,
           changes={"channel": channel, "purpose": purpose, "id_last4": consent.id_last4})
    return consent


def _require_consent(acting_user, consent: Consent | None, id_number: str) -> Consent:
    if (consent is None or consent.given_by_id != getattr(acting_user, "pk", None) or not consent.covers(id_number)
            or timezone.now() - consent.at > CONSENT_VALID_FOR):
        raise InvalidInput("Cần sự đồng ý của công dân trước khi tra cứu cơ sở dữ liệu quốc gia.",
                           code="consent_required",
                           errors=[{"field": "national_consent", "message": "Công dân chưa đồng ý tra cứu."}])
    return consent


# ----- population ----------------------------------------------------------------------------------------------

def check_citizen(*, acting_user, consent: Consent | None, id_number: str, full_name: str = "",
                  birth_date: datetime.date | None = None, purpose: str = "") -> CheckResult:
    """Kiểm tra công dân với CSDL quốc gia về dân cư: refused without the
    citizen's consent for this number. Not reachable: a pending check is
    stored (the job makes it once the dossier exists) and reception goes on."""
    id_number = _clean_id(id_number)
    full_name = " ".join((full_name or "").split())
    if not full_name and not birth_date:
        raise InvalidInput("Cần họ tên hoặc ngày sinh để đối chiếu với CSDL dân cư.", code="missing_name_or_birth",
                           errors=[{"field": "owner_name", "message": "Nhập họ tên hoặc ngày sinh."}])
    consent = _require_consent(acting_user, consent, id_number)
    purpose = purpose or consent.purpose
    provider = population.provider
    try:
        answer = provider.verify(id_number=id_number, full_name=full_name, birth_date=birth_date, purpose=purpose,
                                 subject=f"consent:{consent.pk}")
    except NotConfigured as exc:
        return CheckResult(Source.POPULATION, "not_configured", exc.message)
    except ExternalError as exc:
        check = _save_check(acting_user, source=Source.POPULATION, status=CheckStatus.PENDING, consent=consent,
                            summary="", error=exc.detail)
        return CheckResult(Source.POPULATION, CheckStatus.PENDING,
                           DOWN_MESSAGE.format(name="CSDL dân cư") + f" ({exc.message})", check=check)
    status, message = population_outcome(answer)
    check = _save_check(acting_user, source=Source.POPULATION, status=status, consent=consent, summary=message)
    return CheckResult(Source.POPULATION, status, message, data=answer["person"] or {}, check=check)


def population_outcome(answer: dict) -> tuple[str, str]:
    if answer["outcome"] == population.MATCH:
        return CheckStatus.MATCH, "Đã xác minh với CSDL quốc gia về dân cư: thông tin khớp."
    if answer["outcome"] == population.MISMATCH:
        fields = ", ".join(FIELD_LABELS.get(f, f) for f in answer["mismatched"]) or "không rõ"
        return CheckStatus.MISMATCH, f"CSDL quốc gia về dân cư: thông tin không khớp ({fields})."
    return CheckStatus.NOT_FOUND, "CSDL quốc gia về dân cư: không tìm thấy số định danh cá nhân này."


# ----- papers (civil status, business registration) ------------------------------------------------------------

def paper_reference(source: str, values: dict) -> dict:
    """The reference typed for a paper, cleaned; raises InvalidInput for a bad one."""
    if source == Source.BUSINESS:
        code = str(values.get("number") or "").strip().upper()
        if not business.CODE.match(code):
            raise InvalidInput("Mã số doanh nghiệp, hộ kinh doanh không hợp lệ.", code="invalid_business_code")
        return {"number": code}
    if source in (Source.BIRTH, Source.MARRIAGE):
        ref = {k: " ".join(str(values.get(k) or "").split())[:200] for k in civil_status.REFERENCE_FIELDS}
        try:
            ref["registered_on"] = datetime.date.fromisoformat(ref["registered_on"]).isoformat()
        except ValueError:
            raise InvalidInput("Ngày đăng ký hộ tịch không hợp lệ (ngày/tháng/năm).", code="invalid_registered_on") \
                from None
        if not ref["number"] or not ref["place"]:
            raise InvalidInput("Cần số đăng ký và nơi đăng ký hộ tịch.", code="invalid_civil_reference")
        return ref
    raise InvalidInput("Giấy tờ này không lấy được từ CSDL quốc gia.", code="no_national_source")


def reference_text(source: str, ref: dict) -> str:
    if source == Source.BUSINESS:
        return f"Mã số {ref.get('number', '')}"
    return (f"Số {ref.get('number', '')}, quyển {ref.get('book') or '—'}, {ref.get('place', '')}, "
            f"ngày {ref.get('registered_on', '')}")[:300]


def check_paper(*, acting_user, source: str, reference: dict, consent: Consent | None = None,
                required_component_id: int | None = None, purpose: str = "") -> CheckResult:
    """Kiểm tra giấy tờ với CSDL quốc gia: a birth or marriage registration
    (needs the citizen's consent: personal data) or a business registration."""
    ref = paper_reference(source, reference)
    if source != Source.BUSINESS and (consent is None or consent.given_by_id != getattr(acting_user, "pk", None)
                                      or timezone.now() - consent.at > CONSENT_VALID_FOR):
        raise InvalidInput("Cần sự đồng ý của công dân trước khi tra cứu CSDL hộ tịch.", code="consent_required",
                           errors=[{"field": "national_consent", "message": "Công dân chưa đồng ý tra cứu."}])
    purpose = purpose or (consent.purpose if consent else "Giải quyết thủ tục hành chính")
    try:
        status, message, data = _ask_paper(source, ref, purpose, subject=f"consent:{consent.pk}" if consent else "")
    except NotConfigured as exc:
        return CheckResult(source, "not_configured", exc.message, required_component_id=required_component_id)
    except ExternalError as exc:
        check = _save_check(acting_user, source=source, status=CheckStatus.PENDING, consent=consent, reference=ref,
                            summary=reference_text(source, ref), error=exc.detail,
                            required_component_id=required_component_id)
        name = "CSDL doanh nghiệp" if source == Source.BUSINESS else "CSDL hộ tịch"
        return CheckResult(source, CheckStatus.PENDING, DOWN_MESSAGE.format(name=name) + f" ({exc.message})",
                           check=check, required_component_id=required_component_id)
    check = _save_check(acting_user, source=source, status=status, consent=consent, reference=ref,
                        summary=f"{reference_text(source, ref)}: {message}"[:500],
                        required_component_id=required_component_id)
    return CheckResult(source, status, message, data=data, check=check, required_component_id=required_component_id)


def _ask_paper(source: str, ref: dict, purpose: str, subject: str) -> tuple[str, str, dict]:
    if source == Source.BUSINESS:
        found = business.provider.lookup(ref["number"], purpose=purpose, subject=subject)
        if found is None:
            return CheckStatus.NOT_FOUND, "Không tìm thấy doanh nghiệp, hộ kinh doanh với mã số này.", {}
        if found["status"] != "active":
            return CheckStatus.INVALID, f"{found['name']}: {found['status_label'].lower()}.", found
        return CheckStatus.VALID, f"{found['name']}: {found['status_label'].lower()}.", found
    kind = "birth" if source == Source.BIRTH else "marriage"
    answer = civil_status.provider.verify(kind, ref, purpose=purpose, subject=subject)
    if answer["outcome"] == civil_status.VALID:
        rec = answer["record"]
        return CheckStatus.VALID, f"{civil_status.KIND_LABELS[kind]} hợp lệ: {rec['person']}.", rec
    if answer.get("not_found"):
        return CheckStatus.INVALID, "Không tìm thấy bản ghi hộ tịch với số đăng ký này.", {}
    fields = ", ".join(FIELD_LABELS.get(f, f) for f in answer["mismatched"]) or "không rõ"
    return CheckStatus.INVALID, f"Thông tin đăng ký hộ tịch không khớp ({fields}).", {}


@transaction.atomic
def _save_check(acting_user, *, source, status, consent, summary, reference=None, error="",
                required_component_id=None) -> RegistryCheck:
    now = timezone.now()
    check = RegistryCheck.objects.create(
        source=source, status=status, consent=consent, reference=reference or {}, summary=summary[:500],
        requested_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        required_component_id=required_component_id, checked_at=None if status == CheckStatus.PENDING else now,
        attempts=1, next_attempt_at=now + retry_delay(1) if status == CheckStatus.PENDING else None,
        last_error=error[:500])
    record(actor=acting_user, action=f"registries.check.{source}", obj=check, personal_data=True,
           changes={"status": status, "consent": consent.pk if consent else None})
    return check


def retry_delay(attempts: int) -> datetime.timedelta:
    """5, 10, 20 … minutes, at most 6 hours, between tries of a pending check."""
    return min(datetime.timedelta(minutes=5) * (2 ** max(attempts - 1, 0)), datetime.timedelta(hours=6))
