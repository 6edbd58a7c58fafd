"""Security events for a SIEM (/api/v1/security): a cursor-paged stream of
JSON lines. A person signed in with the system administrator or auditor
role, or a SIEM as a client system of the integration gateway granted
`security-events` whose service account holds one of those roles."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from ninja import Router

from tinhso.core.api import ErrorOut
from tinhso.integration.gateway import machine_or_person

router = Router(tags=["Giám sát an toàn thông tin"])


@router.get("/events", auth=machine_or_person("security-events"),
            response={200: None, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut, 429: ErrorOut},
            summary="Sự kiện an toàn thông tin dạng JSON lines, theo con trỏ",
            description="Mỗi dòng một sự kiện JSON (id, at, kind, severity, username, address, object, detail), "
                        "theo thứ tự `id` tăng dần, sau `after`; tối đa `limit` (1–10000) dòng. Tiêu đề "
                        "`X-Next-Cursor` là `after` của lần gọi sau (bằng `after` khi hết sự kiện mới). Sự kiện "
                        "mới ghi chưa đủ thời gian chờ (TINHSO_SIEM_SETTLE_SECONDS, mặc định 10 giây) được trả ở "
                        "lần gọi sau, để không bỏ sót sự kiện ghi muộn có `id` nhỏ hơn.")
def events(request, after: int = 0, limit: int = 1000):
    from tinhso.accounts.permissions import require_role
    from tinhso.core.errors import InvalidInput
    from tinhso.secwatch import siem
    from tinhso.secwatch.actions import READERS

    require_role(request.user, READERS)
    if not 1 <= limit <= 10000 or not 0 <= after < 2**63:
        raise InvalidInput("`limit` từ 1 đến 10000, `after` không âm.", code="invalid_cursor")
    rows = siem.settled(after, limit)
    response = StreamingHttpResponse(siem.json_lines(rows), content_type="application/x-ndjson; charset=utf-8")
    response["X-Next-Cursor"] = str(rows[-1].pk if rows else after)
    return response
