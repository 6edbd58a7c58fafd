"""Cơ sở dữ liệu quốc gia về dân cư (Bộ Công an, C06), reached through the
national data-sharing platform (NDXP): verify a citizen by the 12-digit
personal identification number (số định danh cá nhân) with the full name
and/or birth date, and read what a form may prefill.

PROTOCOL: UNVERIFIED — the real interface is not public; this is a plausible
JSON-over-HTTPS shape. Check every name below with the operator (C06 / the
NDXP operator) before connecting a production system; they are all in
`PROTOCOL` so that one edit adapts the client (and the sandbox, which reads
the same table).

    POST {base}/v1/cong-dan/xac-thuc
    headers  X-NDXP-Client-Id, X-NDXP-Key
    body     {"soDinhDanh": "092085001234", "hoVaTen": "...", "ngaySinh": "1985-03-12", "mucDich": "..."}
    200      {"maLoi": "00", "ketQua": "KHOP", "congDan": {"soDinhDanh", "hoVaTen", "ngaySinh", "gioiTinh",
              "noiThuongTru": {"diaChi", "maXa"}, "hoGiaDinh": {"chuHo", "quanHeVoiChuHo",
              "thanhVien": [{"hoVaTen"}]}}}
    200      {"maLoi": "00", "ketQua": "KHONG_KHOP", "truongKhongKhop": ["hoVaTen" | "ngaySinh"]}
    404      {"maLoi": "04", "ketQua": "KHONG_TIM_THAY", "thongDiep": "..."}
    400/401  {"maLoi": "02" | "01", "thongDiep": "..."}
"""

from __future__ import annotations

import datetime
import re

from tinhso.integration import outbound
from tinhso.registries.providers import Provider, text

PROTOCOL = {
    "verify_path": "/v1/cong-dan/xac-thuc",
    "client_header": "X-NDXP-Client-Id", "key_header": "X-NDXP-Key",
    "id_number": "soDinhDanh", "full_name": "hoVaTen", "birth_date": "ngaySinh", "purpose": "mucDich",
    "error_code": "maLoi", "message": "thongDiep", "result": "ketQua", "mismatched": "truongKhongKhop",
    "person": "congDan", "sex": "gioiTinh", "residence": "noiThuongTru", "address": "diaChi", "commune": "maXa",
    "household": "hoGiaDinh", "head": "chuHo", "relation": "quanHeVoiChuHo", "members": "thanhVien",
    "match": "KHOP", "mismatch": "KHONG_KHOP", "not_found": "KHONG_TIM_THAY",
}
P = PROTOCOL
ID_NUMBER = re.compile(r"^[0-9]{12}$")
# what the protocol calls a field -> our field name (for "which field did not match")
FIELD_NAMES = {P["full_name"]: "full_name", P["birth_date"]: "birth_date"}

MATCH, MISMATCH, NOT_FOUND = "match", "mismatch", "not_found"


class PopulationProvider(Provider):
    service = "population"
    name = "CSDL quốc gia về dân cư"
    setting = "POPULATION"
    sandbox_path = "population"

    def verify(self, *, id_number: str, full_name: str = "", birth_date: datetime.date | None = None,
               purpose: str, subject: str = "") -> dict:
        """{"outcome": match|mismatch|not_found, "mismatched": [field], "person": {...} | None}.
        The caller has checked the input (see `actions.check_citizen`)."""
        endpoint = self.endpoint()
        body = {P["id_number"]: id_number, P["purpose"]: purpose[:200]}
        if full_name:
            body[P["full_name"]] = full_name
        if birth_date:
            body[P["birth_date"]] = birth_date.isoformat()

        def fetch():
            return outbound.call(self.service, "POST", endpoint.base_url + P["verify_path"], purpose=purpose,
                                 subject=subject, json=body, retry=True, check=self._read,
                                 headers={P["client_header"]: endpoint.client_id, P["key_header"]: endpoint.key})

        return self.cached("verify", body, fetch)

    def _read(self, response) -> dict:
        data = self.json_of(response)
        result = data.get(P["result"])
        if response.status_code == 404 and result == P["not_found"]:
            return {"outcome": NOT_FOUND, "mismatched": [], "person": None}
        if response.status_code != 200:
            raise self.bad(f"HTTP {response.status_code} {data.get(P['error_code'])}: "
                           f"{str(data.get(P['message']) or '')[:200]}")
        if result == P["mismatch"]:
            fields = data.get(P["mismatched"])
            if not isinstance(fields, list):
                raise self.bad("KHONG_KHOP không kèm danh sách trường")
            return {"outcome": MISMATCH, "mismatched": [FIELD_NAMES.get(f, str(f)) for f in fields], "person": None}
        if result != P["match"]:
            raise self.bad(f"kết quả không rõ: {str(result)[:50]}")
        try:
            return {"outcome": MATCH, "mismatched": [], "person": self._person(data[P["person"]])}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise self.bad(f"dữ liệu công dân sai cấu trúc: {exc.__class__.__name__}") from None

    def _person(self, raw: dict) -> dict:
        residence = raw.get(P["residence"]) or {}
        household = raw.get(P["household"]) or {}
        members = household.get(P["members"]) or []
        if not isinstance(members, list):
            raise TypeError("members")
        id_number = text(raw[P["id_number"]], 12)
        if not ID_NUMBER.match(id_number):
            raise ValueError("id number")
        return {
            "id_number": id_number,
            "full_name": text(raw[P["full_name"]], 200),
            "birth_date": datetime.date.fromisoformat(text(raw[P["birth_date"]], 10)).isoformat(),
            "sex": text(raw.get(P["sex"]), 10),
            "address": text(residence.get(P["address"]), 300),
            "commune_code": text(residence.get(P["commune"]), 5),
            "household_head": text(household.get(P["head"]), 200),
            "relation": text(household.get(P["relation"]), 50),
            "household_members": [text(m.get(P["full_name"]), 200) for m in members[:30]],
        }


provider = PopulationProvider()
