"""The integration platform's JSON (/api/v1/integration)."""

from __future__ import annotations

from ninja import Router, Schema

router = Router(tags=["Tích hợp, chia sẻ dữ liệu"])


class ExternalSystem(Schema):
    code: str
    name: str
    health: str
    breaker: str
    last_ok_at: str | None


class ExternalHealth(Schema):
    status: str
    systems: list[ExternalSystem]


@router.get("/external-systems", auth=None, response=ExternalHealth, summary="Tình trạng các hệ thống quốc gia được kết nối",
            description="Trạng thái của từng hệ thống bên ngoài Tỉnh Số sử dụng (CSDL dân cư, Cổng DVC quốc gia, bưu "
                        "chính …) như Tỉnh Số thấy qua các lần gọi: `ok`, `degraded` (có lỗi gần đây), `down` (cầu dao "
                        "đang ngắt), `unknown` (chưa gọi). Luôn trả 200: hệ thống ngoài lỗi không làm Tỉnh Số ngừng "
                        "tiếp nhận; `status` là `degraded` khi có hệ thống không `ok`.")
def external(request):
    from tinhso.integration.models import Direction, Service
    from tinhso.integration.registry import ensure

    ensure()
    systems = [{"code": s.code, "name": s.name, "health": s.health, "breaker": s.breaker,
                "last_ok_at": s.last_ok_at.isoformat() if s.last_ok_at else None}
               for s in Service.objects.filter(direction=Direction.CONSUMED).order_by("code")]
    degraded = any(s["health"] in ("degraded", "down") for s in systems)
    return {"status": "degraded" if degraded else "ok", "systems": systems}
