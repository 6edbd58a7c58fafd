"""Cơ sở dữ liệu hộ tịch điện tử (Bộ Tư pháp), reached through NDXP: verify
a birth (khai sinh) or marriage (kết hôn) registration by its reference — số
đăng ký, quyển số, nơi đăng ký, ngày đăng ký, người được đăng ký.

PROTOCOL: UNVERIFIED — the real interface is not public; this is a plausible
JSON-over-HTTPS shape. Check every name in `PROTOCOL` with the operator
(Bộ Tư pháp / the NDXP operator) before production.

    POST {base}/v1/ho-tich/xac-thuc
    headers  X-NDXP-Client-Id, X-NDXP-Key
    body     {"loaiViec": "KHAI_SINH" | "KET_HON", "soDangKy", "quyenSo", "noiDangKy", "ngayDangKy",
              "hoTen", "mucDich"}
    200      {"maLoi": "00", "ketQua": "HOP_LE", "banGhi": {"loaiViec", "soDangKy", "quyenSo", "noiDangKy",
              "ngayDangKy", "hoTen", "ngaySinh", "hoTenCha", "hoTenMe", "hoTenVoChong"}}
    200      {"maLoi": "00", "ketQua": "KHONG_HOP_LE", "truongKhongKhop": ["hoTen", ...]}
    404      {"maLoi": "04", "ketQua": "KHONG_TIM_THAY", "thongDiep": "..."}
    400/401  {"maLoi": "02" | "01", "thongDiep": "..."}
"""

from __future__ import annotations

import datetime

from tinhso.integration import outbound
from tinhso.registries.providers import Provider, text

PROTOCOL = {
    "verify_path": "/v1/ho-tich/xac-thuc",
    "client_header": "X-NDXP-Client-Id", "key_header": "X-NDXP-Key",
    "kind": "loaiViec", "kinds": {"birth": "KHAI_SINH", "marriage": "KET_HON"},
    "number": "soDangKy", "book": "quyenSo", "place": "noiDangKy", "registered_on": "ngayDangKy",
    "person": "hoTen", "birth_date": "ngaySinh", "father": "hoTenCha", "mother": "hoTenMe", "spouse": "hoTenVoChong",
    "purpose": "mucDich", "error_code": "maLoi", "message": "thongDiep", "result": "ketQua", "record": "banGhi",
    "mismatched": "truongKhongKhop", "valid": "HOP_LE", "invalid": "KHONG_HOP_LE", "not_found": "KHONG_TIM_THAY",
}
P = PROTOCOL
REFERENCE_FIELDS = ("number", "book", "place", "registered_on", "person")
KIND_LABELS = {"birth": "Giấy khai sinh", "marriage": "Giấy chứng nhận kết hôn"}
VALID, INVALID = "valid", "invalid"


class CivilStatusProvider(Provider):
    service = "civil-status"
    name = "CSDL hộ tịch điện tử"
    setting = "CIVIL_STATUS"
    sandbox_path = "civil-status"

    def verify(self, kind: str, reference: dict, *, purpose: str, subject: str = "") -> dict:
        """{"outcome": valid|invalid, "mismatched": [...], "record": {...} | None} for a reference
        {number, book, place, registered_on (ISO date), person}."""
        endpoint = self.endpoint()
        body = {P["kind"]: P["kinds"][kind], P["purpose"]: purpose[:200],
                **{P[f]: str(reference.get(f) or "") for f in REFERENCE_FIELDS}}

        def fetch():
            return outbound.call(self.service, "POST", endpoint.base_url + P["verify_path"], purpose=purpose,
                                 subject=subject, json=body, retry=True, check=self._read,
                                 headers={P["client_header"]: endpoint.client_id, P["key_header"]: endpoint.key})

        return self.cached("verify", body, fetch)

    def _read(self, response) -> dict:
        data = self.json_of(response)
        result = data.get(P["result"])
        if response.status_code == 404 and result == P["not_found"]:
            return {"outcome": INVALID, "mismatched": [], "record": None, "not_found": True}
        if response.status_code != 200:
            raise self.bad(f"HTTP {response.status_code} {data.get(P['error_code'])}: "
                           f"{str(data.get(P['message']) or '')[:200]}")
        if result == P["invalid"]:
            fields = data.get(P["mismatched"]) or []
            if not isinstance(fields, list):
                raise self.bad("KHONG_HOP_LE không kèm danh sách trường")
            names = {v: k for k, v in P.items() if isinstance(v, str)}
            return {"outcome": INVALID, "mismatched": [names.get(f, str(f)) for f in fields], "record": None,
                    "not_found": False}
        if result != P["valid"]:
            raise self.bad(f"kết quả không rõ: {str(result)[:50]}")
        try:
            raw = data[P["record"]]
            kinds = {v: k for k, v in P["kinds"].items()}
            record = {"kind": kinds[raw[P["kind"]]], "number": text(raw[P["number"]], 50),
                      "book": text(raw.get(P["book"]), 50), "place": text(raw[P["place"]], 300),
                      "registered_on": datetime.date.fromisoformat(text(raw[P["registered_on"]], 10)).isoformat(),
                      "person": text(raw[P["person"]], 200), "birth_date": text(raw.get(P["birth_date"]), 10),
                      "father": text(raw.get(P["father"]), 200), "mother": text(raw.get(P["mother"]), 200),
                      "spouse": text(raw.get(P["spouse"]), 200)}
        except (KeyError, TypeError, ValueError) as exc:
            raise self.bad(f"bản ghi hộ tịch sai cấu trúc: {exc.__class__.__name__}") from None
        return {"outcome": VALID, "mismatched": [], "record": record, "not_found": False}


provider = CivilStatusProvider()
