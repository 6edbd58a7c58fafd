"""A commune with its one-stop centre, staff for every step, and a procedure
whose internal process runs clerk -> specialist -> head -> leader -> clerk."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.catalogue.actions import import_catalogue
from tinhso.catalogue.models import ProcedureCase
from tinhso.testing import make_agency, make_staff, make_unit
from tinhso.dossiers import actions
from tinhso.dossiers.actions import ComponentInput
from tinhso.signatures.tests.conftest import make_pdf

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = make_pdf("GIAY TO THU NGHIEM")  # a real one-page PDF (results get signed)


def vn(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=VN)


def pdf(name="giay-to.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


STEPS = [
    {"order": 1, "name": "Tiếp nhận hồ sơ", "role": "clerk", "agency": None, "agency_kind": "commune_service_centre",
     "allowance": 4, "allowance_unit": "working_hours"},
    {"order": 2, "name": "Thẩm định hồ sơ", "role": "specialist", "agency": None, "agency_kind": "commune_committee",
     "allowance": 8, "allowance_unit": "working_hours"},
    {"order": 3, "name": "Xem xét, trình ký", "role": "head_of_division", "agency": None,
     "agency_kind": "commune_committee", "allowance": 4, "allowance_unit": "working_hours"},
    {"order": 4, "name": "Ký duyệt kết quả", "role": "leader", "agency": None, "agency_kind": "commune_committee",
     "allowance": 4, "allowance_unit": "working_hours"},
    {"order": 5, "name": "Trả kết quả", "role": "clerk", "agency": None, "agency_kind": "commune_service_centre",
     "allowance": 4, "allowance_unit": "working_hours"},
]
MOVES = [{"from": 1, "to": 2, "kind": "forward"}, {"from": 2, "to": 3, "kind": "forward"},
         {"from": 3, "to": 4, "kind": "forward"}, {"from": 4, "to": 5, "kind": "forward"},
         {"from": 2, "to": 1, "kind": "back"}, {"from": 3, "to": 2, "kind": "back"}, {"from": 4, "to": 3, "kind": "back"}]


def catalogue_data():
    return {
        "format": "tinhso-catalogue", "version": 1, "notes": "test",
        "fields": [{"code": "HT", "name": "Hộ tịch"}],
        "procedures": [{
            "code": "1.000894", "name": "Thủ tục đăng ký kết hôn", "field": "HT", "levels": ["commune"],
            "online_level": "partial", "legacy_level": 3, "result_name": "Giấy chứng nhận kết hôn",
            "legal_basis": "Luật Hộ tịch 2014", "decision": "", "inter_agency": False, "fee_status": "charged",
            "is_active": True, "note": "", "sample_fields": [],
            "agencies": [{"agency": None, "agency_kind": "commune_committee", "role": "competent", "level": "commune",
                          "valid_from": None, "valid_to": None}],
            "cases": [{
                "code": "1", "name": "Đăng ký kết hôn", "processing_time": 3, "time_unit": "working_days",
                "online_processing_time": None, "digital_signature_required": False, "online_payment_required": False,
                "not_online": False, "authorised_filing": False, "no_appointment": False,
                "fee_payment_moment": "before_reception", "valid_from": None, "valid_to": None,
                "components": [
                    {"order": 1, "name": "Tờ khai đăng ký kết hôn", "paper_code": "", "originals": 1, "copies": 0,
                     "required": True, "template_url": "", "from_data_store": False, "from_national_db": False},
                    {"order": 2, "name": "Giấy xác nhận tình trạng hôn nhân", "paper_code": "", "originals": 1,
                     "copies": 0, "required": False, "template_url": "", "from_data_store": True,
                     "from_national_db": False}],
                "fees": [{"kind": "charge", "name": "Lệ phí đăng ký kết hôn", "amount": 0, "note": "Miễn",
                          "valid_from": None, "valid_to": None}],
                "steps": STEPS, "moves": MOVES,
            }],
        }],
    }


class World:
    pass


@pytest.fixture
def world(db, settings):
    settings.TINHSO_REQUIRE_2FA = False
    w = World()
    province = make_unit("92", "Thành phố Cần Thơ", level="province")
    w.commune = make_unit("31321", "Phường Vị Thanh", level="commune", parent=province)
    other_commune = make_unit("31135", "Phường Ninh Kiều", level="commune", parent=province)
    w.committee = make_agency("000.31321.H13", "UBND Phường Vị Thanh", unit=w.commune, kind="commune_committee")
    w.centre = make_agency("001.31321.H13", "Trung tâm PVHCC Phường Vị Thanh", unit=w.commune, parent=w.committee,
                           kind="commune_service_centre")
    w.other_committee = make_agency("000.31135.H13", "UBND Phường Ninh Kiều", unit=other_commune,
                                    kind="commune_committee")
    w.other_centre = make_agency("001.31135.H13", "Trung tâm PVHCC Phường Ninh Kiều", unit=other_commune,
                                 parent=w.other_committee, kind="commune_service_centre")
    import_catalogue(catalogue_data(), acting_user=None, system=True)
    w.case = ProcedureCase.objects.select_related("procedure").get(procedure__code="1.000894", code="1")
    w.clerk = make_staff("motcua", roles=[("clerk", w.centre)], full_name="Đoàn Thị Hồng")
    w.specialist = make_staff("chuyenvien", roles=[("specialist", w.committee)], full_name="Thạch Văn Sang")
    w.specialist2 = make_staff("chuyenvien2", roles=[("specialist", w.committee)], full_name="Lê Văn Hai")
    w.head = make_staff("truongphong", roles=[("head_of_division", w.committee)], full_name="Phạm Thị Lan")
    w.leader = make_staff("lanhdao", roles=[("leader", w.committee)], full_name="Lâm Quốc Việt")
    w.admin = make_staff("quantri", roles=[("system_admin", w.committee)], full_name="Quản trị")
    w.outsider = make_staff("motcua.nk", roles=[("clerk", w.other_centre), ("specialist", w.other_committee)],
                            full_name="Lý Thị Ngọc")
    return w


APPLICANT = {"owner_name": "Nguyễn Văn An", "owner_id_number": "092095001234", "owner_phone": "0912345678",
             "owner_address": "Khu vực 3, phường Vị Thanh", "subject": "Đăng ký kết hôn"}


def receive(w, at=None, key=None, **extra):
    components = [ComponentInput(required_component_id=w.case.components.get(order=1).pk, originals=1)]
    return actions.receive_at_counter(acting_user=w.clerk, receiving_agency=w.centre, case=w.case,
                                      applicant=dict(APPLICANT), components=components, area=w.commune,
                                      at=at or vn(2026, 3, 2, 8, 0), idempotency_key=key, **extra)
