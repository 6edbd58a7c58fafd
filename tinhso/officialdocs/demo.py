"""A year of documents in the demo province's registers (Cần Thơ): outgoing
and incoming documents of the agencies with staff, numbered per register and
calendar year as the decree says, with their exchange statuses, so that the
work lists, registers and search show something real. A few go through the
real flow (drafted, signed with PAdES, issued, delivered as edXML)."""

from __future__ import annotations

import datetime
import random

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import Role, RoleAssignment
from tinhso.agencies.models import Agency
from tinhso.core.text import fold
from tinhso.officialdocs.models import (
    DocStatus, Direction, DocumentEvent, DocumentType, OfficialDocument, Recipient, Register, RegisterCounter,
)

SUBJECTS = [
    "V/v triển khai kế hoạch chuyển đổi số năm {y}", "V/v kiểm tra trật tự xây dựng trên địa bàn",
    "V/v báo cáo kết quả giải quyết thủ tục hành chính quý", "V/v tăng cường phòng, chống lụt bão",
    "V/v góp ý dự thảo quy định quản lý cây xanh đô thị", "V/v cử cán bộ tham dự tập huấn chữ ký số",
    "V/v rà soát danh mục thủ tục hành chính thuộc thẩm quyền", "V/v đôn đốc số hóa hồ sơ, kết quả giải quyết",
    "V/v phối hợp xử lý phản ánh hiện trường kéo dài", "V/v chuẩn bị nội dung họp giao ban trực tuyến",
    "V/v cấp phép xây dựng công trình nhà ở riêng lẻ", "V/v thống kê hiện trạng đường giao thông nông thôn",
]
TYPES = [("Công văn", 60), ("Kế hoạch", 8), ("Thông báo", 10), ("Báo cáo", 12), ("Quyết định (cá biệt)", 6),
         ("Giấy mời", 4)]


def _agencies():
    ids = RoleAssignment.objects.filter(role=Role.LEADER).values_list("agency_id", flat=True)
    return list(Agency.objects.filter(pk__in=ids).exclude(kind__in=("office", "division")).order_by("code"))


@transaction.atomic
def generate(per_agency: int | None = None, seed: int = 30) -> int:
    from tinhso.officialdocs.actions.profiles import profile

    from tinhso.officialdocs.doctypes import ensure

    ensure()  # the seeded types (a flushed test database has lost them)
    per_agency = settings.TINHSO_DEMO_DOCUMENTS if per_agency is None else per_agency
    if per_agency <= 0 or OfficialDocument.objects.exists():
        return 0
    rng = random.Random(seed)
    agencies = _agencies()
    types = {t.name: t for t in DocumentType.objects.all()}
    now = timezone.now()
    made = 0
    issuers = {a.pk: profile(a).abbreviation for a in agencies}
    for agency in agencies:
        issuer = issuers[agency.pk]
        others = [a for a in agencies if a.pk != agency.pk]
        for direction in (Direction.OUTGOING, Direction.INCOMING):
            count = per_agency if direction == Direction.OUTGOING else int(per_agency * 1.6)
            moments = sorted(now - datetime.timedelta(days=rng.uniform(1, 365), hours=rng.uniform(0, 8))
                             for _ in range(count))
            numbers: dict[int, int] = {}
            for moment in moments:
                year = timezone.localtime(moment).year
                register, _ = Register.objects.get_or_create(agency=agency, year=year, direction=direction,
                                                             series="normal")
                numbers[register.pk] = numbers.get(register.pk, 0) + 1
                doc_type = types[rng.choices([t for t, _ in TYPES], [w for _, w in TYPES])[0]]
                summary = rng.choice(SUBJECTS).format(y=year)
                if direction == Direction.OUTGOING:
                    symbol = issuer if doc_type.is_letter else f"{doc_type.abbreviation}-{issuer}"
                    doc = OfficialDocument.objects.create(
                        direction=direction, agency=agency, doc_type=doc_type, summary=summary,
                        status=DocStatus.ISSUED, register=register, number=numbers[register.pk], symbol=symbol,
                        issued_on=timezone.localdate(moment), place="Cần Thơ", signer_name="Lãnh đạo cơ quan",
                        signer_position="Phó Giám đốc" if agency.kind == "department" else "Phó Chủ tịch")
                    for other in rng.sample(others, k=min(len(others), rng.randint(1, 3))):
                        Recipient.objects.create(document=doc, agency=other, organ_id=other.code, name=other.name,
                                                 status_code=rng.choice(["03", "04", "06", "06"]), status_at=moment)
                    action = "issue"
                else:
                    sender = rng.choice(others) if others else agency
                    status = rng.choices([DocStatus.DONE, DocStatus.IN_PROGRESS, DocStatus.ASSIGNED,
                                          DocStatus.REGISTERED], [70, 12, 12, 6])[0]
                    doc = OfficialDocument.objects.create(
                        direction=direction, agency=agency, doc_type=doc_type, summary=summary, status=status,
                        register=register, number=numbers[register.pk], sender_name=sender.name,
                        sender_organ_id=sender.code,
                        sender_reference=f"{rng.randint(1, 900)}/{issuers[sender.pk]}",
                        issued_on=timezone.localdate(moment) - datetime.timedelta(days=rng.randint(0, 3)),
                        received_at=moment)
                    action = "register"
                doc.search_text = fold(" ".join([doc.summary, doc.reference, doc.sender_name, doc_type.name]))
                doc.created_at = moment
                doc.save(update_fields=["search_text", "created_at"])
                DocumentEvent.objects.create(document=doc, at=moment, action=action, from_status="",
                                             to_status=doc.status, actor_name="Văn thư", note="dữ liệu mẫu")
                made += 1
            for register_id, last in numbers.items():
                RegisterCounter.objects.update_or_create(register_id=register_id, defaults={"last": last})
    made += _real_letter()
    return made


def _real_letter() -> int:
    """One letter through the whole real flow: drafted, approved, signed (PAdES), issued and delivered as
    edXML to Phường Ninh Kiều, where it waits for the clerical office to register it."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tinhso.accounts.models import User
    from tinhso.officialdocs import actions

    users = {u.username: u for u in User.objects.filter(username__in=[
        "chuyenvien.sxd", "truongphong.sxd", "lanhdao.sxd", "vanthu.sxd"])}
    sxd, commune = Agency.objects.filter(code="000.00.11.H13").first(), Agency.objects.filter(
        code="000.31135.H13").first()
    if len(users) < 4 or sxd is None or commune is None:
        return 0
    from tinhso.dossiers.demo import _result_pdf

    body = _result_pdf("CÔNG VĂN V/v kiểm tra trật tự xây dựng trên địa bàn phường", "SXD-QLXD")
    doc = actions.create_draft(acting_user=users["chuyenvien.sxd"], agency=sxd,
                               doc_type_id=DocumentType.objects.get(name="Công văn").pk,
                               summary="V/v kiểm tra trật tự xây dựng dọc tuyến đường 30/4",
                               body=SimpleUploadedFile("cong-van.pdf", body.read(), content_type="application/pdf"),
                               recipient_ids=[commune.pk])
    actions.submit_for_review(acting_user=users["chuyenvien.sxd"], pk=doc.pk)
    actions.approve(acting_user=users["truongphong.sxd"], pk=doc.pk)
    actions.sign(acting_user=users["lanhdao.sxd"], pk=doc.pk)
    actions.issue(acting_user=users["vanthu.sxd"], pk=doc.pk)
    return 1
