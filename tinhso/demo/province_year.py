"""A generated province-year (năm dữ liệu mô phỏng) for the demo province.

`generate(N)` fills the database with what a province's one-stop-shop system
holds after a year of use: a one-stop-shop agency (Trung tâm Phục vụ hành
chính công xã) and a People's Committee for every commune of the province,
generated staff with roles in them and in the provincial departments, and N
dossiers over the year across the catalogue's procedure cases, with their
history (DossierEvent per transition), supplement and payment pauses,
payments (PaymentRequest + PaymentLine) and satisfaction evaluations.
See docs/data-generator.md for the distributions.

`ensure(N)` does nothing when the database already holds exactly that
generation (same N, seed, year and generator version); otherwise it removes
the previous generation and generates. Only one generation exists at a time;
its `ProvinceYearGeneration` row holds the block of dossier ids it owns, so
removal touches generated rows only — never the demo dossiers or real data.
Agencies and generated staff (usernames starting with `gen.`, unusable
passwords) are structure: they are kept and reused.

The generator is a bulk loader, not user activity: it writes ONE audit row
(`core.province_year.generate`, and `core.province_year.remove` when it
removes a generation) instead of one per dossier, and sends no notifications.
Dossier codes follow the real format (tinhso.dossiers.codes) and numbering
continues any DossierCounter already there; the counters are left at the
highest number used, so later real receptions never collide.

Speed: columns are drawn with numpy (deadlines with the batch
`WorkCalendar.add_many`) and loaded with COPY FROM STDIN on PostgreSQL,
chunk by chunk, in one transaction (the dossier, payment, evaluation and
counter tables are locked meanwhile: run it on a database that is not in
use), then ANALYZE. On SQLite (tests, small N) rows go in with executemany.
numpy is needed (a test/benchmark dependency)."""

from __future__ import annotations

import datetime
import time
import zlib
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

GENERATOR_VERSION = 1
STAFF_PREFIX = "gen."
CHUNK = 50_000
US = 1_000_000
HOUR = 3600 * US
VN_OFFSET = 7 * HOUR  # Vietnam time is UTC+7 all year
NULL = -1  # NULL in integer columns
NAT = -(2**63)  # NULL in time columns (int64 microseconds of Vietnam wall-clock time)
NEVER = 2**62
KEEP = object()  # Group.emit: leave this part of the state as it is

# Status codes (tinhso.dossiers.models.Status).
SUBMITTED, RECEIVED, REFUSED, PROCESSING, SUPPLEMENT, PAYMENT, WITHDRAWN, STOPPED, FINISHED, RETURNED = range(1, 11)
OPEN = {SUBMITTED, RECEIVED, PROCESSING, SUPPLEMENT, PAYMENT}
COUNTER, ONLINE, POST = 1, 2, 3
ROLES = ["", "clerk", "specialist", "head_of_division", "leader", "clerical_office", "operations_centre",
         "catalogue_manager", "system_admin"]
FINISH_ROLES = ("leader", "clerical_office")

# ---- distributions ------------------------------------------------------------------------------

# Relative popularity of procedures (national code -> weight; others 1). Certified copies, civil
# status, residence and land dominate a province's one-stop-shop traffic.
POPULARITY = {
    "2.000815": 30, "2.000884": 9, "2.001035": 3, "1.001193": 9, "1.012986": 4, "1.004222": 7, "1.004194": 5,
    "1.004873": 6, "2.000635": 5, "1.000656": 3, "1.012987": 1.5, "1.000894": 3, "1.004859": 1.5,
    "1.004884": 1, "1.001022": 0.5, "1.012794": 7, "1.012800": 4, "1.012753": 3, "2.000720": 2.5,
    "2.000719": 1.5, "2.000542": 0.8, "2.000575": 0.8, "1.009794": 2.5, "1.009795": 1, "1.009797": 0.6,
    "1.009793": 0.5, "2.001610": 1.2, "1.005389": 0.6, "1.005092": 0.8, "1.001731": 0.8, "1.001776": 0.8,
    "1.010813": 0.4, "1.000105": 0.3, "1.009465": 0.2, "1.002425": 0.4, "1.004571": 0.3, "2.000150": 0.3,
    "2.000633": 0.3,
}
MONTH_FACTOR = [1.05, 0.72, 1.10, 1.0, 1.0, 1.0, 0.95, 1.0, 1.03, 1.05, 1.06, 1.15]
WEEKDAY_FACTOR = [1.18, 1.06, 1.0, 0.96, 0.90, 0.55, 0.35]  # Monday..Sunday (Saturday: make-up days)
ONLINE_HOURS = [0.2, 0.1, 0.05, 0.05, 0.1, 0.4, 1.2, 3.0, 5.5, 6.5, 6.2, 4.5, 2.2, 2.4, 4.8, 5.6, 5.0, 3.4,
                2.0, 2.6, 3.2, 2.8, 1.6, 0.7]
P_ONLINE = {"full": 0.66, "partial": 0.45, "none": 0.0}
P_POST = 0.035
P_LATE, P_STUCK = 0.032, 0.008
P_REFUSE_ONLINE, P_WITHDRAW, P_STOP = 0.015, 0.006, 0.0025
P_APOLOGY = 0.45  # of the dossiers that will be late: the agency issues an apology letter (form 04) in time
P_REFUSE_MERITS = 0.012  # of the finished ones: refused on the merits with a signed letter
APOLOGY_LEAD_HOURS = (8.0, 20.0)  # working hours before the appointment (the rule asks at least 8)
MERITS_REASONS = ["Không đủ điều kiện theo quy định của pháp luật chuyên ngành.",
                  "Kết quả thẩm định, xác minh thực tế không đáp ứng yêu cầu."]
P_SUPPLEMENT = {"DD": 0.14, "XD": 0.14, "YT": 0.12, "KCB": 0.12, "DN": 0.08, "HKD": 0.06}
P_SUPPLEMENT_DEFAULT = 0.04
P_SUPPLEMENT_REFUSED = 0.12
P_NEVER_COLLECTED = 0.015
P_CROSS_BOUNDARY = 0.03
P_EVALUATE = {ONLINE: 0.22, COUNTER: 0.08, POST: 0.05}

FAMILY = [("Nguyễn", 31), ("Trần", 11), ("Lê", 10), ("Phạm", 6), ("Huỳnh", 6), ("Võ", 5), ("Phan", 4),
          ("Trương", 2.5), ("Lâm", 2), ("Đặng", 2), ("Bùi", 1.5), ("Đỗ", 1.5), ("Hồ", 1.5), ("Ngô", 1.5),
          ("Dương", 1.2), ("Lý", 1.2), ("Châu", 1), ("Thạch", 1.5), ("Sơn", 1), ("Danh", 1), ("Kim", 0.8),
          ("Tô", 0.8), ("Đoàn", 0.8), ("Mai", 0.6), ("Cao", 0.6), ("Quách", 0.5), ("Tạ", 0.4), ("Lưu", 0.6),
          ("Diệp", 0.4), ("Hà", 0.5)]
MIDDLE = (["Văn", "Minh", "Hoàng", "Quốc", "Thanh", "Hữu", "Đức", "Công", "Tấn", "Ngọc", "Trọng", "Thành"],
          ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Hồng", "Thùy", "Diễm", "Phương", "Như"])
GIVEN = (["An", "Bình", "Cường", "Dũng", "Duy", "Hải", "Hiếu", "Hùng", "Huy", "Khang", "Khoa", "Kiệt", "Lâm",
          "Long", "Lợi", "Minh", "Nam", "Nghĩa", "Nhân", "Phát", "Phong", "Phúc", "Quang", "Sang", "Sơn", "Tài",
          "Tâm", "Thắng", "Thành", "Thiện", "Toàn", "Trí", "Trung", "Tuấn", "Vinh", "Việt", "Vũ"],
         ["Anh", "Bích", "Châu", "Chi", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền",
          "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Nhi", "Oanh", "Phương",
          "Quyên", "Thảo", "Thủy", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến"])
STREETS = ["Trần Hưng Đạo", "Nguyễn Trãi", "30 Tháng 4", "Mậu Thân", "Hùng Vương", "Lý Tự Trọng", "Nguyễn Văn Cừ",
           "Cách Mạng Tháng 8", "Trần Phú", "Lê Lợi", "Hai Bà Trưng", "Nguyễn Việt Hồng", "3 Tháng 2",
           "Võ Văn Kiệt", "Phạm Ngũ Lão", "Châu Văn Liêm", "Nguyễn Văn Linh", "Lê Hồng Phong"]
PHONE_PREFIX = ["032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081",
                "082", "083", "084", "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098"]
# Province part of the personal identification number (place of birth registration).
ID_PROVINCES = [(92, 40), (93, 18), (94, 24), (86, 3), (87, 3), (89, 3), (91, 3), (95, 2), (96, 2), (79, 2)]

SUPPLEMENT_REASONS = [
    "Bổ sung bản sao Giấy chứng nhận quyền sử dụng đất có chứng thực.",
    "Tờ khai chưa ghi đầy đủ thông tin, đề nghị kê khai lại theo mẫu.",
    "Bổ sung văn bản ủy quyền có chứng thực của người nộp thay.",
    "Bổ sung bản vẽ thiết kế có chữ ký của chủ đầu tư.",
    "Giấy tờ tùy thân đã hết hạn, đề nghị bổ sung bản còn hiệu lực.",
    "Bổ sung giấy xác nhận tình trạng hôn nhân.",
]
REFUSE_REASONS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.",
    "Thành phần hồ sơ không đúng theo quy định, tệp đính kèm không đọc được.",
    "Thông tin trên tờ khai không khớp với Cơ sở dữ liệu quốc gia về dân cư.",
    "Hồ sơ trùng với hồ sơ đã nộp trước đó.",
]
WITHDRAW_REASONS = ["Công dân đề nghị rút hồ sơ để điều chỉnh thông tin.", "Công dân không còn nhu cầu giải quyết.",
                    "Công dân nộp lại hồ sơ theo trường hợp khác."]
STOP_REASONS = ["Có tranh chấp, khiếu nại liên quan đến nội dung hồ sơ.",
                "Cơ quan có thẩm quyền đề nghị dừng để xác minh.",
                "Người yêu cầu không thực hiện nghĩa vụ tài chính theo quy định."]
SUPPLEMENT_REFUSED_REASON = "Quá thời hạn bổ sung hồ sơ theo phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."
EVALUATION_COMMENTS = {
    "very_satisfied": ["Cán bộ hướng dẫn tận tình, trả kết quả sớm.", "Rất hài lòng, thủ tục nhanh gọn.",
                       "Nộp trực tuyến tiện lợi, không phải đi lại."],
    "satisfied": ["Hài lòng.", "Thủ tục rõ ràng, thời gian hợp lý.", "Cần thêm chỗ ngồi chờ tại bộ phận một cửa."],
    "not_satisfied": ["Trả kết quả trễ hẹn.", "Phải đi lại nhiều lần để bổ sung giấy tờ.",
                      "Hệ thống trực tuyến hay bị lỗi khi tải tệp."],
}


def _np():
    try:
        import numpy
    except ImportError:  # pragma: no cover - numpy is in requirements/test.txt
        from tinhso.core.errors import InvalidInput

        raise InvalidInput("Bộ sinh dữ liệu cần thư viện numpy (pip install -r requirements/test.txt).",
                           code="numpy_missing") from None
    return numpy


def _clean(text) -> str:
    """Text safe for COPY's text format (no tab, newline or backslash)."""
    return " ".join(str(text or "").replace("\\", "/").split())


# ---- structure: agencies, staff, catalogue -------------------------------------------------------

@dataclass
class Step:
    id: int
    name: str
    role: str
    agency_id: int | None
    agency_kind: str
    hours: float  # allowance in working hours (to share the processing time)
    amount: float  # allowance as declared, for the step deadline
    unit: str


@dataclass
class Case:
    id: int
    procedure_id: int
    procedure_code: str
    name: str
    result_name: str
    field_code: str
    online_level: str
    commune_level: bool
    weight: float
    time: float
    online_time: float | None
    unit: str
    no_appointment: bool
    not_online: bool
    authorised_filing: bool
    online_payment_required: bool
    moment: str
    steps: list
    finish: int
    ret: int | None
    fees: list  # (fee id, kind, name, amount)
    receiving: int | None = None  # agency index (province-level cases)
    competent: int | None = None
    fee_total: int = 0


@dataclass
class World:
    np: object
    cal: object
    agency_ids: object  # numpy int64, index -> agency id
    agency_code: list
    agency_name: list
    agency_kind: list
    agency_short: list
    index: dict  # agency id -> index
    communes: list  # (unit id, unit name, committee index, centre index, weight)
    cases: list
    staff_ids: object  # numpy: staff position -> user id
    staff_names: object  # numpy object: staff position -> full name ('' at -1)
    pools: dict  # (agency index, role) -> numpy array of staff positions
    criteria: list  # (criterion id, code)
    agencies: list = field(default_factory=list)  # Agency objects by index
    pool_tables: dict = field(default_factory=dict)  # role -> (offset, count, flat) over agency indexes
    agencies_created: int = 0
    staff_created: int = 0
    route_cache: dict = field(default_factory=dict)


def _province_unit():
    from tinhso.agencies.models import Agency
    from tinhso.demo.seed import PROVINCE_CODE
    from tinhso.core.errors import InvalidInput
    from tinhso.units.models import AdministrativeUnit

    province = AdministrativeUnit.objects.filter(level="province", code=PROVINCE_CODE, valid_to__isnull=True).first()
    top = Agency.objects.filter(code="000.00.00.H13").first()
    if province is None or top is None:
        raise InvalidInput("Chưa có dữ liệu mẫu của tỉnh: chạy `manage.py seed_demo` trước khi sinh dữ liệu.",
                           code="demo_missing")
    return province, top


def _ensure_agencies(province, top) -> int:
    """A People's Committee and a service centre (one-stop shop) for every
    current commune of the province, named as the demo (tinhso.demo.seed) names them."""
    from tinhso.agencies.models import Agency
    from tinhso.units.models import AdministrativeUnit

    existing = set(Agency.objects.values_list("code", flat=True))
    created = 0
    for commune in AdministrativeUnit.objects.filter(parent=province, level="commune",
                                                     valid_to__isnull=True).order_by("code"):
        committee_code, centre_code = f"000.{commune.code}.H13", f"001.{commune.code}.H13"
        if committee_code not in existing:
            Agency(code=committee_code, name=f"Ủy ban nhân dân {commune.name}", short_name=f"UBND {commune.name}",
                   kind="commune_committee", unit=commune, parent=top).save()
            created += 1
        if centre_code not in existing:
            Agency(code=centre_code, name=f"Trung tâm Phục vụ hành chính công {commune.name}",
                   short_name=f"TTPVHCC {commune.name}", kind="commune_service_centre", unit=commune,
                   parent=Agency.objects.get(code=committee_code)).save()
            created += 1
    return created


def _person_name(rng, female: bool | None = None) -> str:
    np = _np()
    fam = [f for f, _ in FAMILY]
    p = np.array([w for _, w in FAMILY], dtype=float)
    female = bool(rng.random() < 0.5) if female is None else female
    return " ".join([fam[rng.choice(len(fam), p=p / p.sum())], MIDDLE[female][rng.integers(len(MIDDLE[female]))],
                     GIVEN[female][rng.integers(len(GIVEN[female]))]])


def _staff_target(kind: str, role: str) -> int:
    commune = kind.startswith("commune")
    return {"clerk": 3 if commune else 10, "specialist": 3 if commune else 6,
            "head_of_division": 1 if commune else 2, "leader": 2, "clerical_office": 1 if commune else 2}.get(role, 1)


def _job_title(kind: str, role: str, short: str) -> str:
    commune = kind.startswith("commune")
    return {"clerk": "Công chức bộ phận một cửa" if commune else "Chuyên viên tiếp nhận và trả kết quả",
            "specialist": "Công chức chuyên môn" if commune else "Chuyên viên",
            "head_of_division": "Trưởng phòng",
            "leader": f"Phó Chủ tịch {short}" if commune else f"Phó Giám đốc {short}",
            "clerical_office": "Văn thư"}.get(role, "Công chức")


def _load_cases(day, np) -> list[Case]:
    from tinhso.catalogue.models import ImplementingAgency, ProcedureCase

    cases = []
    qs = (ProcedureCase.objects.effective(day).filter(procedure__is_active=True)
          .select_related("procedure", "procedure__field").prefetch_related("steps", "fees")
          .order_by("procedure__code", "position", "id"))
    rules = {}
    for rule in ImplementingAgency.objects.effective(day).filter(agency__isnull=False).order_by("position", "id"):
        rules.setdefault((rule.procedure_id, rule.role, rule.level), rule.agency_id)
    for c in qs:
        steps = sorted(c.steps.all(), key=lambda s: s.order)
        finish = max((i for i, s in enumerate(steps) if s.role in FINISH_ROLES), default=None)
        if finish is None:
            continue  # the real `finish` action could never close such a case
        ret = len(steps) - 1 if steps[-1].role == "clerk" and len(steps) - 1 > finish else None
        per_unit = {"working_days": 8.0, "working_hours": 1.0, "days": 8.0}
        st = [Step(s.id, _clean(s.name), s.role, s.agency_id, s.agency_kind,
                   max(float(s.allowance) * per_unit.get(s.allowance_unit, 1.0), 0.05), float(s.allowance),
                   s.allowance_unit) for s in steps]
        p = c.procedure
        commune_level = any(s.agency_kind.startswith("commune") for s in steps) or p.levels == ["commune"]
        fees = [(f.id, f.kind, _clean(f.name), int(f.amount)) for f in sorted(c.fees.all(), key=lambda f: f.position)
                if f.is_effective(day) and f.amount > 0]
        case = Case(
            id=c.id, procedure_id=p.id, procedure_code=p.code, name=_clean(c.name), result_name=_clean(p.result_name),
            field_code=p.field.code, online_level="none" if c.not_online else p.online_level,
            commune_level=commune_level, weight=POPULARITY.get(p.code, 1.0), time=float(c.processing_time),
            online_time=float(c.online_processing_time) if c.online_processing_time is not None else None,
            unit=c.time_unit, no_appointment=c.no_appointment, not_online=c.not_online,
            authorised_filing=c.authorised_filing, online_payment_required=c.online_payment_required,
            moment=c.fee_payment_moment, steps=st, finish=finish, ret=ret, fees=fees,
            fee_total=sum(f[3] for f in fees))
        if not commune_level:
            level = "province"
            case.competent = rules.get((p.id, "competent", level)) or next(
                (s.agency_id for s in st if s.role != "clerk" and s.agency_id), None)
            case.receiving = rules.get((p.id, "receiving", level)) or next(
                (s.agency_id for s in st if s.role == "clerk" and s.agency_id), None) or case.competent
            if case.competent is None or case.receiving is None:
                continue
        cases.append(case)
    # several cases of one procedure share its popularity, the first one most
    by_proc = {}
    for case in cases:
        by_proc.setdefault(case.procedure_id, []).append(case)
    for group in by_proc.values():
        shares = np.array([0.7 ** i for i in range(len(group))])
        for case, share in zip(group, shares / shares.sum()):
            case.weight *= float(share)
    return cases


def _build_world(seed: int, day: datetime.date) -> World:
    np = _np()
    from django.contrib.auth.hashers import make_password

    from tinhso.accounts.models import RoleAssignment, User
    from tinhso.agencies.models import Agency
    from tinhso.core.errors import InvalidInput
    from tinhso.evaluations.models import Criterion
    from tinhso.workcalendar.engine import get_calendar

    province, top = _province_unit()
    agencies_created = _ensure_agencies(province, top)
    agencies = list(Agency.objects.filter(is_active=True).select_related("unit").order_by("id"))
    index = {a.id: i for i, a in enumerate(agencies)}
    by_code = {a.code: a for a in agencies}
    rng = np.random.default_rng(zlib.crc32(f"communes:{seed}".encode()))
    communes = []
    for a in agencies:
        if a.kind == "commune_committee" and a.unit.parent_id == province.id and a.code.startswith("000."):
            centre = by_code.get("001." + a.code[4:])
            if centre is None:
                continue
            weight = float(rng.lognormal(0.0, 0.55)) * (1.6 if a.unit.name.startswith("Phường") else 1.0)
            communes.append((a.unit_id, a.unit.name, index[a.id], index[centre.id], weight))
    if not communes:
        raise InvalidInput("Tỉnh mẫu chưa có đơn vị hành chính cấp xã.", code="no_communes")
    cases = _load_cases(day, np)
    cases = [c for c in cases if c.commune_level or (c.competent in index and c.receiving in index)]
    if not cases:
        raise InvalidInput("Danh mục chưa có trường hợp thủ tục nào có quy trình nội bộ.", code="no_cases")
    for c in cases:
        if not c.commune_level:
            c.competent, c.receiving = index[c.competent], index[c.receiving]

    # (agency, role) pairs that dossiers will need
    needed = set()
    route_cache = {}
    for c in cases:
        for s in c.steps:
            if s.agency_id:
                if s.agency_id in index:
                    needed.add((index[s.agency_id], s.role))
                continue
            if c.commune_level:
                for _, _, committee, centre, _ in communes:
                    needed.add((_route_index(agencies, index, s, centre, committee, route_cache), s.role))
            else:
                needed.add((_route_index(agencies, index, s, c.receiving, c.competent, route_cache), s.role))
        if c.commune_level:
            for _, _, committee, centre, _ in communes:
                needed.add((centre, "clerk"))
                needed.add((committee, "leader"))
        else:
            needed.update({(c.receiving, "clerk"), (c.competent, "leader")})
    wanted = {}
    for ai, role in sorted(needed):
        a = agencies[ai]
        for i in range(1, _staff_target(a.kind, role) + 1):
            wanted[f"{STAFF_PREFIX}{a.code.lower()}.{role}.{i}"] = (ai, role)
    existing = set(User.objects.filter(username__startswith=STAFF_PREFIX).values_list("username", flat=True))
    new_users = []
    for username, (ai, role) in wanted.items():
        if username in existing:
            continue
        a = agencies[ai]
        urng = np.random.default_rng(zlib.crc32(username.encode()))
        new_users.append(User(username=username, full_name=_person_name(urng),
                              job_title=_job_title(a.kind, role, a.short_name or a.name),
                              email=f"{username}@sinh.tinhso.local", password=make_password(None)))
    User.objects.bulk_create(new_users, batch_size=500)
    users = dict(User.objects.filter(username__in=list(wanted)).values_list("username", "id"))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user_id=users[u], agency_id=agencies[ai].id, role=role) for u, (ai, role) in wanted.items()],
        ignore_conflicts=True, batch_size=1000)
    from tinhso.catalogue.models import ReferenceRevision

    ReferenceRevision.bump()  # bulk_create sends no signal: role holders cached by the app processes
    holders = (RoleAssignment.objects.active(day)
               .filter(agency_id__in=[agencies[ai].id for ai, _ in needed], role__in={r for _, r in needed})
               .values_list("agency_id", "role", "user_id", "user__full_name", "user__username")
               .order_by("agency_id", "role", "user__username"))
    staff_pos, staff_ids, staff_names, pools = {}, [], [], {}
    for agency_id, role, user_id, name, username in holders:
        key = (index[agency_id], role)
        if key not in needed:
            continue
        if user_id not in staff_pos:
            staff_pos[user_id] = len(staff_ids)
            staff_ids.append(user_id)
            staff_names.append(_clean(name or username))
        pools.setdefault(key, []).append(staff_pos[user_id])
    criteria = list(Criterion.objects.effective(day).order_by("order", "code").values_list("id", "code"))
    pool_tables = {}
    for role in {r for _, r in pools}:
        offset = np.zeros(len(agencies), dtype=np.int64)
        count = np.zeros(len(agencies), dtype=np.int64)
        flat = []
        for (ai, r), members in sorted(pools.items()):
            if r == role:
                offset[ai], count[ai] = len(flat), len(members)
                flat.extend(members)
        pool_tables[role] = (offset, count, np.array(flat + [NULL], dtype=np.int64))
    return World(
        np=np, cal=get_calendar(), agency_ids=np.array([a.id for a in agencies], dtype=np.int64),
        agency_code=[a.code for a in agencies], agency_name=[_clean(a.name) for a in agencies],
        agency_kind=[a.kind for a in agencies], agency_short=[_clean(a.short_name or a.name) for a in agencies],
        index=index, communes=communes, cases=cases, staff_ids=np.array(staff_ids + [NULL], dtype=np.int64),
        staff_names=np.array(staff_names + [""], dtype=object),
        pools={k: np.array(v, dtype=np.int64) for k, v in pools.items()}, criteria=criteria,
        agencies_created=agencies_created, staff_created=len(new_users), agencies=agencies,
        pool_tables=pool_tables, route_cache=route_cache)


class _StepStub:
    """What tinhso.dossiers.routing.step_agency reads of a step."""

    def __init__(self, step: Step, agencies, index):
        self.agency_id = step.agency_id
        self.agency = agencies[index[step.agency_id]] if step.agency_id in index else None
        self.agency_kind = step.agency_kind
        self.role = step.role


def _route_index(agencies, index, step: Step, receiving: int, competent: int, cache: dict) -> int:
    """Index of the agency doing `step` for a dossier received at agency
    index `receiving` and resolved by `competent` (the real routing rule)."""
    key = (step.id, receiving, competent)
    found = cache.get(key)
    if found is None:
        from tinhso.dossiers.routing import step_agency

        found = cache[key] = index[step_agency(_StepStub(step, agencies, index), receiving=agencies[receiving],
                                               competent=agencies[competent]).id]
    return found


# ---- writing rows ------------------------------------------------------------------------------

class Loader:
    """Writes column blocks: COPY FROM STDIN on PostgreSQL, executemany elsewhere.

    A column is (name, kind, value) with kind i (int64, NULL = -1), t (int64
    microseconds of Vietnam wall-clock time, NULL = NAT), d (int64 days since
    1970-01-01, NULL = NAT), b (bool), s (str, None = NULL) or j (JSON text);
    a scalar value is repeated."""

    def __init__(self, np):
        self.np = np
        self.pg = connection.vendor == "postgresql"
        self.rows = {}
        self.seconds = {}

    def write(self, table: str, columns: list, n: int, count: bool = True) -> None:
        if n == 0:
            return
        if count:
            self.rows[table] = self.rows.get(table, 0) + n
        t0 = time.perf_counter()
        self._write(table, columns, n)
        self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - t0

    def _write(self, table: str, columns: list, n: int) -> None:
        qn = connection.ops.quote_name
        names = ", ".join(qn(c[0]) for c in columns)
        if self.pg:
            cols = [self._pg(kind, value, n) for _, kind, value in columns]
            data = "\n".join(map("\t".join, zip(*cols))) + "\n"
            with connection.cursor() as cursor:
                with cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
                    copy.write(data.encode())
        else:
            cols = [self._py(kind, value, n) for _, kind, value in columns]
            marks = ", ".join(["%s"] * len(columns))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})", list(zip(*cols)))

    def _pg(self, kind, value, n):
        np = self.np
        if not isinstance(value, (np.ndarray, list)):
            return self._pg(kind, [value], 1) * n
        if kind == "i":
            a = np.asarray(value, dtype=np.int64)
            s = a.astype(str)
            return np.where(a == NULL, "\\N", s).tolist() if (a == NULL).any() else s.tolist()
        if kind in "td":
            a = np.asarray(value, dtype=np.int64)
            null = a == NAT
            if kind == "t":
                dt = (np.where(null, 0, a) - VN_OFFSET).astype("datetime64[us]").astype("datetime64[s]")
                s = np.datetime_as_string(dt, timezone="UTC")
            else:
                s = np.datetime_as_string(np.where(null, 0, a).astype("datetime64[D]"))
            return np.where(null, "\\N", s).tolist() if null.any() else s.tolist()
        if kind == "b":
            return np.where(np.asarray(value, dtype=bool), "t", "f").tolist()
        return ["\\N" if v is None else str(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]

    def _py(self, kind, value, n):
        np = self.np
        if not isinstance(value, (np.ndarray, list)):
            return self._py(kind, [value], 1) * n
        if kind == "i":
            return [None if v == NULL else v for v in np.asarray(value, dtype=np.int64).tolist()]
        if kind in "td":
            a = np.asarray(value, dtype=np.int64)
            null = a == NAT
            if kind == "t":
                dt = (np.where(null, 0, a) - VN_OFFSET).astype("datetime64[us]").astype("datetime64[s]")
                s = [x.replace("T", " ") for x in np.datetime_as_string(dt).tolist()]
            else:
                s = np.datetime_as_string(np.where(null, 0, a).astype("datetime64[D]")).tolist()
            return [None if z else x for x, z in zip(s, null.tolist())]
        if kind == "b":
            return [bool(v) for v in np.asarray(value, dtype=bool).tolist()]
        return [None if v is None else str(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]


# ---- the generation ----------------------------------------------------------------------------

def current():
    from tinhso.demo.models import ProvinceYearGeneration

    return ProvinceYearGeneration.objects.order_by("-id").first()


def _period(year: int | None, now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    from tinhso.core.errors import InvalidInput

    local_now = timezone.localtime(now).replace(microsecond=0, tzinfo=None)
    if year is None:
        return local_now - datetime.timedelta(days=365), local_now
    if not 2000 <= year <= local_now.year:
        raise InvalidInput(f"Năm {year} không hợp lệ: chọn một năm từ 2000 đến {local_now.year}.", code="invalid_year")
    start = datetime.datetime(year, 1, 1)
    end = min(local_now, datetime.datetime(year, 12, 31, 23, 59, 59))
    if end - start < datetime.timedelta(days=7):
        raise InvalidInput(f"Năm {year} mới bắt đầu; chưa đủ thời gian để sinh dữ liệu.", code="invalid_year")
    return start, end


def _us(t: datetime.datetime) -> int:
    return int((t - datetime.datetime(1970, 1, 1)) / datetime.timedelta(microseconds=1))


def _aware(us: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=int(us)))


def ensure(dossiers: int, *, seed: int = 1, year: int | None = None, stdout=None) -> dict:
    """The stats of the generation (N, seed, year) — generated only if the
    database does not already hold exactly it."""
    from tinhso.dossiers.models import Dossier

    gen = current()
    if (gen is not None and gen.dossiers == dossiers and gen.seed == seed and gen.year == year
            and gen.generator_version == GENERATOR_VERSION
            and Dossier.objects.filter(pk__gte=gen.dossier_id_from, pk__lte=gen.dossier_id_to).count() == dossiers):
        return {**gen.stats, "reused": True}
    return generate(dossiers, seed=seed, year=year, stdout=stdout)


def remove(*, audit: bool = True) -> int:
    """Remove the current generation's dossiers and everything hanging from
    them; returns how many dossiers went. Generated agencies and staff stay."""
    gen = current()
    if gen is None:
        return 0
    with transaction.atomic():
        count = _remove(gen)
        if audit:
            from tinhso.audit.actions import record

            record(actor=None, action="core.province_year.remove", obj=gen,
                   changes={"dossiers": count, "seed": gen.seed, "year": gen.year}, note="Xóa dữ liệu sinh tự động")
        gen.delete()
    return count


def _remove(gen) -> int:
    from tinhso.dossiers.models import Dossier, DossierEvent, DossierPause
    from tinhso.evaluations.models import CriterionRating, Evaluation
    from tinhso.payments.models import PaymentLine, PaymentRequest

    lo, hi = gen.dossier_id_from, gen.dossier_id_to
    rng = {"dossier_id__gte": lo, "dossier_id__lte": hi}
    own = {DossierEvent, DossierPause, PaymentRequest, Evaluation}
    # Dossiers that real use touched since (files, receipts, data-store items...): the ORM deletes them
    # with everything that hangs from them; the rest goes with plain DELETEs.
    touched = set()
    for rel in Dossier._meta.related_objects:
        if rel.related_model in own or not rel.field.concrete:
            continue
        col = rel.field.attname
        touched.update(rel.related_model._base_manager.filter(**{f"{col}__gte": lo, f"{col}__lte": hi})
                       .values_list(col, flat=True).distinct())
    for model, path in ((DossierEvent, "dossier_id"), (PaymentRequest, "dossier_id"), (Evaluation, "dossier_id"),
                        (DossierPause, "dossier_id"), (PaymentLine, "payment__dossier_id"),
                        (CriterionRating, "evaluation__dossier_id")):
        for rel in model._meta.related_objects:
            if rel.related_model in own or rel.related_model in (PaymentLine, CriterionRating):
                continue
            prefix = path
            touched.update(rel.related_model._base_manager.filter(
                **{f"{rel.field.name}__{prefix}__gte": lo, f"{rel.field.name}__{prefix}__lte": hi})
                .values_list(f"{rel.field.name}__{prefix}", flat=True).distinct())
    through = DossierEvent.attachments.through
    touched.update(through.objects.filter(dossierevent__dossier_id__gte=lo, dossierevent__dossier_id__lte=hi)
                   .values_list("dossierevent__dossier_id", flat=True).distinct())
    touched.discard(None)
    if touched:
        PaymentRequest.objects.filter(dossier_id__in=touched).delete()
        Dossier.objects.filter(pk__in=touched).delete()
    for qs in (CriterionRating.objects.filter(evaluation__dossier_id__gte=lo, evaluation__dossier_id__lte=hi),
               Evaluation.objects.filter(**rng),
               PaymentLine.objects.filter(payment__dossier_id__gte=lo, payment__dossier_id__lte=hi),
               PaymentRequest.objects.filter(**rng), DossierPause.objects.filter(**rng),
               DossierEvent.objects.filter(**rng)):
        qs._raw_delete(qs.db)
    qs = Dossier.objects.filter(pk__gte=lo, pk__lte=hi)
    return qs._raw_delete(qs.db) + len(touched)


def generate(dossiers: int, *, seed: int = 1, year: int | None = None, stdout=None) -> dict:
    """Generate a province-year of `dossiers` dossiers (replacing any previous
    generation). Returns the stats, also stored on the generation record."""
    from tinhso.core.errors import InvalidInput

    if not isinstance(dossiers, int) or dossiers < 1 or dossiers > 20_000_000:
        raise InvalidInput("Số hồ sơ phải từ 1 đến 20.000.000.", code="invalid_count")
    t0 = time.perf_counter()

    def say(msg):
        if stdout is not None:
            stdout.write(f"[{time.perf_counter() - t0:6.1f} s] {msg}")

    now = timezone.now()
    start, end = _period(year, now)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # no other writer meanwhile (explicit ids, counters); foreign keys checked per COPY
                cursor.execute("LOCK TABLE dossiers_dossier, dossiers_dossiercounter, payments_paymentrequest, "
                               "evaluations_evaluation IN SHARE ROW EXCLUSIVE MODE")
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        previous = current()
        timings = {}
        t1 = time.perf_counter()
        restore = _suspend_indexes(max(dossiers, previous.dossiers if previous else 0),
                                   previous.dossiers if previous else 0)
        if restore:
            say(f"Tạm bỏ {len(restore)} chỉ mục và khóa ngoại của các bảng nạp (tạo lại trước khi kết thúc giao dịch).")
        removed = 0
        if previous is not None:
            say(f"Xóa bộ dữ liệu cũ ({previous.dossiers:,} hồ sơ)...")
            removed = _remove(previous)
            previous.delete()
        timings["remove"] = round(time.perf_counter() - t1, 1)
        stats = _generate(dossiers, seed, year, start, end, say)
        t1 = time.perf_counter()
        if restore:
            say("Tạo lại chỉ mục, kiểm tra khóa ngoại...")
            with connection.cursor() as cursor:
                for sql in restore:
                    cursor.execute(sql)
        timings["indexes"] = round(time.perf_counter() - t1, 1)
        stats["timings"] = {**timings, **stats["timings"]}
        stats["removed_previous"] = removed
        stats["seconds"] = round(time.perf_counter() - t0, 1)
        gen = stats.pop("_record")
        gen.stats, gen.seconds = stats, stats["seconds"]
        gen.save(update_fields=["stats", "seconds"])
        from tinhso.audit.actions import record

        record(actor=None, action="core.province_year.generate", obj=gen,
               changes={k: stats[k] for k in ("dossiers", "seed", "year", "events", "payments", "evaluations",
                                              "agencies_created", "staff_created", "removed_previous")},
               note="Sinh dữ liệu mô phỏng một năm (nạp hàng loạt, không ghi nhật ký từng hồ sơ)")
    t1 = time.perf_counter()
    if connection.vendor == "postgresql":
        say("ANALYZE...")
        with connection.cursor() as cursor:
            for table in ("dossiers_dossier", "dossiers_dossierevent", "dossiers_dossierpause",
                          "dossiers_dossiercounter", "payments_paymentrequest", "payments_paymentline",
                          "evaluations_evaluation", "evaluations_criterionrating"):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    stats["timings"]["analyze"] = round(time.perf_counter() - t1, 1)
    stats["seconds"] = round(time.perf_counter() - t0, 1)
    say(f"Xong: {dossiers:,} hồ sơ.")
    return stats


def _next_ids(model, np) -> int:
    """First free id of `model` (ids are then given explicitly; the sequence
    is moved past them at the end)."""
    from django.db.models import Max

    top = model.objects.aggregate(m=Max("pk"))["m"] or 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
            top = max(top, cursor.fetchone()[0])
    elif connection.vendor == "sqlite":  # never reuse the ids of a removed generation
        with connection.cursor() as cursor:
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
            row = cursor.fetchone()
            top = max(top, row[0] if row else 0)
    return top + 1


def _reset_sequences(models) -> None:
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _generate(n_total, seed, year, start, end, say) -> dict:
    from tinhso.demo.models import ProvinceYearGeneration
    from tinhso.dossiers.models import Dossier, DossierCounter
    from tinhso.evaluations.models import Evaluation
    from tinhso.payments.models import PaymentRequest

    np = _np()
    world = _build_world(seed, end.date())
    say(f"Cơ cấu: {len(world.communes)} xã/phường, {len(world.cases)} trường hợp thủ tục, "
        f"{len(world.staff_ids) - 1} cán bộ xử lý (tạo mới {world.staff_created}), "
        f"tạo mới {world.agencies_created} cơ quan.")
    rng = np.random.default_rng([seed, 20260])
    plan = _plan_receptions(world, n_total, rng, start, end)
    first_id = _next_ids(Dossier, np)
    gen = ProvinceYearGeneration.objects.create(
        dossiers=n_total, seed=seed, year=year, generator_version=GENERATOR_VERSION,
        period_start=timezone.make_aware(start), period_end=timezone.make_aware(end), dossier_id_from=first_id,
        dossier_id_to=first_id + n_total - 1)
    ctx = Context(world=world, np=np, end=_us(end), loader=Loader(np), first_id=first_id,
                  payment_id=_next_ids(PaymentRequest, np), evaluation_id=_next_ids(Evaluation, np), gen_id=gen.id,
                  end_year=end.year)
    days = plan["day"]
    lo_day, hi_day = int(days.min()), int(days.max())
    epoch = datetime.date(1970, 1, 1)
    for agency_id, day, last in DossierCounter.objects.filter(
            day__gte=epoch + datetime.timedelta(days=lo_day), day__lte=epoch + datetime.timedelta(days=hi_day)
    ).values_list("agency_id", "day", "last"):
        if agency_id in world.index:
            ctx.counters[(world.index[agency_id], (day - epoch).days)] = last
    existing_counters = dict(ctx.counters)
    t_load = time.perf_counter()
    for lo in range(0, n_total, CHUNK):
        hi = min(lo + CHUNK, n_total)
        _chunk(ctx, {k: v[lo:hi] for k, v in plan.items()}, np.random.default_rng([seed, 1 + lo // CHUNK]), lo)
        say(f"{hi:,}/{n_total:,} hồ sơ")
    _save_counters(ctx, existing_counters)
    _reset_sequences([Dossier, PaymentRequest, Evaluation])
    rows = ctx.loader.rows
    stats = {
        "dossiers": n_total, "seed": seed, "year": year, "generator_version": GENERATOR_VERSION,
        "period": [start.isoformat(sep=" "), end.isoformat(sep=" ")],
        "dossier_ids": [first_id, first_id + n_total - 1],
        "status": {str(k): int(v) for k, v in sorted(ctx.status_counts.items())},
        "channel": {str(k): int(v) for k, v in sorted(ctx.channel_counts.items())},
        "outcome": {str(k): int(v) for k, v in sorted(ctx.outcome_counts.items())},
        "overdue_open": int(ctx.overdue_open),
        "events": rows.get("dossiers_dossierevent", 0), "pauses": rows.get("dossiers_dossierpause", 0),
        "payments": rows.get("payments_paymentrequest", 0), "payment_lines": rows.get("payments_paymentline", 0),
        "evaluations": rows.get("evaluations_evaluation", 0),
        "criterion_ratings": rows.get("evaluations_criterionrating", 0),
        "counters": ctx.counters_written, "communes": len(world.communes),
        "agencies": int(len(ctx.agencies_used)), "agencies_created": world.agencies_created,
        "staff": len(world.staff_ids) - 1, "staff_created": world.staff_created, "cases": len(world.cases),
        "timings": {"load": round(time.perf_counter() - t_load, 1),
                    "copy": {k: round(v, 1) for k, v in ctx.loader.seconds.items()}},
        "_record": gen,
    }
    return stats


# rows a generation adds to each table, per dossier (rough)
LOAD_FACTOR = {"dossiers_dossier": 1, "dossiers_dossierevent": 6, "dossiers_dossierpause": 0.08,
               "payments_paymentrequest": 0.7, "payments_paymentline": 1.0, "evaluations_evaluation": 0.15,
               "evaluations_criterionrating": 1.8}


def _suspend_indexes(n: int, removing: int = 0) -> list:
    """PostgreSQL bulk load: for each table that the load at least doubles
    (and by 200,000 rows or more), drop its plain indexes and foreign keys
    now and return the statements that re-create them, identical (from
    pg_get_indexdef / pg_get_constraintdef), to run before the transaction
    commits: building an index once and validating a foreign key with one
    join is far cheaper than maintaining them row by row. Before removing a
    large generation, the foreign keys of other tables that point at the
    generated tables go too (else every deleted row is checked one by one);
    re-adding them validates every row, so a reference to a removed row
    makes the whole generation fail and roll back. All of it is in the
    generation's transaction, so a failure restores everything; primary
    keys and unique constraints stay and check every row."""
    if connection.vendor != "postgresql":
        return []
    qn = connection.ops.quote_name
    restore_indexes, restore_fks, dropped = [], [], set()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        if removing * 6 >= 200_000:
            cursor.execute("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE contype = 'f' AND confrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
                           [list(LOAD_FACTOR)])
            for table, name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
                restore_fks.append(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
                dropped.add((table, name))
        for table, factor in LOAD_FACTOR.items():
            cursor.execute("SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = %s::regclass", [table])
            existing = cursor.fetchone()[0]
            if n * factor < max(200_000, existing):
                continue
            cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname", [table])
            for name, definition in cursor.fetchall():
                if (table, name) in dropped:
                    continue
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
                restore_fks.append(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                "JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = %s::regclass AND NOT x.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint k "
                "WHERE k.conrelid = x.indrelid AND k.conindid = x.indexrelid) ORDER BY c.relname", [table])
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {qn(name)}")
                restore_indexes.append(definition)
    return restore_indexes + restore_fks


def _save_counters(ctx, existing: dict) -> None:
    """Leave every (agency, day) counter at the highest number used: new rows
    for new days, existing rows raised (one upsert, never lowered)."""
    np = ctx.np
    changed = [(a, d, last) for (a, d), last in ctx.counters.items() if last > existing.get((a, d), -1)]
    ctx.counters_written = len(changed)
    if not changed:
        return
    agency = ctx.world.agency_ids[np.array([c[0] for c in changed], dtype=np.int64)]
    day = np.array([c[1] for c in changed], dtype=np.int64)
    last = np.array([c[2] for c in changed], dtype=np.int64)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    upsert = (f"ON CONFLICT (agency_id, day) DO UPDATE SET last = {greatest}(dossiers_dossiercounter.last, "
              "excluded.last)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS pg_temp.tinhso_gen_counter")
            cursor.execute("CREATE TEMPORARY TABLE tinhso_gen_counter (agency_id bigint, day date, last integer) "
                           "ON COMMIT DROP")
        ctx.loader.write("tinhso_gen_counter", [("agency_id", "i", agency), ("day", "d", day), ("last", "i", last)],
                         len(changed), count=False)
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO dossiers_dossiercounter (agency_id, day, last) SELECT agency_id, day, last "
                           f"FROM tinhso_gen_counter {upsert}")
    else:
        rows = list(zip(agency.tolist(), Loader(np)._py("d", day, len(changed)), last.tolist()))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO dossiers_dossiercounter (agency_id, day, last) VALUES (%s, %s, %s) "
                               f"{upsert}", rows)


def _plan_receptions(world: World, n: int, rng, start: datetime.datetime, end: datetime.datetime) -> dict:
    """Who comes when, for which case, where: one entry per dossier, sorted by
    submission time."""
    np, cal = world.np, world.cal
    cases = world.cases
    w = np.array([c.weight for c in cases])
    case = rng.choice(len(cases), n, p=w / w.sum())
    commune_level = np.array([c.commune_level for c in cases])[case]
    cw = np.array([c[4] for c in world.communes])
    area_i = rng.choice(len(world.communes), n, p=cw / cw.sum())
    committee = np.array([c[2] for c in world.communes])
    centre = np.array([c[3] for c in world.communes])
    recv_commune = area_i.copy()
    cross = rng.random(n) < P_CROSS_BOUNDARY
    recv_commune[cross] = rng.choice(len(world.communes), int(cross.sum()), p=cw / cw.sum())
    rcv = np.where(commune_level, centre[recv_commune], np.array([c.receiving or 0 for c in cases])[case])
    cmp_ = np.where(commune_level, committee[area_i], np.array([c.competent or 0 for c in cases])[case])
    p_online = np.array([0.0 if c.not_online else P_ONLINE.get(c.online_level, 0.0) for c in cases])[case]
    u = rng.random(n)
    channel = np.where(u < p_online, ONLINE, np.where(u < p_online + (1 - p_online) * P_POST, POST, COUNTER))

    # days of the period, weighted by month, weekday and a slow growth over the year
    d0, d1 = start.date(), end.date()
    all_days = [d0 + datetime.timedelta(days=i) for i in range((d1 - d0).days + 1)]
    working = np.array([cal.is_working_day(d) for d in all_days])
    base = np.array([MONTH_FACTOR[d.month - 1] * WEEKDAY_FACTOR[d.weekday()] for d in all_days])
    base *= np.linspace(0.92, 1.08, len(all_days))
    ordinals = np.array([(d - datetime.date(1970, 1, 1)).days for d in all_days], dtype=np.int64)
    start_us, end_us = _us(start), _us(end)

    def draw_counter(k):
        p = np.where(working, base, 0.0)
        day = ordinals[rng.choice(len(all_days), k, p=p / p.sum())]
        morning = rng.random(k) < 0.62
        minutes = np.where(morning, 7 * 60 + rng.beta(2.0, 2.6, k) * 270, 13 * 60 + 30 + rng.beta(2.0, 2.4, k) * 210)
        return day * 86400 * US + (minutes * 60).astype(np.int64) * US

    def draw_online(k):
        p = base * np.where(working, 1.0, 0.45)
        day = ordinals[rng.choice(len(all_days), k, p=p / p.sum())]
        hp = np.array(ONLINE_HOURS)
        hour = rng.choice(24, k, p=hp / hp.sum())
        return day * 86400 * US + (hour * 3600 + rng.integers(0, 3600, k)).astype(np.int64) * US

    sub = np.zeros(n, dtype=np.int64)
    online = channel == ONLINE
    for mask, draw in ((online, draw_online), (~online, draw_counter)):
        idx = np.nonzero(mask)[0]
        for _ in range(20):
            if not len(idx):
                break
            sub[idx] = draw(len(idx))
            idx = idx[(sub[idx] > end_us) | (sub[idx] < start_us)]
        if len(idx):
            sub[idx] = np.minimum(np.maximum(sub[idx], start_us), end_us)
    rec = sub.copy()
    if online.any():
        delay = _sec(np, np.minimum(rng.exponential(2.0, int(online.sum())) + 0.05, 16.0))
        rec[online] = _addh(world, sub[online], delay)
    order = np.argsort(sub, kind="stable")
    plan = {"case": case, "area": np.array([c[0] for c in world.communes], dtype=np.int64)[area_i],
            "area_name": area_i, "rcv": rcv, "cmp": cmp_, "channel": channel, "sub": sub, "rec": rec}
    plan = {k: v[order] for k, v in plan.items()}
    plan["day"] = (plan["sub"] // (86400 * US)).astype(np.int64)
    return plan


REASON_LATE = "Cần xác minh thêm thông tin với cơ quan liên quan nên chưa trả kết quả đúng hẹn."


def _iso(us: int) -> str:
    """An ISO time of an int64 of Vietnam wall-clock microseconds, with its offset (as form 04 reads it)."""
    import datetime as _dt

    return (_dt.datetime(1970, 1, 1) + _dt.timedelta(microseconds=int(us))).replace(
        tzinfo=_dt.timezone(_dt.timedelta(hours=7))).isoformat()


def _addh(world, t, hours):
    """Working hours after t (int64 local µs arrays), floored to the second."""
    np = world.np
    hours = _sec(np, hours)
    out = world.cal.add_many(np.asarray(t, dtype=np.int64).view("datetime64[us]"), hours, "working_hours")
    out = out.view(np.int64)
    return out - out % US


def _sec(np, hours):
    """Hours rounded to whole seconds: every generated moment is a whole
    second, so working time between two of them is exactly what was drawn."""
    return np.round(np.asarray(hours, dtype=float) * 3600.0) / 3600.0


def _add_unit(world, t, amounts, unit):
    np = world.np
    amounts = np.asarray(amounts, dtype=float)
    if unit != "working_hours" and (np.floor(amounts) != amounts).any():
        amounts, unit = amounts * 8.0, "working_hours"  # fractional days: as working hours
    out = world.cal.add_many(np.asarray(t, dtype=np.int64).view("datetime64[us]"), amounts, unit).view(np.int64)
    return out - out % US


@dataclass
class Context:
    world: World
    np: object
    end: int
    loader: Loader
    first_id: int
    payment_id: int
    evaluation_id: int
    gen_id: int
    counters: dict = field(default_factory=dict)
    counters_written: int = 0
    status_counts: dict = field(default_factory=dict)
    channel_counts: dict = field(default_factory=dict)
    outcome_counts: dict = field(default_factory=dict)
    overdue_open: int = 0
    end_year: int = 2026
    chunk_ids: object = None
    chunk_codes: list = field(default_factory=list)
    agencies_used: set = field(default_factory=set)
    label_cache: dict = field(default_factory=dict)


def _owners(ctx, rng, plan, n):
    """Owner columns: Vietnamese names, identification numbers, phones,
    addresses, e-mails (deterministic from the seed)."""
    np = ctx.np
    from tinhso.core.text import fold

    female = rng.random(n) < 0.52
    fam = np.array([f for f, _ in FAMILY], dtype=object)
    fp = np.array([w for _, w in FAMILY], dtype=float)
    fi = rng.choice(len(fam), n, p=fp / fp.sum())
    mid = np.where(female, np.array(MIDDLE[1], dtype=object)[rng.integers(0, len(MIDDLE[1]), n)],
                   np.array(MIDDLE[0], dtype=object)[rng.integers(0, len(MIDDLE[0]), n)])
    given = np.where(female, np.array(GIVEN[1], dtype=object)[rng.integers(0, len(GIVEN[1]), n)],
                     np.array(GIVEN[0], dtype=object)[rng.integers(0, len(GIVEN[0]), n)])
    names = [f"{a} {b} {c}" for a, b, c in zip(fam[fi].tolist(), mid.tolist(), given.tolist())]
    birth_year = ctx.end_year - np.clip(rng.normal(42, 14, n), 18, 85).astype(np.int64)
    birth = ((birth_year - 1970) * 365.2425).astype(np.int64) + rng.integers(0, 365, n)
    pv = np.array([p for p, _ in ID_PROVINCES])
    pp = np.array([w for _, w in ID_PROVINCES], dtype=float)
    prov = pv[rng.choice(len(pv), n, p=pp / pp.sum())]
    century = np.where(birth_year >= 2000, 2, 0) + female.astype(np.int64)
    idnum = prov * 10**9 + century * 10**8 + (birth_year % 100) * 10**6 + rng.integers(0, 10**6, n)
    ids = [f"{x:012d}" for x in idnum.tolist()]
    pref = np.array(PHONE_PREFIX, dtype=object)[rng.integers(0, len(PHONE_PREFIX), n)]
    phones = [f"{a}{b:07d}" for a, b in zip(pref.tolist(), rng.integers(0, 10**7, n).tolist())]
    commune_names = [c[1] for c in ctx.world.communes]
    street = rng.integers(0, len(STREETS), n).tolist()
    num = rng.integers(1, 320, n).tolist()
    quarter = rng.integers(1, 12, n).tolist()
    addresses = []
    for ci, s, k, q in zip(plan["area_name"].tolist(), street, num, quarter):
        cname = commune_names[ci]
        place = cname[0].lower() + cname[1:]
        if cname.startswith("Phường"):
            addresses.append(f"Số {k}, đường {STREETS[s]}, khu vực {q}, {place}, thành phố Cần Thơ")
        else:
            addresses.append(f"Ấp {q}, {place}, thành phố Cần Thơ")
    has_mail = (plan["channel"] == ONLINE) & (rng.random(n) < 0.45) | (rng.random(n) < 0.05)
    tails = rng.integers(10, 99, n).tolist()
    emails = [f"{fold(nm).replace(' ', '')}{t}@gmail.com" if m else ""
              for nm, t, m in zip(names, tails, has_mail.tolist())]
    return names, birth, ids, phones, addresses, emails, has_mail


def _codes(ctx, plan, n) -> list:
    """Dossier codes `{receiving agency}-{yyMMdd}-{NNNN}`, numbering after
    what each (agency, day) counter already holds."""
    np = ctx.np
    from django.conf import settings

    from tinhso.dossiers.codes import DEFAULT_FORMAT

    key = plan["rcv"] * 1_000_000 + plan["day"]
    order = np.argsort(key, kind="stable")  # plan is time-sorted, so numbers follow time
    sk = key[order]
    starts = np.r_[0, np.nonzero(np.diff(sk))[0] + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(sk)]))
    rank = np.arange(len(sk)) - group_start
    base = np.empty(len(sk), dtype=np.int64)
    for s, e in zip(starts.tolist(), np.r_[starts[1:], len(sk)].tolist()):
        k = (int(sk[s] // 1_000_000), int(sk[s] % 1_000_000))
        last = ctx.counters.get(k, 0)
        base[s:e] = last
        ctx.counters[k] = last + (e - s)
    number = np.empty(n, dtype=np.int64)
    number[order] = base + rank + 1
    fmt = getattr(settings, "TINHSO_DOSSIER_CODE_FORMAT", DEFAULT_FORMAT)
    codes_agency = ctx.world.agency_code
    days = plan["day"].astype("datetime64[D]")
    if fmt == DEFAULT_FORMAT:
        ds = [s[2:4] + s[5:7] + s[8:10] for s in np.datetime_as_string(days).tolist()]
        return [f"{codes_agency[a]}-{d}-{k:04d}" for a, d, k in zip(plan["rcv"].tolist(), ds, number.tolist())]
    return [fmt.format(agency=codes_agency[a], date=d, number=k)
            for a, d, k in zip(plan["rcv"].tolist(), days.astype(object).tolist(), number.tolist())]


class Events:
    """Event rows of one chunk, column by column."""

    COLUMNS = [("dossier_id", "i"), ("at", "t"), ("action", "s"), ("from_status", "i"), ("to_status", "i"),
               ("from_step_id", "i"), ("to_step_id", "i"), ("step_name", "s"), ("sender_id", "i"),
               ("sender_name", "s"), ("sender_agency_id", "i"), ("receiver_id", "i"), ("receiver_agency_id", "i"),
               ("receiver_role", "s"), ("receiver_name", "s"), ("step_due_at", "t"), ("previous_step_due_at", "t"),
               ("comment", "s"), ("sync_status", "s")]

    def __init__(self, np):
        self.np = np
        self.blocks = {name: [] for name, _ in self.COLUMNS}
        self.n = 0

    def add(self, n, **cols):
        np = self.np
        for name, kind in self.COLUMNS:
            v = cols[name]
            if kind == "s":
                v = v if isinstance(v, list) else (v.tolist() if isinstance(v, np.ndarray) else [v] * n)
            else:
                v = np.broadcast_to(np.asarray(v, dtype=np.int64), (n,))
            self.blocks[name].append(v)
        self.n += n

    def columns(self):
        np = self.np
        out = []
        for name, kind in self.COLUMNS:
            parts = self.blocks[name]
            if kind == "s":
                out.append((name, kind, [x for p in parts for x in p]))
            else:
                out.append((name, kind, np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)))
        return out


class Group:
    """The dossiers of one case in a chunk, with their state as events are
    applied in time order."""

    def __init__(self, ctx, case, rows, plan, owners, events):
        np = ctx.np
        self.ctx, self.np, self.case, self.rows, self.events = ctx, np, case, rows, events
        n = self.n = len(rows)
        self.ids = ctx.chunk_ids[rows]
        self.owner = np.array(owners, dtype=object)[rows] if n else np.empty(0, dtype=object)
        self.status = np.zeros(n, dtype=np.int64)
        self.step = np.full(n, NULL, dtype=np.int64)  # step index in the case (-1 none)
        self.agency = plan["rcv"][rows].copy()
        self.role = np.zeros(n, dtype=np.int64)
        self.handler = np.full(n, NULL, dtype=np.int64)  # staff position
        self.due = np.full(n, NAT, dtype=np.int64)
        self.last = np.full(n, NAT, dtype=np.int64)
        self.count = np.zeros(n, dtype=np.int64)

    def emit(self, present, t, action, to_status, *, sender, sender_name=None, to_step=KEEP, receiver=KEEP,
             agency=KEEP, role=KEEP, due=KEEP, prev_due=None, comment="", from_step=False, creation=False):
        """Apply one transition to the dossiers where it happened (present and
        not after the end of the period) and write its event rows."""
        np, ctx, w = self.np, self.ctx, self.ctx.world
        valid = present & (t <= ctx.end) & (t != NAT)
        idx = np.nonzero(valid)[0]
        if not len(idx):
            return valid
        k = len(idx)

        def pick(v):
            return v[idx] if isinstance(v, np.ndarray) and v.shape == (self.n,) else v

        from_status = np.full(k, NULL, dtype=np.int64) if creation else self.status[idx]
        steps = self.case.steps
        step_ids = np.array([s.id for s in steps] + [NULL], dtype=np.int64)
        from_step_id = step_ids[self.step[idx]] if from_step else NULL
        sender_agency = self.agency[idx]
        self.status[idx] = to_status
        if to_step is not KEEP:
            self.step[idx] = pick(to_step)
        if agency is not KEEP:
            self.agency[idx] = pick(agency)
        if role is not KEEP:
            self.role[idx] = ROLES.index(role) if isinstance(role, str) else pick(role)
        if receiver is not KEEP:
            self.handler[idx] = pick(receiver)
        if due is not KEEP:
            self.due[idx] = pick(due)
        self.last[idx] = t[idx]
        self.count[idx] += 1
        handler = self.handler[idx]
        s_pos = pick(sender)
        sender_id = w.staff_ids[s_pos] if isinstance(s_pos, np.ndarray) else (
            w.staff_ids[s_pos] if s_pos != NULL else NULL)
        if sender_name is None:
            s_names = w.staff_names[s_pos] if isinstance(s_pos, np.ndarray) else w.staff_names[s_pos]
            if isinstance(s_names, np.ndarray):
                s_names = np.where(s_names == "", "Hệ thống", s_names)
            else:
                s_names = s_names or "Hệ thống"
        else:
            s_names = pick(sender_name)
        r_names = w.staff_names[handler].tolist()
        if to_status in OPEN:
            roles, ags = self.role[idx].tolist(), self.agency[idx].tolist()
            for i, (h, r, a) in enumerate(zip(handler.tolist(), roles, ags)):
                if h == NULL and r:
                    key = (r, a)
                    label = ctx.label_cache.get(key)
                    if label is None:
                        label = ctx.label_cache[key] = _role_label(ROLES[r]) + " - " + w.agency_name[a]
                    r_names[i] = label[:200]
        else:
            r_names = [x if h != NULL else "" for x, h in zip(r_names, handler.tolist())]
        cur_step = self.step[idx]
        step_names = np.array([s.name[:300] for s in steps] + [""], dtype=object)[cur_step]
        self.events.add(
            k, dossier_id=self.ids[idx], at=t[idx], action=action, from_status=from_status, to_status=to_status,
            from_step_id=from_step_id, to_step_id=step_ids[cur_step], step_name=step_names,
            sender_id=sender_id, sender_name=s_names, sender_agency_id=w.agency_ids[sender_agency],
            receiver_id=w.staff_ids[handler], receiver_agency_id=w.agency_ids[self.agency[idx]],
            receiver_role=np.array(ROLES, dtype=object)[self.role[idx]], receiver_name=r_names,
            step_due_at=self.due[idx], previous_step_due_at=NAT if prev_due is None else pick(prev_due),
            comment=pick(comment) if not isinstance(comment, str) else comment,
            sync_status=np.where(t[idx] < ctx.end - HOUR, "synced", "pending"))
        return valid


def _role_label(role: str) -> str:
    from tinhso.accounts.models import Role

    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _pick(ctx, rng, agencies, role):
    """A random holder of `role` at each agency (staff positions, -1 if none)."""
    np = ctx.np
    table = ctx.world.pool_tables.get(role)
    if table is None:
        return np.full(len(agencies), NULL, dtype=np.int64)
    offset, count, flat = table
    c = count[agencies]
    pos = offset[agencies] + (rng.random(len(agencies)) * np.maximum(c, 1)).astype(np.int64)
    return np.where(c > 0, flat[np.minimum(pos, len(flat) - 1)], NULL)


def _chunk(ctx, plan, rng, offset):
    np, w = ctx.np, ctx.world
    n = len(plan["case"])
    ctx.chunk_ids = ctx.first_id + offset + np.arange(n, dtype=np.int64)
    names, birth, id_numbers, phones, addresses, emails, has_mail = _owners(ctx, rng, plan, n)
    codes = ctx.chunk_codes = _codes(ctx, plan, n)
    events = Events(np)
    D = {  # dossier columns filled group by group
        "status": np.zeros(n, np.int64), "current_step_id": np.full(n, NULL, np.int64),
        "current_agency": np.zeros(n, np.int64), "current_role": np.zeros(n, np.int64),
        "current_handler": np.full(n, NULL, np.int64), "step_due_at": np.full(n, NAT, np.int64),
        "received_at": np.full(n, NAT, np.int64), "received_by": np.full(n, NULL, np.int64),
        "counting_from": np.full(n, NAT, np.int64), "due_at": np.full(n, NAT, np.int64),
        "original_due_at": np.full(n, NAT, np.int64), "finished_at": np.full(n, NAT, np.int64),
        "returned_at": np.full(n, NAT, np.int64), "closed_at": np.full(n, NAT, np.int64),
        "outcome": np.full(n, "", dtype=object), "result_summary": np.full(n, "", dtype=object),
        "result_number": np.full(n, "", dtype=object), "result_signer": np.full(n, "", dtype=object),
        "result_signed_at": np.full(n, NAT, np.int64), "return_method": np.full(n, "", dtype=object),
        "returned_to": np.full(n, "", dtype=object), "reason": np.full(n, "", dtype=object),
        "supplement_requests": np.zeros(n, np.int64), "version": np.ones(n, np.int64),
        "extensions": np.zeros(n, np.int64), "handled_at": np.full(n, NAT, np.int64),
        "result_kind": np.full(n, "", dtype=object),
        "updated_at": plan["sub"].copy(), "subject": np.full(n, "", dtype=object),
        "procedure_id": np.zeros(n, np.int64), "case_id": np.zeros(n, np.int64),
        "filer": np.zeros(n, bool),
    }
    pay = {k: [] for k in ("id", "dossier_id", "agency_id", "moment", "method", "status", "amount", "description",
                           "payer_name", "channel", "gateway_transaction_id", "gateway_status", "started_at",
                           "paid_at", "counter_receipt_no", "collected_by_id", "created_by_id", "created_at",
                           "case")}
    pauses = {k: [] for k in ("dossier_id", "reason", "started_at", "ended_at", "note")}
    for ci, case in enumerate(w.cases):
        rows = np.nonzero(plan["case"] == ci)[0]
        if len(rows):
            _case_group(ctx, rng, case, rows, plan, names, events, D, pay, pauses)

    # ---- dossiers
    status = D["status"]
    for k, v in zip(*np.unique(status, return_counts=True)):
        ctx.status_counts[int(k)] = ctx.status_counts.get(int(k), 0) + int(v)
    for k, v in zip(*np.unique(plan["channel"], return_counts=True)):
        ctx.channel_counts[int(k)] = ctx.channel_counts.get(int(k), 0) + int(v)
    for k, v in zip(*np.unique(D["outcome"].astype(str), return_counts=True)):
        if k:
            ctx.outcome_counts[k] = ctx.outcome_counts.get(k, 0) + int(v)
    open_ = np.isin(status, list(OPEN))
    ctx.overdue_open += int((open_ & (D["due_at"] != NAT) & (D["due_at"] < ctx.end)).sum())
    ctx.agencies_used.update(np.unique(np.r_[plan["rcv"], plan["cmp"]]).tolist())
    past_due = (D["due_at"] != NAT) & (D["due_at"] < ctx.end)
    filer = D["filer"]
    filer_names = [nm if f else "" for nm, f in zip(np.roll(np.array(names, dtype=object), 7).tolist(),
                                                     filer.tolist())]
    ai = w.agency_ids
    cols = [
        ("id", "i", ctx.chunk_ids), ("code", "s", codes), ("procedure_id", "i", D["procedure_id"]),
        ("case_id", "i", D["case_id"]), ("receiving_agency_id", "i", ai[plan["rcv"]]),
        ("competent_agency_id", "i", ai[plan["cmp"]]), ("current_agency_id", "i", ai[D["current_agency"]]),
        ("current_step_id", "i", D["current_step_id"]),
        ("current_role", "s", np.array(ROLES, dtype=object)[D["current_role"]]),
        ("current_handler_id", "i", w.staff_ids[D["current_handler"]]), ("step_due_at", "t", D["step_due_at"]),
        ("channel", "i", plan["channel"]), ("status", "i", status), ("area_id", "i", plan["area"]),
        ("subject", "s", D["subject"]), ("form_data", "s", "{}"), ("owner_name", "s", names),
        ("owner_id_type", "s", "cccd"), ("owner_id_number", "s", id_numbers), ("owner_birth_date", "d", birth),
        ("owner_address", "s", addresses), ("owner_phone", "s", phones), ("owner_email", "s", emails),
        ("owner_verified", "b", plan["channel"] == ONLINE), ("filer_name", "s", filer_names),
        ("filer_id_number", "s", [x if f else "" for x, f in zip(id_numbers[3:] + id_numbers[:3], filer.tolist())]),
        ("filer_phone", "s", [x if f else "" for x, f in zip(phones[5:] + phones[:5], filer.tolist())]),
        ("citizen_id", "i", NULL), ("notify_sms", "b", True), ("notify_email", "b", has_mail),
        ("submitted_at", "t", plan["sub"]), ("received_at", "t", D["received_at"]),
        ("received_by_id", "i", w.staff_ids[D["received_by"]]), ("counting_from", "t", D["counting_from"]),
        ("due_at", "t", D["due_at"]), ("original_due_at", "t", D["original_due_at"]),
        ("finished_at", "t", D["finished_at"]), ("returned_at", "t", D["returned_at"]),
        ("closed_at", "t", D["closed_at"]), ("outcome", "s", D["outcome"]),
        ("handled_at", "t", D["handled_at"]), ("result_kind", "s", D["result_kind"]),
        ("due_soon_notified", "b", past_due), ("overdue_notified", "b", past_due),
        ("result_summary", "s", D["result_summary"]), ("result_number", "s", D["result_number"]),
        ("result_signer", "s", D["result_signer"]), ("result_signed_at", "d", D["result_signed_at"]),
        ("return_method", "s", D["return_method"]), ("returned_to", "s", D["returned_to"]),
        ("reason", "s", D["reason"]), ("supplement_requests", "i", D["supplement_requests"]),
        ("extensions", "i", D["extensions"]), ("version", "i", D["version"]), ("created_at", "t", plan["sub"]),
        ("updated_at", "t", D["updated_at"]),
    ]
    ctx.loader.write("dossiers_dossier", cols, n)
    ctx.loader.write("dossiers_dossierevent", events.columns(), events.n)
    if pauses["dossier_id"]:
        ctx.loader.write("dossiers_dossierpause", [
            ("dossier_id", "i", np.concatenate(pauses["dossier_id"])),
            ("reason", "s", [x for p in pauses["reason"] for x in p]),
            ("started_at", "t", np.concatenate(pauses["started_at"])),
            ("ended_at", "t", np.concatenate(pauses["ended_at"])),
            ("note", "s", [x for p in pauses["note"] for x in p])], sum(len(p) for p in pauses["dossier_id"]))
    _write_payments(ctx, pay)
    _write_evaluations(ctx, rng, D, plan)


def _case_group(ctx, rng, case, rows, plan, owner_names, events, D, pay, pauses):
    np, w = ctx.np, ctx.world
    g = Group(ctx, case, rows, plan, owner_names, events)
    n = g.n
    ch = plan["channel"][rows]
    sub, rec = plan["sub"][rows], plan["rec"][rows]
    rcv, cmp_ = plan["rcv"][rows], plan["cmp"][rows]
    steps, P, R = case.steps, case.finish, case.ret
    online = ch == ONLINE

    # agencies and handlers of each step
    st_agency = []
    for s in steps:
        if s.agency_id and s.agency_id in w.index:
            st_agency.append(np.full(n, w.index[s.agency_id], dtype=np.int64))
            continue
        pairs = rcv * 100_000 + cmp_
        uniq, inverse = np.unique(pairs, return_inverse=True)
        routed = np.array([_route_index(w.agencies, w.index, s, pr // 100_000, pr % 100_000, w.route_cache)
                           for pr in uniq.tolist()], dtype=np.int64)
        st_agency.append(routed[inverse.reshape(-1)])
    h = [_pick(ctx, rng, st_agency[j], steps[j].role) for j in range(len(steps))]
    clerk_ret = _pick(ctx, rng, rcv, "clerk")
    leader_cmp = _pick(ctx, rng, cmp_, "leader")

    # deadlines and the working-time plan (positions = working hours after the counting start)
    counting = _addh(w, rec, np.zeros(n))
    if case.no_appointment:
        due0 = np.full(n, NAT, dtype=np.int64)
        budget = np.full(n, sum(s.hours for s in steps[:P + 1]))
    else:
        amount = np.where(online & (case.online_time is not None), case.online_time or 0.0, case.time)
        due0 = _add_unit(w, rec, amount, case.unit)
        # same_day: about three working hours of work before the day's close (or the next day's)
        budget = amount * {"working_days": 8.0, "working_hours": 1.0, "days": 8.0 * 5 / 7,
                           "same_day": 3.0}.get(case.unit, 8.0)
    u = rng.random(n)
    f = 0.08 + rng.beta(2.0, 3.2, n) * 0.88
    late = u < P_LATE
    stuck = (u >= P_LATE) & (u < P_LATE + P_STUCK)
    f[late] = rng.uniform(1.03, 1.8, int(late.sum()))
    f[stuck] = rng.uniform(3.0, 60.0, int(stuck.sum()))
    work = f * budget
    allow = np.array([s.hours for s in steps[:P + 1]])
    share = allow[None, :] * rng.uniform(0.4, 1.6, (n, P + 1))
    share /= share.sum(axis=1, keepdims=True)
    dur = _sec(np, np.maximum(share * work[:, None], 0.03))
    ends = np.cumsum(dur, axis=1)
    starts = ends - dur

    v = rng.random(n)
    refused_online = online & (v < P_REFUSE_ONLINE)
    withdraw = (v >= P_REFUSE_ONLINE) & (v < P_REFUSE_ONLINE + P_WITHDRAW)
    stop = (v >= P_REFUSE_ONLINE + P_WITHDRAW) & (v < P_REFUSE_ONLINE + P_WITHDRAW + P_STOP)
    ks = 1 if P >= 1 else 0
    has_sup = (rng.random(n) < P_SUPPLEMENT.get(case.field_code, P_SUPPLEMENT_DEFAULT)) & ~stuck & ~refused_online
    sup_refused = has_sup & (rng.random(n) < P_SUPPLEMENT_REFUSED) & ~withdraw & ~stop
    sup_ok = has_sup & ~sup_refused
    ps_raw = _sec(np, starts[:, ks] + 0.5 * dur[:, ks])
    p_sup = _sec(np, rng.uniform(4, 40, n))
    kp = P - 1 if P >= 1 else 0
    if case.moment == "during_processing" and case.fee_total > 0:
        has_pay = ~refused_online.copy()
    elif case.field_code == "DD":
        has_pay = (rng.random(n) < 0.5) & ~refused_online
    else:
        has_pay = np.zeros(n, dtype=bool)
    has_pay &= ~sup_refused
    pp_raw = _sec(np, starts[:, kp] + 0.6 * dur[:, kp])
    p_pay = _sec(np, rng.uniform(2, 24, n))
    obligation = np.where(case.moment == "during_processing" and case.fee_total > 0, case.fee_total,
                          (rng.lognormal(14.2, 0.9, n) // 1000 * 1000).astype(np.int64))

    def shifted(raw):
        return (raw + np.where(sup_ok & (ps_raw < raw), p_sup, 0.0)
                + np.where(has_pay & (pp_raw < raw), p_pay, 0.0))

    def at(pos):
        return _addh(w, counting, pos)

    t_fwd = [None] + [at(shifted(ends[:, j - 1])) for j in range(1, P + 1)]
    t_fin = at(shifted(ends[:, P]))
    fin_pos = shifted(ends[:, P])
    t_ps = at(ps_raw)
    t_pe = at(ps_raw + p_sup)
    pp = pp_raw + np.where(sup_ok & (ps_raw < pp_raw), p_sup, 0.0)
    t_pp, t_ppe = at(pp), at(pp + p_pay)
    t_sup_refused = at(ps_raw + _sec(np, rng.uniform(60, 150, n)))
    withdraw &= ~refused_online
    stop &= ~refused_online
    # apology letters: part of the late dossiers, without waits, at least a working day before the appointment
    lead = rng.uniform(*APOLOGY_LEAD_HOURS, n)
    apol = (late & ~refused_online & ~has_sup & ~has_pay & ~withdraw & ~stop & (rng.random(n) < P_APOLOGY)
            & (budget - lead > ends[:, 0] + 0.1)) if not case.no_appointment else np.zeros(n, dtype=bool)
    t_apol = np.where(apol, at(np.maximum(budget - lead, 0.05)), NAT)
    j_apol = np.zeros(n, dtype=np.int64)
    for j in range(1, P + 1):
        j_apol += (apol & (t_fwd[j] <= t_apol)).astype(np.int64)
    merits = rng.random(n) < P_REFUSE_MERITS
    t_alt = np.where(withdraw | stop, at(_sec(np, rng.uniform(0.1, 0.95, n) * fin_pos)), NAT)
    # every ordinary transition happens strictly before `cut`
    cut = np.where(withdraw | stop, t_alt, NEVER)
    cut = np.where(refused_online, rec, cut)
    cut = np.where(sup_refused, t_ps + US, cut)
    # return: online results online/by post, counter ones mostly collected at the desk
    full_online = case.online_level == "full"
    r = rng.random(n)
    method = np.where(online, np.where(full_online & (r < 0.6), "online", np.where(r < 0.8, "post", "counter")),
                      np.where(ch == POST, "post", np.where(r < 0.9, "counter", "post"))).astype(object)
    ret_hours = np.where(method == "online", rng.uniform(0.05, 2, n),
                         np.where(method == "post", rng.uniform(4, 24, n), rng.lognormal(1.6, 1.0, n)))
    never = (method == "counter") & (rng.random(n) < P_NEVER_COLLECTED)
    t_ret = np.where(never, NAT, _addh(w, t_fin, np.minimum(ret_hours, 400)))

    # step deadlines
    enter = [rec] + t_fwd[1:]
    st_due = [_add_unit(w, enter[j], np.full(n, steps[j].amount), steps[j].unit) for j in range(P + 1)]
    due_ret = _add_unit(w, t_fin, np.full(n, steps[R].amount), steps[R].unit) if R is not None else None

    # ---- the transitions, in time order
    owner_n = g.owner
    clerk0 = h[0]
    if online.any():
        g.emit(online, sub, "submit", SUBMITTED, sender=NULL, sender_name=owner_n, to_step=NULL, agency=rcv,
               role="clerk", receiver=NULL, due=NAT, comment="Nộp hồ sơ trực tuyến", creation=True)
    refuse_reason = np.array(REFUSE_REASONS, dtype=object)[rng.integers(0, len(REFUSE_REASONS), n)]
    g.emit(refused_online, rec, "refuse", REFUSED, sender=clerk0, receiver=NULL, comment=refuse_reason)
    accepted = g.emit(online & (rec < cut), rec, "accept", RECEIVED, sender=clerk0, to_step=0,
                      agency=st_agency[0], role=steps[0].role, receiver=clerk0, due=st_due[0],
                      comment="Tiếp nhận hồ sơ trực tuyến")
    accepted |= g.emit(~online, rec, "receive", RECEIVED, sender=clerk0, to_step=0, agency=st_agency[0],
                       role=steps[0].role, receiver=clerk0, due=st_due[0], comment="Tiếp nhận hồ sơ", creation=True)
    sup_reason = np.array(SUPPLEMENT_REASONS, dtype=object)[rng.integers(0, len(SUPPLEMENT_REASONS), n)]
    sup_req = np.zeros(n, dtype=bool)
    sup_end = np.full(n, NAT, dtype=np.int64)
    pay_req = np.zeros(n, dtype=bool)
    pay_end = np.full(n, NAT, dtype=np.int64)
    due_now = due0.copy()
    apologised = np.full(n, NAT, dtype=np.int64)

    def pause_shift(start_t, hours, done):
        """Due times move by the paused working time (only if the pause began before them)."""
        nonlocal due_now
        m = done & (due_now != NAT) & (start_t < due_now)
        if m.any():
            due_now[m] = _addh(w, due_now[m], hours[m])

    for j in range(P + 1):
        if j >= 1:
            g.emit(t_fwd[j] < cut, t_fwd[j], "forward", PROCESSING, sender=h[j - 1], to_step=j,
                   agency=st_agency[j], role=steps[j].role, receiver=h[j], due=st_due[j], prev_due=st_due[j - 1],
                   from_step=True)
        if j == ks:
            sup_req = g.emit(has_sup & (t_ps < cut), t_ps, "request_supplement", SUPPLEMENT, sender=h[j],
                             comment=sup_reason)
            if online.any():
                t_sub2 = np.maximum(t_pe - (rng.uniform(0.2, 3, n) * HOUR).astype(np.int64), t_ps + 60 * US)
                t_sub2 -= t_sub2 % US
                g.emit(sup_req & sup_ok & online & (t_sub2 < cut), t_sub2, "submit_supplement", SUPPLEMENT,
                       sender=NULL, sender_name=owner_n, comment="Nộp hồ sơ bổ sung")
            step_due_shift = st_due[j].copy()
            m = st_due[j] > t_ps
            step_due_shift[m] = _addh(w, st_due[j][m], p_sup[m])
            done = g.emit(sup_req & sup_ok & (t_pe < cut), t_pe, "accept_supplement", PROCESSING, sender=h[j],
                          due=np.where(sup_ok, step_due_shift, st_due[j]), comment="Tiếp nhận hồ sơ bổ sung")
            sup_end = np.where(done, t_pe, sup_end)
            pause_shift(t_ps, p_sup, done)
            st_due[j] = np.where(done, step_due_shift, st_due[j])
            g.emit(sup_req & sup_refused, t_sup_refused, "refuse_after_supplement", REFUSED,
                   sender=clerk0, comment=SUPPLEMENT_REFUSED_REASON)
        if j == kp and has_pay.any():
            amount_txt = [f" ({x:,} đồng)".replace(",", ".") for x in obligation.tolist()]
            pay_req = g.emit(has_pay & (t_pp < cut), t_pp, "request_payment", PAYMENT, sender=h[j],
                             comment=np.array(["Yêu cầu thực hiện nghĩa vụ tài chính" + a for a in amount_txt],
                                              dtype=object))
            step_due_shift = st_due[j].copy()
            m = st_due[j] > t_pp
            step_due_shift[m] = _addh(w, st_due[j][m], p_pay[m])
            done = g.emit(pay_req & (t_ppe < cut), t_ppe, "confirm_payment", PROCESSING,
                          sender=np.where(online, NULL, h[j]), due=step_due_shift,
                          comment="Đã thực hiện nghĩa vụ tài chính")
            pay_end = np.where(done, t_ppe, pay_end)
            pause_shift(t_pp, p_pay, done)
            st_due[j] = np.where(done, step_due_shift, st_due[j])
        if j >= 1 and apol.any():
            here = apol & (j_apol == j)
            new_due = np.maximum(_addh(w, t_fin, rng.uniform(0.5, 16, n)), due_now + HOUR)
            new_due -= new_due % US
            apol_txt = np.array([f"{REASON_LATE}\nHẹn cũ: {_iso(a)} → hẹn mới: {_iso(b)}" if ok else ""
                                 for a, b, ok in zip(due_now.tolist(), new_due.tolist(), here.tolist())], dtype=object)
            done = g.emit(here & (t_apol < cut), t_apol, "apologise", PROCESSING, sender=leader_cmp, comment=apol_txt)
            apologised = np.where(done, new_due, apologised)
    summary = case.result_name or case.name
    if R is not None:
        fin_kw = dict(to_step=R, agency=st_agency[R], role="clerk", receiver=NULL, due=due_ret)
    else:
        fin_kw = dict(to_step=NULL, agency=rcv, role="clerk", receiver=NULL, due=NAT)
    merits_reason = np.array(MERITS_REASONS, dtype=object)[rng.integers(0, len(MERITS_REASONS), n)]
    refused_merits = g.emit(merits & (t_fin < cut), t_fin, "refuse_on_merits", FINISHED, sender=h[P],
                            prev_due=st_due[P], from_step=True, comment=merits_reason, **fin_kw)
    finished = g.emit(~merits & (t_fin < cut), t_fin, "finish", FINISHED, sender=h[P], prev_due=st_due[P],
                      from_step=True, comment=f"Có kết quả: {summary}"[:1000], **fin_kw) | refused_merits
    returned_to = owner_n
    returned = g.emit(finished & (t_ret < cut), t_ret, "return_result", RETURNED, sender=clerk_ret, receiver=NULL,
                      prev_due=due_ret if due_ret is not None else None, from_step=True,
                      comment=np.array([f"Trả kết quả cho {x}" for x in returned_to.tolist()], dtype=object))
    wd_reason = np.array(WITHDRAW_REASONS, dtype=object)[rng.integers(0, len(WITHDRAW_REASONS), n)]
    stop_reason = np.array(STOP_REASONS, dtype=object)[rng.integers(0, len(STOP_REASONS), n)]
    open_now = np.isin(g.status, list(OPEN))
    wd = g.emit(withdraw & open_now, t_alt, "withdraw", WITHDRAWN, sender=clerk_ret, receiver=NULL,
                comment=wd_reason)
    st = g.emit(stop & open_now & (g.status != SUBMITTED), t_alt, "stop", STOPPED, sender=leader_cmp,
                receiver=NULL, comment=stop_reason)

    # ---- dossier columns
    due_final = due_now  # the original appointment moved by the waits: outcomes are judged against it
    fin_ok = finished
    judged = fin_ok | st  # stopped dossiers count as handled (the default "dossiers.counted_closures" rule)
    t_judged = np.where(fin_ok, t_fin, np.where(st, t_alt, NAT))
    outcome = np.full(n, "", dtype=object)
    if judged.any():
        nodue = due_final == NAT
        same_day = (t_judged // (86400 * US)) == (due_final // (86400 * US))
        outcome = np.where(~judged, "", np.where(nodue, "on_time", np.where(
            t_judged > due_final, "late", np.where(same_day, "on_time", "early")))).astype(object)
    received = accepted
    refused = g.status == REFUSED
    closed_at = np.full(n, NAT, dtype=np.int64)
    closed_at = np.where(returned, t_ret, closed_at)
    closed_at = np.where(wd | st, t_alt, closed_at)
    closed_at = np.where(refused, g.last, closed_at)
    reason = np.full(n, "", dtype=object)
    reason = np.where(sup_req, sup_reason, reason)
    reason = np.where(refused & refused_online, refuse_reason, reason)
    reason = np.where(refused & ~refused_online, SUPPLEMENT_REFUSED_REASON, reason)
    reason = np.where(wd, wd_reason, reason)
    reason = np.where(st, stop_reason, reason)
    reason = np.where(refused_merits, merits_reason, reason)
    signer = w.staff_names[h[P]]
    yy = (np.where(fin_ok, t_fin, 0) // (86400 * US)).astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    result_number = np.array([f"{i % 9000 + 1}/{y}/KQ-{case.field_code}" if ok else ""
                              for i, y, ok in zip(g.ids.tolist(), yy.tolist(), fin_ok.tolist())], dtype=object)
    D["status"][rows] = g.status
    D["current_step_id"][rows] = np.array([s.id for s in steps] + [NULL], dtype=np.int64)[g.step]
    D["current_agency"][rows] = g.agency
    D["current_role"][rows] = g.role
    D["current_handler"][rows] = np.where(np.isin(g.status, list(OPEN)), g.handler, NULL)
    D["step_due_at"][rows] = g.due
    D["received_at"][rows] = np.where(received, rec, NAT)
    D["received_by"][rows] = np.where(received, clerk0, NULL)
    D["counting_from"][rows] = np.where(received, counting, NAT)
    D["due_at"][rows] = np.where(received, np.where(apologised != NAT, apologised, due_final), NAT)
    D["original_due_at"][rows] = np.where(received, due_final, NAT)
    D["extensions"][rows] = (apologised != NAT).astype(np.int64)
    D["finished_at"][rows] = np.where(fin_ok, t_fin, NAT)
    D["handled_at"][rows] = np.where(judged, t_judged, NAT)
    D["result_kind"][rows] = np.where(refused_merits, "refused", np.where(fin_ok, "granted", "")).astype(object)
    D["returned_at"][rows] = np.where(returned, t_ret, NAT)
    D["closed_at"][rows] = closed_at
    D["outcome"][rows] = outcome
    D["result_summary"][rows] = np.where(refused_merits, "Từ chối giải quyết: " + merits_reason.astype(str),
                                         np.where(fin_ok, summary[:1000], ""))
    D["result_number"][rows] = result_number
    D["result_signer"][rows] = np.where(fin_ok, signer, "")
    D["result_signed_at"][rows] = np.where(fin_ok, t_fin // (86400 * US), NAT)
    D["return_method"][rows] = np.where(returned, method, "")
    D["returned_to"][rows] = np.where(returned, returned_to, "")
    D["reason"][rows] = reason
    D["supplement_requests"][rows] = sup_req.astype(np.int64)
    D["version"][rows] = 1 + g.count
    D["updated_at"][rows] = np.where(g.last == NAT, sub, g.last)
    D["subject"][rows] = case.name[:500]
    D["procedure_id"][rows] = case.procedure_id
    D["case_id"][rows] = case.id
    D["filer"][rows] = case.authorised_filing & (rng.random(n) < 0.06)

    # ---- pauses
    ids = g.ids
    for req, t_start, t_end, reason_code, note in (
            (sup_req, t_ps, sup_end, "supplement", [f"resume:{PROCESSING}"] * n),
            (pay_req, t_pp, pay_end, "payment", [f"amount:{x}" for x in obligation.tolist()])):
        if not req.any():
            continue
        ended = np.where(t_end != NAT, t_end, np.where((closed_at != NAT) & (closed_at >= t_start), closed_at, NAT))
        m = np.nonzero(req)[0]
        pauses["dossier_id"].append(ids[m])
        pauses["reason"].append([reason_code] * len(m))
        pauses["started_at"].append(t_start[m])
        pauses["ended_at"].append(ended[m])
        pauses["note"].append([note[i] for i in m.tolist()])

    # ---- payments (fees of the catalogue)
    if case.fee_total <= 0:
        return
    if case.moment == "at_return":
        has = fin_ok
        created = t_fin
        paid = np.where(returned, t_ret, NAT)
        pmethod = np.where(returned & (method != "counter"), "online", "counter")
        creator = np.where(returned, clerk_ret, NULL)
    elif case.moment == "during_processing":
        has = pay_req
        created = t_pp
        paid = pay_end
        pmethod = np.where(online, "online", "counter")
        creator = h[kp]
    else:  # before reception: online with the submission, at the desk on reception
        has = (online & ~refused_online) | (~online & received)
        pay_online = online | case.online_payment_required & (ch == POST)
        created = np.where(online, sub, rec)
        paid = np.where(pay_online, created + (rng.uniform(1, 25, n) * 60).astype(np.int64) * US, rec)
        paid = np.where(paid <= ctx.end, paid, NAT)
        pmethod = np.where(pay_online, "online", "counter")
        creator = np.where(online, NULL, clerk0)
    m = np.nonzero(has)[0]
    if not len(m):
        return
    k = len(m)
    pids = ctx.payment_id + np.arange(k, dtype=np.int64)
    ctx.payment_id += k
    pm = pmethod[m]
    paid_m = paid[m]
    is_paid = paid_m != NAT
    online_paid = is_paid & (pm == "online")
    counter_paid = is_paid & (pm == "counter")
    collector = np.where(pm == "counter", np.where(creator[m] == NULL, clerk_ret[m], creator[m]), NULL)
    pay["id"].append(pids)
    pay["dossier_id"].append(ids[m])
    pay["agency_id"].append(w.agency_ids[rcv[m]])
    pay["moment"].append([case.moment] * k)
    pay["method"].append(pm.tolist())
    pay["status"].append(np.where(is_paid, "paid", "pending").tolist())
    pay["amount"].append(np.full(k, case.fee_total, dtype=np.int64))
    pay["description"].append([f"Nộp phí, lệ phí hồ sơ {ctx.chunk_codes[i]}"[:300] for i in rows[m].tolist()])
    pay["payer_name"].append([x[:200] for x in owner_n[m].tolist()])
    pay["channel"].append(np.where(online_paid, np.array(["QR", "ATM", "VI_DIEN_TU", "THE_QUOC_TE"], dtype=object)[
        rng.integers(0, 4, k)], np.where(counter_paid, "TIEN_MAT", "")).tolist())
    pay["gateway_transaction_id"].append([f"SLGD{p:012d}" if o else None for p, o in zip(pids.tolist(),
                                                                                         online_paid.tolist())])
    pay["gateway_status"].append(np.where(online_paid, "00", "").tolist())
    pay["started_at"].append(np.where(pm == "online", created[m], NAT))
    pay["paid_at"].append(paid_m)
    pay["counter_receipt_no"].append([f"{p % 100000:05d}/BL-{case.field_code}" if c else ""
                                      for p, c in zip(pids.tolist(), counter_paid.tolist())])
    pay["collected_by_id"].append(w.staff_ids[np.where(counter_paid, collector, NULL)])
    pay["created_by_id"].append(w.staff_ids[creator[m]])
    pay["created_at"].append(created[m])
    pay["case"].append([case] * k)


def _write_payments(ctx, pay) -> None:
    np = ctx.np
    if not pay["id"]:
        return
    ids = np.concatenate(pay["id"])
    k = len(ids)

    def flat(name):
        return [x for p in pay[name] for x in p]

    def cat(name):
        return np.concatenate(pay[name])

    cases = flat("case")
    ctx.loader.write("payments_paymentrequest", [
        ("id", "i", ids), ("dossier_id", "i", cat("dossier_id")), ("agency_id", "i", cat("agency_id")),
        ("reference", "s", [f"SL{p:012d}" for p in ids.tolist()]), ("moment", "s", flat("moment")),
        ("method", "s", flat("method")), ("status", "s", flat("status")), ("amount", "i", cat("amount")),
        ("description", "s", flat("description")), ("note", "s", ""), ("payer_name", "s", flat("payer_name")),
        ("partner_code", "s", ""), ("channel", "s", flat("channel")),
        ("gateway_transaction_id", "s", flat("gateway_transaction_id")),
        ("gateway_status", "s", flat("gateway_status")), ("gateway_status_at", "t", cat("paid_at")),
        ("started_at", "t", cat("started_at")), ("paid_at", "t", cat("paid_at")),
        ("counter_receipt_no", "s", flat("counter_receipt_no")), ("collected_by_id", "i", cat("collected_by_id")),
        ("cancel_reason", "s", ""), ("refund_reason", "s", ""), ("refund_transaction_id", "s", ""),
        ("created_by_id", "i", cat("created_by_id")), ("created_at", "t", cat("created_at")),
        ("updated_at", "t", np.where(cat("paid_at") != NAT, cat("paid_at"), cat("created_at"))),
    ], k)
    # lines: one per fee of the case
    line_pay, line_pos, line_kind, line_name, line_amount, line_fee = [], [], [], [], [], []
    for pid, case in zip(ids.tolist(), cases):
        for pos, (fee_id, kind, name, amount) in enumerate(case.fees, 1):
            line_pay.append(pid)
            line_pos.append(pos)
            line_kind.append(kind)
            line_name.append(name[:500])
            line_amount.append(amount)
            line_fee.append(fee_id)
    ctx.loader.write("payments_paymentline", [
        ("payment_id", "i", np.array(line_pay, dtype=np.int64)), ("position", "i", np.array(line_pos)),
        ("kind", "s", line_kind), ("name", "s", line_name), ("amount", "i", np.array(line_amount, dtype=np.int64)),
        ("fee_id", "i", np.array(line_fee, dtype=np.int64))], len(line_pay))


def _write_evaluations(ctx, rng, D, plan) -> None:
    np = ctx.np
    w = ctx.world
    n = len(D["status"])
    returned = D["status"] == RETURNED
    p = np.select([plan["channel"] == ONLINE, plan["channel"] == COUNTER], [P_EVALUATE[ONLINE], P_EVALUATE[COUNTER]],
                  P_EVALUATE[POST])
    at = D["returned_at"] + (rng.uniform(0.05, 72, n) * HOUR).astype(np.int64)
    at -= at % US
    m = np.nonzero(returned & (rng.random(n) < p) & (at <= ctx.end))[0]
    if not len(m) or not w.criteria:
        return
    k = len(m)
    late = D["outcome"][m] == "late"
    r = rng.random(k)
    levels = np.array(["very_satisfied", "satisfied", "not_satisfied"], dtype=object)
    overall = np.where(late, np.select([r < 0.2, r < 0.65], [0, 1], 2), np.select([r < 0.64, r < 0.97], [0, 1], 2))
    eids = ctx.evaluation_id + np.arange(k, dtype=np.int64)
    ctx.evaluation_id += k
    has_comment = rng.random(k) < 0.12
    comments = [rng.choice(EVALUATION_COMMENTS[levels[o]]) if c else ""
                for o, c in zip(overall.tolist(), has_comment.tolist())]
    ctx.loader.write("evaluations_evaluation", [
        ("id", "i", eids), ("dossier_id", "i", ctx.chunk_ids[m]), ("citizen_id", "i", NULL),
        ("overall", "s", levels[overall].tolist()), ("comment", "s", [str(c) for c in comments]),
        ("created_at", "t", at[m])], k)
    c = len(w.criteria)
    crit_ids = np.array([cid for cid, _ in w.criteria], dtype=np.int64)
    is_overall = np.array([code == "overall" for _, code in w.criteria])
    rating = np.repeat(overall, c)
    drift = rng.random(k * c)
    rating = np.where(drift < 0.10, np.minimum(rating + 1, 2), np.where(drift < 0.18, np.maximum(rating - 1, 0),
                                                                         rating))
    rating = np.where(np.tile(is_overall, k), np.repeat(overall, c), rating)
    ctx.loader.write("evaluations_criterionrating", [
        ("evaluation_id", "i", np.repeat(eids, c)), ("criterion_id", "i", np.tile(crit_ids, k)),
        ("rating", "s", levels[rating].tolist())], k * c)
