"""The back-office menu: each entry names the roles that see it. Pages check
permission themselves; hiding a link is a convenience, not security."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import Role
from tinhso.accounts.permissions import user_roles
from tinhso.dashboard.access import VIEW_ROLES as DASHBOARD_ROLES

STAFF = tuple(Role.values)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...]


MENU = [
    NavItem(_("Tổng quan"), "backoffice:home", STAFF),
    NavItem(_("Hồ sơ"), "dossiers:inbox", STAFF),
    NavItem(_("Tiếp nhận hồ sơ"), "dossiers:receive", (Role.CLERK,)),
    NavItem(_("Sổ theo dõi"), "dossiers:book", STAFF),
    NavItem(_("Bảng điều hành"), "dashboard:index", DASHBOARD_ROLES),
    NavItem(_("Chỉ số phục vụ (QĐ 766)"), "serviceindex:index", DASHBOARD_ROLES),
    NavItem(_("Chỉ tiêu chuyển đổi số"), "dashboard:programme", DASHBOARD_ROLES),
    NavItem(_("Tự đánh giá DTI"), "reports:dti", DASHBOARD_ROLES),
    NavItem(_("Phản ánh hiện trường"), "fieldreports:staff_queue", (Role.OPERATIONS_CENTRE, Role.SPECIALIST,
                                                                    Role.HEAD_OF_DIVISION, Role.LEADER)),
    NavItem(_("Cảnh báo thời tiết"), "citizenapp:warnings", (Role.OPERATIONS_CENTRE, Role.SYSTEM_ADMIN)),
    NavItem(_("Văn bản"), "officialdocs:inbox", (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER,
                                                 Role.CLERICAL_OFFICE)),
    NavItem(_("Họp trực tuyến"), "meetings:index", (Role.LEADER, Role.HEAD_OF_DIVISION, Role.SPECIALIST,
                                                    Role.CLERICAL_OFFICE, Role.CLERK, Role.SYSTEM_ADMIN)),
    NavItem(_("Tổ công nghệ số"), "digitalteams:index", (Role.LEADER, Role.HEAD_OF_DIVISION, Role.SPECIALIST,
                                                         Role.CLERICAL_OFFICE, Role.CLERK, Role.SYSTEM_ADMIN)),
    NavItem(_("Thanh toán"), "payments:staff_list", (Role.CLERK, Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER,
                                                     Role.SYSTEM_ADMIN)),
    NavItem(_("Địa chỉ số"), "addresses:manage", (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER,
                                                   Role.SYSTEM_ADMIN)),
    NavItem(_("Nông sản, truy xuất nguồn gốc"), "farmproducts:index", (Role.SPECIALIST, Role.HEAD_OF_DIVISION,
                                                                        Role.LEADER, Role.SYSTEM_ADMIN)),
    NavItem(_("Lịch công tác"), "schedules:index", (Role.LEADER, Role.CLERICAL_OFFICE, Role.SYSTEM_ADMIN)),
    NavItem(_("Tin tức, thông báo"), "news:index", (Role.LEADER, Role.CLERICAL_OFFICE, Role.SYSTEM_ADMIN)),
    NavItem(_("Giá cả thị trường"), "marketprices:index", (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER,
                                                           Role.SYSTEM_ADMIN)),
    NavItem(_("Hỏi đáp"), "questions:index", (Role.SPECIALIST, Role.HEAD_OF_DIVISION, Role.LEADER,
                                              Role.CLERICAL_OFFICE, Role.SYSTEM_ADMIN)),
    NavItem(_("Thủ tục hành chính"), "catalogue:index", STAFF),
    NavItem(_("Đơn vị hành chính"), "units:index", STAFF),
    NavItem(_("Cơ quan, đơn vị"), "agencies:index", STAFF),
    NavItem(_("Cán bộ, phân quyền"), "accounts:staff_list", (Role.SYSTEM_ADMIN,)),
    NavItem(_("Lịch làm việc"), "workcalendar:index", STAFF),
    NavItem(_("Tích hợp, chia sẻ dữ liệu"), "integration:index", (Role.SYSTEM_ADMIN, Role.AUDITOR)),
    NavItem(_("Đồng bộ Cổng DVC quốc gia"), "nationalportal:report", (Role.SYSTEM_ADMIN, Role.LEADER)),
    NavItem(_("Danh bạ, thư công vụ, chứng thư số"), "directory:index", STAFF),
    NavItem(_("Giám sát an toàn thông tin"), "secwatch:index", (Role.SYSTEM_ADMIN, Role.AUDITOR)),
    NavItem(_("Tham số nghiệp vụ"), "policies:index", (Role.SYSTEM_ADMIN,)),
    NavItem(_("Nhật ký hệ thống"), "backoffice:audit_log", (Role.SYSTEM_ADMIN,)),
    NavItem(_("Thông báo"), "notifications:index", STAFF),
]


def items_for(user, current_path: str = "") -> list[dict]:
    roles = user_roles(user)
    out = []
    for item in MENU:
        if not roles.intersection(item.roles):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": item.label, "url": url, "active": False})
    # The longest matching link is the current one (/dossiers/receive/ over /dossiers/).
    matches = [i for i in out if (current_path == i["url"] if i["url"] == "/" else current_path.startswith(i["url"]))]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return out
