"""The directory's JSON (/api/v1/directory)."""

from __future__ import annotations

from ninja import Router, Schema
from ninja.security import django_auth

from tinhso.core.api import ErrorOut

router = Router(tags=["Danh bạ, hộp thư công vụ, chứng thư số"])


class PublicEntry(Schema):
    name: str
    title: str
    agency: str
    email: str
    office_phone: str


class AgencyCount(Schema):
    agency_code: str
    agency: str
    email_accounts: int
    certificates: int


@router.get("/search", auth=None, response=list[PublicEntry], summary="Tra cứu danh bạ công khai",
            description="Chỉ các cơ quan tỉnh đã công khai danh bạ (tham số `directory.public`); chỉ họ tên, chức vụ, "
                        "cơ quan, thư công vụ, điện thoại cơ quan. Tối đa 50 kết quả.")
def search(request, q: str = ""):
    from tinhso.directory import queries

    rows = queries.entries(q[:100], queries.public_agencies())[:50] if q.strip() else []
    return [{"name": e.user.get_full_name(), "title": e.user.job_title, "agency": e.agency.name,
             "email": queries.official_email(e), "office_phone": e.office_phone} for e in rows]


@router.get("/counts", auth=django_auth, response={200: list[AgencyCount], 401: ErrorOut},
            summary="Số hộp thư công vụ đang hoạt động và chứng thư số còn hiệu lực theo cơ quan")
def counts(request):
    from tinhso.directory.queries import counts_by_agency

    return [{"agency_code": c["agency"].code, "agency": c["agency"].name, "email_accounts": c["email_accounts"],
             "certificates": c["certificates"]} for c in counts_by_agency()]
