"""The structure a province-year needs: agencies for every commune, generated staff, and the
catalogue's cases with their steps, routes and fees (`World`)."""

from __future__ import annotations

import datetime
import zlib
from dataclasses import dataclass, field

from django.utils import timezone

from tinhso.demo.province_year.common import NULL, STAFF_PREFIX, _clean, _np
from tinhso.demo.province_year.distributions import FAMILY, GIVEN, MIDDLE, POPULARITY


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
    # papers filed: the required ones and those a national database or the data store holds (an identity paper is
    # optional only because the database may supply it): (id, name, originals, copies, data store, national source)
    components: list = field(default_factory=list)
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
    index: dict  # agency id -> index
    communes: list  # (unit id, unit name, committee index, centre index, weight)
    cases: list
    staff_ids: object  # numpy: staff position -> user id
    staff_names: object  # numpy object: staff position -> full name ('' at -1)
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
          .select_related("procedure", "procedure__field").prefetch_related("steps", "fees", "components")
          .order_by("procedure__code", "position", "id"))
    rules = {}
    for rule in ImplementingAgency.objects.effective(day).filter(agency__isnull=False).order_by("position", "id"):
        rules.setdefault((rule.procedure_id, rule.role, rule.level), rule.agency_id)
    from tinhso.dossiers.policies import finish_roles

    # who may finish is the dated rule "dossiers.finish_roles" in force at the end of the period
    noon = datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())
    closing_roles = finish_roles(None, noon)
    for c in qs:
        steps = sorted(c.steps.all(), key=lambda s: s.order)
        finish = max((i for i, s in enumerate(steps) if s.role in closing_roles), default=None)
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
            fee_total=sum(f[3] for f in fees),
            components=[(r.id, _clean(r.name), r.originals, r.copies, r.reusable_from_data_store, r.national_source)
                        for r in sorted(c.components.all(), key=lambda r: (r.order, r.id))
                        if r.required or r.national_source or r.reusable_from_data_store][:6])
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
        index=index, communes=communes, cases=cases, staff_ids=np.array(staff_ids + [NULL], dtype=np.int64),
        staff_names=np.array(staff_names + [""], dtype=object), criteria=criteria,
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
