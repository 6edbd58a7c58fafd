"""Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp (and household businesses,
hộ kinh doanh), reached through NDXP: look up an enterprise by tax code
(mã số doanh nghiệp) or a household business by its registration code.

PROTOCOL: UNVERIFIED — the real interface is not public; this is a plausible
JSON-over-HTTPS shape. Check every name in `PROTOCOL` with the operator
(Cục Quản lý đăng ký kinh doanh / the NDXP operator) before production.

    GET {base}/v1/doanh-nghiep/{maSo}
    headers  X-NDXP-Client-Id, X-NDXP-Key
    200      {"maLoi": "00", "doanhNghiep": {"maSo", "tenDoanhNghiep", "loaiHinh", "tinhTrang",
              "diaChiTruSo", "nguoiDaiDienPhapLuat", "ngayDangKyLanDau"}}
             tinhTrang: DANG_HOAT_DONG | TAM_NGUNG | GIAI_THE
    404      {"maLoi": "04", "thongDiep": "..."}
    400/401  {"maLoi": "02" | "01", "thongDiep": "..."}
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import quote

from tinhso.integration import outbound
from tinhso.registries.providers import Provider, text

PROTOCOL = {
    "lookup_path": "/v1/doanh-nghiep/",
    "client_header": "X-NDXP-Client-Id", "key_header": "X-NDXP-Key",
    "error_code": "maLoi", "message": "thongDiep", "business": "doanhNghiep",
    "code": "maSo", "name": "tenDoanhNghiep", "type": "loaiHinh", "status": "tinhTrang",
    "address": "diaChiTruSo", "representative": "nguoiDaiDienPhapLuat", "registered_on": "ngayDangKyLanDau",
    "statuses": {"DANG_HOAT_DONG": "active", "TAM_NGUNG": "suspended", "GIAI_THE": "dissolved"},
}
P = PROTOCOL
CODE = re.compile(r"^[0-9A-Z]{8,14}(-[0-9]{3})?$")
STATUS_LABELS = {"active": "Đang hoạt động", "suspended": "Tạm ngừng kinh doanh", "dissolved": "Đã giải thể"}


class BusinessProvider(Provider):
    service = "business-registry"
    name = "CSDL quốc gia về đăng ký doanh nghiệp"
    setting = "BUSINESS_REGISTRY"
    sandbox_path = "business"

    def lookup(self, code: str, *, purpose: str, subject: str = "") -> dict | None:
        """The business registered under `code`, or None when there is none."""
        endpoint = self.endpoint()

        def fetch():
            return {"business": outbound.call(
                self.service, "GET", endpoint.base_url + P["lookup_path"] + quote(code), purpose=purpose,
                subject=subject, check=self._read,
                headers={P["client_header"]: endpoint.client_id, P["key_header"]: endpoint.key})}

        return self.cached("lookup", {"code": code}, fetch)["business"]

    def _read(self, response) -> dict | None:
        data = self.json_of(response)
        if response.status_code == 404 and P["error_code"] in data:
            return None
        if response.status_code != 200:
            raise self.bad(f"HTTP {response.status_code} {data.get(P['error_code'])}: "
                           f"{str(data.get(P['message']) or '')[:200]}")
        try:
            raw = data[P["business"]]
            status = P["statuses"][raw[P["status"]]]
            return {"code": text(raw[P["code"]], 20), "name": text(raw[P["name"]], 300),
                    "type": text(raw.get(P["type"]), 200), "status": status, "status_label": STATUS_LABELS[status],
                    "address": text(raw.get(P["address"]), 300),
                    "representative": text(raw.get(P["representative"]), 200),
                    "registered_on": datetime.date.fromisoformat(text(raw[P["registered_on"]], 10)).isoformat()}
        except (KeyError, TypeError, ValueError) as exc:
            raise self.bad(f"dữ liệu doanh nghiệp sai cấu trúc: {exc.__class__.__name__}") from None


provider = BusinessProvider()
