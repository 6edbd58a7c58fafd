"""Sample dossiers for the demo province, made through the real actions so
that their history, deadlines and audit rows are what real use would give."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.agencies.models import Agency
from tinhso.catalogue.models import ProcedureCase
from tinhso.dossiers import actions
from tinhso.dossiers.models import Dossier
from tinhso.workcalendar.engine import get_calendar

PEOPLE = [
    ("Nguyễn Văn An", "092095001234", "0912345678", "Khu vực 3, phường Ninh Kiều"),
    ("Trần Thị Bích", "093190004321", "0939111222", "Ấp 4, xã Vị Thanh 1"),
    ("Lê Hoàng Phúc", "094088007788", "0907333444", "Số 12 Trần Hưng Đạo, phường Sóc Trăng"),
    ("Phạm Minh Châu", "092199008899", "0988555666", "Số 5 đường 30/4, phường Tân An"),
    ("Huỳnh Văn Dũng", "093085002233", "0911777888", "Khu vực 1, phường Vị Thanh"),
    ("Võ Thị Em", "092192006677", "0966999000", "Số 8 Mậu Thân, phường Cái Khế"),
]


def _user(name):
    return User.objects.get(username=name)


def _at(days_ago: int, hour: int = 8) -> datetime.datetime:
    calendar = get_calendar()
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    while not calendar.is_working_day(day):
        day -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _result_pdf(title: str, number: str) -> SimpleUploadedFile:
    """A one-page result document (a sample: a real result is the signed
    decision or certificate issued by the agency)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from tinhso.dossiers.documents.fonts import register

    font = register()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont(font, 14)
    page.drawCentredString(A4[0] / 2, A4[1] - 120, title.upper())
    page.setFont(font, 11)
    page.drawCentredString(A4[0] / 2, A4[1] - 145, f"Số: {number} (bản mẫu dữ liệu thử nghiệm)")
    page.showPage()
    page.save()
    return SimpleUploadedFile(f"{number.replace('/', '-')}.pdf", buffer.getvalue(), content_type="application/pdf")


def _receive(case_code, clerk, desk_code, person, at, area=None):
    case = ProcedureCase.objects.select_related("procedure").filter(procedure__code=case_code).first()
    desk = Agency.objects.get(code=desk_code)
    components = [actions.ComponentInput(required_component_id=c.pk, originals=c.originals, copies=c.copies)
                  for c in case.components.all()]
    name, id_number, phone, address = person
    return actions.receive_at_counter(
        acting_user=_user(clerk), receiving_agency=desk, case=case, components=components, area=area or desk.unit,
        applicant={"owner_name": name, "owner_id_number": id_number, "owner_phone": phone, "owner_address": address},
        at=at)


def seed_dossiers() -> int:
    """A handful of dossiers in different states; nothing if any exist."""
    if Dossier.objects.exists():
        return 0
    made = 0
    # Birth registration at Ninh Kiều ward: received today, waiting at the specialist.
    d = _receive("1.001193", "motcua.ninhkieu", "001.31135.H13", PEOPLE[0], _at(0, 8))
    actions.forward(acting_user=_user("motcua.ninhkieu"), dossier=d, receiver=_user("chuyenvien.ninhkieu"),
                    at=_at(0, 8) + datetime.timedelta(minutes=20))
    made += 1
    # Marriage registration at Vị Thanh ward: a supplement was requested.
    d = _receive("1.000894", "motcua.vithanh", "001.31321.H13", PEOPLE[4], _at(1, 9))
    d = actions.forward(acting_user=_user("motcua.vithanh"), dossier=d, receiver=_user("chuyenvien.vithanh"),
                        at=_at(1, 9) + datetime.timedelta(minutes=15))
    actions.request_supplement(acting_user=_user("chuyenvien.vithanh"), dossier=d,
                               reason="Bổ sung Giấy xác nhận tình trạng hôn nhân của bên nữ.",
                               at=_at(1, 10))
    made += 1
    # Construction permit at the provincial centre, now with the head of division.
    d = _receive("1.009793", "motcua.tinh", "000.00.02.H13", PEOPLE[2], _at(6, 9))
    d = actions.forward(acting_user=_user("motcua.tinh"), dossier=d, receiver=_user("chuyenvien.sxd"), at=_at(6, 10))
    permit = actions.forward(acting_user=_user("chuyenvien.sxd"), dossier=d, receiver=_user("truongphong.sxd"),
                             at=_at(2, 15))
    made += 1
    # Certified copy at Ninh Kiều: finished and returned on time.
    d = _receive("2.000815", "motcua.ninhkieu", "001.31135.H13", PEOPLE[3], _at(3, 8))
    d = actions.forward(acting_user=_user("motcua.ninhkieu"), dossier=d, receiver=_user("chuyenvien.ninhkieu"),
                        at=_at(3, 8) + datetime.timedelta(minutes=10))
    d = actions.forward(acting_user=_user("chuyenvien.ninhkieu"), dossier=d, receiver=_user("lanhdao.ninhkieu"),
                        at=_at(3, 9))
    d = actions.finish(acting_user=_user("lanhdao.ninhkieu"), dossier=d, result_summary="Bản sao đã chứng thực",
                       result_number="215/SCT-BS", result_files=[_result_pdf("Bản sao chứng thực", "215/SCT-BS")],
                       at=_at(3, 10))
    actions.return_result(acting_user=_user("motcua.ninhkieu"), dossier=d, method="counter",
                          returned_to=PEOPLE[3][0], at=_at(3, 14))
    made += 1
    # The permit's head of division proposes an apology letter (form 04): it waits for the leader's approval.
    if permit.due_at is not None:
        actions.propose_apology(acting_user=_user("truongphong.sxd"), dossier=permit,
                                new_due_at=permit.due_at + datetime.timedelta(days=7),
                                reason="Cần lấy ý kiến cơ quan quản lý đô thị về chỉ giới xây dựng.", at=_at(2, 16))
    # An online birth registration at Vị Thanh, submitted by the e-ID sandbox's first citizen (who signs in to the
    # portal and the citizen app and sees it waiting for him): the desk's completeness check asked for a clearer
    # copy before receiving it (the agency's appraisal keeps its own request).
    case = ProcedureCase.objects.filter(procedure__code="1.001193").first()
    if case is not None:
        from tinhso.identity.demo import sandbox_accounts, sandbox_people

        citizen = sandbox_accounts()[0]
        person = next(p for p in sandbox_people() if p["id_number"] == citizen.id_number)
        name, id_number, phone, address = person["full_name"], citizen.id_number, person["phone"], person["address"]
        online = actions.submit_online(
            acting_user=citizen, receiving_agency=Agency.objects.get(code="001.31321.H13"), case=case,
            area=Agency.objects.get(code="001.31321.H13").unit,
            applicant={"owner_name": name, "owner_id_number": id_number, "owner_phone": phone, "owner_address": address},
            components=[actions.ComponentInput(required_component_id=c.pk, files=[_result_pdf(c.name[:60], "TK")])
                        for c in case.components.all() if c.required], at=_at(1, 20))
        actions.request_supplement(acting_user=_user("motcua.vithanh"), dossier=online,
                                   reason="Bản chụp Giấy chứng sinh bị mờ, không đọc được số; đề nghị tải lại bản rõ.",
                                   at=_at(0, 8))
        made += 1
    # Marital-status certificate at Vị Thanh, received two weeks ago and never moved: overdue.
    d = _receive("1.004873", "motcua.vithanh", "001.31321.H13", PEOPLE[1], _at(14, 8))
    actions.forward(acting_user=_user("motcua.vithanh"), dossier=d, receiver=_user("chuyenvien.vithanh"),
                    at=_at(14, 9))
    made += 1
    return made
