"""Demo community digital technology teams for the Cần Thơ demo communes:
two or three teams per commune (one per hamlet or residential area), their
members, a training each and five months of logged help. Idempotent: a
commune that already has teams is left alone."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from tinhso.agencies.models import Agency, AgencyKind
from tinhso.audit.actions import record
from tinhso.digitalteams.models import Activity, ActivityKind, Member, MemberRole, Team, Training

HAMLETS = {
    "31135": ["Khu vực 1", "Khu vực 3", "Khu vực 5"], "31120": ["Khu vực 2", "Khu vực 4"],
    "31147": ["Khu vực 1", "Khu vực 6"], "31321": ["Khu vực 2", "Khu vực 4", "Khu vực 7"],
    "31465": ["Ấp 1", "Ấp 3"], "31507": ["Khóm 2", "Khóm 5"],
}
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ", "Lý", "Thạch", "Lâm"]
MIDDLE = ["Văn", "Thị", "Minh", "Hoàng", "Ngọc", "Thanh", "Quốc", "Kim"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Hạnh", "Khánh", "Lộc", "Mai", "Nhân", "Phúc", "Quyên", "Sang", "Tâm", "Thảo",
         "Trí", "Vy"]
PLACES = ["Nhà văn hóa", "Điểm sinh hoạt cộng đồng", "Trụ sở UBND", "Chợ", "Trường tiểu học", "Tận nhà người dân"]
KINDS = [ActivityKind.VNEID] * 3 + [ActivityKind.CITIZEN_APP] * 3 + [ActivityKind.ONLINE_DOSSIER] * 2 + [
    ActivityKind.BANK_ACCOUNT] * 2 + [ActivityKind.OTHER]


@transaction.atomic
def seed_teams() -> None:
    rng = random.Random(16)
    today = timezone.localdate()
    for agency in Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True).select_related("unit") \
            .order_by("path"):
        if Team.objects.filter(agency=agency).exists():
            continue
        members_of_commune = []
        for hamlet in HAMLETS.get(agency.unit.code, ["Khu vực 1"]):
            team = Team.objects.create(agency=agency, name=f"Tổ công nghệ số cộng đồng {hamlet}", hamlet=hamlet,
                                       established_on=datetime.date(2025, 9, 1))
            record(actor=None, action="digitalteams.team.created", obj=team, note="demo")
            members = []
            for i in range(rng.randint(4, 6)):
                role = MemberRole.LEADER if i == 0 else MemberRole.DEPUTY if i == 1 else MemberRole.MEMBER
                members.append(Member(team=team, role=role,
                                      full_name=f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                                      phone=f"09{rng.randint(10_000_000, 99_999_999)}"))
            members = Member.objects.bulk_create(members)
            members_of_commune += members
            Activity.objects.bulk_create([Activity(
                team=team, member=rng.choice(members), kind=rng.choice(KINDS), people_helped=rng.randint(1, 25),
                day=today - datetime.timedelta(days=rng.randint(0, 150)),
                place=f"{rng.choice(PLACES)} {hamlet.lower()}") for _ in range(rng.randint(8, 16))])
        training = Training.objects.create(agency=agency, held_on=today - datetime.timedelta(days=100),
                                           topic="Kỹ năng hướng dẫn người dân dùng VNeID và Cổng dịch vụ công",
                                           organiser="Sở Khoa học và Công nghệ")
        training.attendees.set(rng.sample(members_of_commune, min(8, len(members_of_commune))))
