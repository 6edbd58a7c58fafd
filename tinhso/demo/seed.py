"""Demo province: Cần Thơ (code 92; since 1 July 2025 it includes former Hậu
Giang and Sóc Trăng). Identifier codes of agencies follow the mã định danh
style but are SAMPLES, not the province's published codes."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from tinhso.accounts.models import Role, RoleAssignment, User
from tinhso.agencies.models import Agency
from tinhso.audit.actions import record
from tinhso.units.actions import import_units
from tinhso.units.models import AdministrativeUnit

PROVINCE_CODE = "92"
DEMO_PASSWORD = "TinhSo@2026"

# (code, name, short name, kind, parent code)
PROVINCIAL_AGENCIES = [
    ("000.00.00.H13", "Ủy ban nhân dân thành phố Cần Thơ", "UBND TP", "provincial_committee", None),
    ("000.00.01.H13", "Văn phòng Ủy ban nhân dân thành phố", "VP UBND", "office", "000.00.00.H13"),
    ("000.00.02.H13", "Trung tâm Phục vụ hành chính công thành phố Cần Thơ", "TTPVHCC TP", "provincial_service_centre",
     "000.00.00.H13"),
    ("000.00.10.H13", "Sở Tư pháp", "STP", "department", "000.00.00.H13"),
    ("000.01.10.H13", "Phòng Hành chính tư pháp", "P.HCTP", "division", "000.00.10.H13"),
    ("000.00.11.H13", "Sở Xây dựng", "SXD", "department", "000.00.00.H13"),
    ("000.01.11.H13", "Phòng Quản lý xây dựng", "P.QLXD", "division", "000.00.11.H13"),
    ("000.02.11.H13", "Văn phòng Sở Xây dựng", "VP SXD", "office", "000.00.11.H13"),
    ("000.00.12.H13", "Sở Nông nghiệp và Môi trường", "SNNMT", "department", "000.00.00.H13"),
    ("000.01.12.H13", "Phòng Quản lý đất đai", "P.QLĐĐ", "division", "000.00.12.H13"),
    ("000.00.13.H13", "Sở Tài chính", "STC", "department", "000.00.00.H13"),
    ("000.01.13.H13", "Phòng Đăng ký kinh doanh", "P.ĐKKD", "division", "000.00.13.H13"),
    ("000.00.14.H13", "Sở Y tế", "SYT", "department", "000.00.00.H13"),
    ("000.00.15.H13", "Sở Nội vụ", "SNV", "department", "000.00.00.H13"),
    ("000.00.16.H13", "Sở Công Thương", "SCT", "department", "000.00.00.H13"),
    ("000.00.17.H13", "Sở Giáo dục và Đào tạo", "SGDĐT", "department", "000.00.00.H13"),
    ("000.00.18.H13", "Sở Khoa học và Công nghệ", "SKHCN", "department", "000.00.00.H13"),
    ("000.01.18.H13", "Trung tâm Giám sát, điều hành đô thị thông minh", "IOC", "other", "000.00.18.H13"),
]

# Real communes of Cần Thơ after 1 July 2025 (codes from letter 1027/CTK-CSCL).
DEMO_COMMUNES = ["31135", "31120", "31147", "31321", "31507", "31465"]

# (username, full name, job title, [(role, agency code)])
STAFF = [
    ("admin", "Quản trị hệ thống", "Chuyên viên CNTT", [(Role.SYSTEM_ADMIN, "000.00.00.H13")]),
    ("kiemtra", "Mai Thanh Bình", "Chuyên viên kiểm tra an toàn thông tin", [(Role.AUDITOR, "000.00.00.H13")]),
    ("danhmuc", "Nguyễn Thị Thu Trang", "Chuyên viên kiểm soát TTHC", [(Role.CATALOGUE_MANAGER, "000.00.01.H13")]),
    ("motcua.tinh", "Trần Văn Minh", "Cán bộ một cửa", [(Role.CLERK, "000.00.02.H13")]),
    ("chuyenvien.sxd", "Lê Hoàng Nam", "Chuyên viên Phòng Quản lý xây dựng", [(Role.SPECIALIST, "000.00.11.H13")]),
    ("truongphong.sxd", "Phạm Thị Lan", "Trưởng phòng Quản lý xây dựng", [(Role.HEAD_OF_DIVISION, "000.00.11.H13")]),
    ("lanhdao.sxd", "Võ Quốc Dũng", "Phó Giám đốc Sở Xây dựng", [(Role.LEADER, "000.00.11.H13")]),
    ("vanthu.sxd", "Huỳnh Thị Mai", "Văn thư", [(Role.CLERICAL_OFFICE, "000.02.11.H13")]),
    ("chuyenvien.stp", "Đặng Minh Khoa", "Chuyên viên Phòng Hành chính tư pháp", [(Role.SPECIALIST, "000.00.10.H13")]),
    ("lanhdao.stp", "Ngô Thanh Hà", "Phó Giám đốc Sở Tư pháp", [(Role.LEADER, "000.00.10.H13")]),
    ("dieuhanh", "Bùi Văn Tài", "Cán bộ trực trung tâm điều hành", [(Role.OPERATIONS_CENTRE, "000.01.18.H13")]),
    ("chuyenvien.snnmt", "Trịnh Văn Lộc", "Chuyên viên Chi cục Bảo vệ môi trường",
     [(Role.SPECIALIST, "000.00.12.H13")]),
    ("vanthu.ninhkieu", "Trương Thị Kim", "Văn thư UBND phường", [(Role.CLERICAL_OFFICE, "000.31135.H13")]),
    ("motcua.ninhkieu", "Lý Thị Ngọc", "Công chức một cửa", [(Role.CLERK, "001.31135.H13")]),
    ("chuyenvien.ninhkieu", "Châu Văn Phúc", "Công chức tư pháp - hộ tịch", [(Role.SPECIALIST, "000.31135.H13")]),
    ("lanhdao.ninhkieu", "Tạ Minh Tuấn", "Phó Chủ tịch UBND phường", [(Role.LEADER, "000.31135.H13")]),
    ("motcua.vithanh", "Đoàn Thị Hồng", "Công chức một cửa", [(Role.CLERK, "001.31321.H13")]),
    ("chuyenvien.vithanh", "Thạch Văn Sang", "Công chức địa chính - xây dựng", [(Role.SPECIALIST, "000.31321.H13")]),
    ("lanhdao.vithanh", "Lâm Quốc Việt", "Chủ tịch UBND phường",
     [(Role.LEADER, "000.31321.H13"), (Role.HEAD_OF_DIVISION, "000.31321.H13")]),
]


def _units():
    return AdministrativeUnit.objects.filter(valid_to__isnull=True)


@transaction.atomic
def seed_agencies() -> dict[str, Agency]:
    province = _units().get(level="province", code=PROVINCE_CODE)
    agencies = {a.code: a for a in Agency.objects.all()}

    def ensure(code, name, short, kind, parent_code, unit):
        if code in agencies:
            return agencies[code]
        agency = Agency(code=code, name=name, short_name=short, kind=kind, unit=unit,
                        parent=agencies.get(parent_code) if parent_code else None)
        agency.save()
        agencies[code] = agency
        return agency

    for code, name, short, kind, parent in PROVINCIAL_AGENCIES:
        ensure(code, name, short, kind, parent, province)
    for commune in _units().filter(level="commune", code__in=DEMO_COMMUNES).order_by("code"):
        committee = ensure(f"000.{commune.code}.H13", f"Ủy ban nhân dân {commune.name}", f"UBND {commune.name}",
                           "commune_committee", "000.00.00.H13", commune)
        ensure(f"001.{commune.code}.H13", f"Trung tâm Phục vụ hành chính công {commune.name}",
               f"TTPVHCC {commune.name}", "commune_service_centre", committee.code, commune)
    return agencies


@transaction.atomic
def seed_staff(agencies: dict[str, Agency]) -> list[tuple[str, str, str]]:
    printed = []
    for username, full_name, title, roles in STAFF:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, password=DEMO_PASSWORD, full_name=full_name,
                                            job_title=title, email=f"{username}@demo.tinhso.local")
            if username == "admin":
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            record(actor=None, action="accounts.user.created", obj=user, note="demo")
        for role, code in roles:
            RoleAssignment.objects.get_or_create(user=user, agency=agencies[code], role=role)
        printed.append((username, ", ".join(f"{Role(r).label} @ {agencies[c].short_name}" for r, c in roles), title))
    return printed


def seed_demo(stdout=None) -> list[tuple[str, str, str]]:
    if not AdministrativeUnit.objects.filter(valid_to__isnull=True, level="commune").exists():
        import_units(acting_user=None, directory=settings.TINHSO_ADMIN_UNITS_DIR)
    agencies = seed_agencies()
    staff = seed_staff(agencies)
    from tinhso.catalogue.demo import load_demo_catalogue, load_demo_exemptions

    load_demo_catalogue()
    load_demo_exemptions()
    from tinhso.portal.demo import seed_form_fields

    seed_form_fields()
    from tinhso.registries.demo import mark_national_sources

    mark_national_sources()
    from tinhso.dossiers.demo import seed_dossiers

    seed_dossiers()
    from tinhso.postal.demo import seed_shipments

    seed_shipments()
    from tinhso.nationalportal.demo import drain_old

    drain_old()
    from tinhso.fieldreports.demo import load_demo

    load_demo()
    from tinhso.officialdocs.demo import generate

    generate()
    from tinhso.integration.demo import seed_clients

    seed_clients()
    from tinhso.directory.demo import seed_directory

    seed_directory()
    from tinhso.secwatch.demo import seed_events

    seed_events()
    from tinhso.meetings.demo import seed_meetings

    seed_meetings()
    from tinhso.digitalteams.demo import seed_teams

    seed_teams()
    from tinhso.addresses.demo import seed_addresses

    seed_addresses()
    from tinhso.farmproducts.demo import seed_farm_products

    seed_farm_products()
    from tinhso.reports.demo import seed_scorecard

    seed_scorecard()
    from tinhso.citizenapp.demo import seed_warning

    seed_warning()
    from tinhso.serviceindex.demo import seed_service_index

    seed_service_index()
    from tinhso.schedules.demo import seed_schedules

    seed_schedules()
    from tinhso.marketprices.demo import seed_market_prices

    seed_market_prices()
    from tinhso.news.demo import seed_news

    seed_news()
    from tinhso.questions.demo import seed_questions

    seed_questions()
    return staff
