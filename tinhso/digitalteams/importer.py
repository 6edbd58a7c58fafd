"""Import of teams and members from Excel (one row per member; the team is
created the first time it appears). PARTIAL: every good row is saved, every
bad row is listed with its row number and reason and changes nothing; a row
already present (same team, name and phone) is counted as unchanged, so the
same file can be imported again."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.agencies.models import Agency, AgencyKind
from tinhso.audit.actions import record
from tinhso.core import spreadsheets
from tinhso.core.errors import DomainError, InvalidInput
from tinhso.core.text import fold
from tinhso.digitalteams import actions
from tinhso.digitalteams.models import Member, MemberRole, Team

MAX_ROWS = 20000
COLUMNS = {  # folded header → field
    "xa phuong": "commune", "ma ubnd xa phuong": "commune_code", "ten to": "team", "ap khu vuc to dan pho": "hamlet",
    "ho va ten": "full_name", "vai tro": "role", "dien thoai": "phone", "thu dien tu": "email",
}
ROLE_WORDS = {"to truong": MemberRole.LEADER, "to pho": MemberRole.DEPUTY, "thanh vien": MemberRole.MEMBER,
              "": MemberRole.MEMBER}
HEADERS = ["Xã, phường", "Mã UBND xã, phường", "Tên tổ", "Ấp, khu vực, tổ dân phố", "Họ và tên", "Vai trò",
           "Điện thoại", "Thư điện tử"]


@dataclass
class ImportResult:
    teams_created: int = 0
    members_added: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)  # {"row": n, "message": ...}


def template_xlsx() -> bytes:
    return spreadsheets.template_xlsx("To cong nghe so", HEADERS, [
        "Phường Ninh Kiều", "", "Tổ công nghệ số khu vực 1", "Khu vực 1", "Nguyễn Văn A", "Tổ trưởng", "0912345678",
        ""])


def _read(upload) -> spreadsheets.Sheet:
    from tinhso.dossiers.uploads import check_upload

    checked = check_upload(upload, "file", allowed=spreadsheets.XLSX, label="XLSX", limit=spreadsheets.UPLOAD_LIMIT)
    return spreadsheets.read_sheet(checked.data, COLUMNS, required=["team", "full_name", ("commune", "commune_code")],
                                   headers=HEADERS, max_rows=MAX_ROWS)


@transaction.atomic
def import_members(*, acting_user, upload) -> ImportResult:
    sheet = _read(upload)
    communes = list(Agency.objects.filter(kind=AgencyKind.COMMUNE_COMMITTEE, is_active=True).select_related("unit"))
    by_code = {a.code: a for a in communes}
    by_name = {}
    for a in communes:
        by_name.setdefault(fold(a.unit.name), a)
        by_name.setdefault(fold(a.name), a)
    result = ImportResult()
    for number, raw in sheet.rows:
        values = {name: spreadsheets.cell_text(v) for name, v in raw.items()}
        try:
            with transaction.atomic():
                _row(acting_user, values, by_code, by_name, result)
        except DomainError as exc:
            result.errors.append({"row": number, "message": exc.message})
    if sheet.truncated:
        result.errors.append({"row": MAX_ROWS + 2, "message": _("Tệp quá %(n)s dòng; các dòng sau không được đọc.")
                              % {"n": MAX_ROWS}})
    record(actor=acting_user, action="digitalteams.imported", note=getattr(upload, "name", "")[:200],
           changes={"teams_created": result.teams_created, "members_added": result.members_added,
                    "unchanged": result.unchanged, "bad_rows": len(result.errors)})
    return result


def _row(acting_user, values, by_code, by_name, result: ImportResult) -> None:
    agency = by_code.get(values.get("commune_code", "")) or by_name.get(fold(values.get("commune", "")))
    if agency is None:
        raise InvalidInput(_("Không tìm thấy UBND xã, phường “%(name)s”.")
                           % {"name": values.get("commune_code") or values.get("commune") or "—"})
    role = ROLE_WORDS.get(fold(values.get("role", "")))
    if role is None:
        raise InvalidInput(_("Vai trò “%(role)s” không hợp lệ (tổ trưởng, tổ phó, thành viên).")
                           % {"role": values.get("role")})
    actions._require_manage(acting_user, agency)
    name = actions._text(values.get("team"), "team", _("tên tổ"), 200)
    full_name = actions._text(values.get("full_name"), "full_name", _("họ và tên"), 200)
    phone = actions._phone(values.get("phone", ""))
    team = Team.objects.filter(agency=agency, name=name).first()
    created = team is None
    if created:
        team = actions.create_team(acting_user=acting_user, agency=agency, name=name, hamlet=values.get("hamlet", ""))
    elif Member.objects.filter(team=team, full_name=full_name, phone=phone).exists():
        result.unchanged += 1
        return
    actions.add_member(acting_user=acting_user, team_id=team.pk, full_name=full_name, role=role, phone=phone,
                       email=values.get("email", ""))
    # Counted only once the whole row is saved: a row failing after its new team was made rolls the team back
    # with it (the row's savepoint), so it must not be reported as created.
    result.teams_created += created
    result.members_added += 1
