"""The national public service portal's dossier-sync protocol (Cổng Dịch vụ
công quốc gia, "đồng bộ hồ sơ"): every name of it lives here, in the client
and in the sandbox (tinhso/nationalportal/sandbox.py).

**Unverified — check against the Government Office's integration document**
(tài liệu tích hợp, đồng bộ hồ sơ của Văn phòng Chính phủ) before going live.
The shape is modelled on what provincial systems are publicly described as
doing: a token service, then one JSON call per sync message:

- `POST {url}/token` with `{"MaDonVi", "TaiKhoan", "MatKhau"}` →
  `{"error_code": "0", "session": "<token>", "expires_in": 3600}`;
- `POST {url}/DongBoHoSoMC` with header `session: <token>` and
  `{"MaDonVi", "MaGiaoDich" (idempotency key), "data": [ {hồ sơ} ]}` →
  `{"error_code": "0", "MaGiaoDich": <echo>, "TrungLap": false}`; a message
  already received is acknowledged again with `"TrungLap": true` and not
  stored twice; `error_code` "401" means the session expired; any other
  non-zero code is a refusal of the content (`message` says why);
- `POST {url}/TraCuuHoSo` with `{"MaDonVi", "DanhSachMaHoSo": [...]}` →
  `{"error_code": "0", "data": [{"MaHoSo", "MaGiaoDich", "TrangThaiHoSo",
  "ThoiGianCapNhat"}]}`: what the portal holds, oldest first.

Status codes are the national list (tinhso.dossiers.models.Status, 1..10).
Every HTTP call goes through `tinhso.integration.outbound.call` (service
`national-portal`): message log, timeouts, retries, circuit breaker."""

from __future__ import annotations

from django.conf import settings

from tinhso.integration import outbound

SERVICE = "national-portal"
TOKEN_PATH = "token"
SYNC_PATH = "DongBoHoSoMC"
LOOKUP_PATH = "TraCuuHoSo"
SESSION_HEADER = "session"
OK = "0"
SESSION_EXPIRED = "401"

# dossier channel -> KenhThucHien; return method -> HinhThucTraKetQua (unverified, like the rest)
CHANNELS = {1: "1", 2: "2", 3: "3"}
RETURN_METHODS = {"counter": "1", "online": "2", "post": "3"}


class Refused(outbound.ExternalError):
    """The portal answered and refused the content (not a transport failure):
    a person must look at it; resending the same message will not help."""


def configured_url() -> str:
    url = getattr(settings, "TINHSO_NATIONAL_PORTAL_URL", "")
    if not url and getattr(settings, "TINHSO_NATIONAL_PORTAL_SANDBOX", False):
        url = f"{settings.TINHSO_BASE_URL}/sandbox/dvcqg"
    return url.rstrip("/")


def message(item, refs: dict) -> dict:
    """The DongBoHoSoMC body of one outbox row. `refs` holds what was read for
    the batch: procedure and agency codes, components, fees, result files."""
    p = item.payload
    d = p["dossier"]
    components = refs.get("components", {}).get(item.dossier_id, [])
    fees = refs.get("fees", {}).get(item.dossier_id, [])
    results = refs.get("results", {}).get(item.dossier_id, [])
    record = {
        "MaHoSo": d["code"],
        "MaTTHC": refs.get("procedures", {}).get(d["procedure_id"], ""),
        "MaCoQuanTiepNhan": refs.get("agencies", {}).get(d["receiving_agency_id"], ""),
        "MaCoQuanGiaiQuyet": refs.get("agencies", {}).get(d["competent_agency_id"], ""),
        "KenhThucHien": CHANNELS.get(d["channel"], ""),
        "ChuHoSo": d["owner_name"],
        "LoaiDinhDanh": d["owner_id_type"],
        "SoDinhDanh": d["owner_id_number"],
        "TrangThaiHoSo": str(p["status"]),
        "NgayNopHoSo": d["submitted_at"],
        "NgayTiepNhan": d["received_at"],
        "NgayHenTra": d["due_at"],
        "NgayCoKetQua": d["finished_at"],
        "NgayTra": d["returned_at"],
        "HinhThucTraKetQua": RETURN_METHODS.get(d["return_method"] or d["delivery_method"], ""),
        "QuaTrinhXuLy": [{
            "MaSuKien": p["event_id"], "ThaoTac": p["action"], "ThoiDiem": p["at"],
            "TuTrangThai": None if p["from_status"] is None else str(p["from_status"]),
            "DenTrangThai": str(p["status"]), "TenBuoc": p["step_name"], "NguoiXuLy": p["sender_name"],
            "NguoiNhan": p["receiver_name"], "HanXuLy": p["step_due_at"], "NoiDung": p["comment"],
        }],
        "ThanhPhanHoSo": [{"TenGiayTo": c["name"], "SoBanChinh": c["originals"], "SoBanSao": c["copies"],
                           "DuocTaiSuDung": c["reused"]} for c in components],
        "PhiLePhi": [{"TenPhiLePhi": f["name"], "SoTien": f["amount"], "HinhThucThu": f["method"],
                      "DaThu": f["paid"]} for f in fees],
        "KetQua": {"TrichYeu": d["result_summary"], "SoKyHieu": d["result_number"], "NguoiKy": d["result_signer"],
                   "NgayKy": d["result_signed_at"], "TepKetQua": results} if d["finished_at"] else None,
    }
    return {"MaDonVi": settings.TINHSO_NATIONAL_PORTAL_UNIT_CODE, "MaGiaoDich": item.key, "data": [record]}


class PortalClient:
    def __init__(self, url: str | None = None):
        self.url = (url if url is not None else configured_url()).rstrip("/")
        self._session = ""

    @property
    def enabled(self) -> bool:
        return bool(self.url)

    def _json(self, response, what: str) -> dict:
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or "error_code" not in body:
            detail = f"{what}: trả lời không đúng định dạng (HTTP {response.status_code}): {response.text[:200]!r}"
            raise outbound.BadAnswer(SERVICE, "Cổng DVCQG trả lời không hợp lệ; sẽ gửi lại sau.", detail)
        body["error_code"] = str(body["error_code"])
        return body

    def token(self, *, subject: str = "") -> str:
        body = outbound.call(SERVICE, "POST", f"{self.url}/{TOKEN_PATH}", purpose="Lấy phiên làm việc Cổng DVCQG",
                             subject=subject, retry=True, check=lambda response: self._json(response, "token"), json={
                                 "MaDonVi": settings.TINHSO_NATIONAL_PORTAL_UNIT_CODE,
                                 "TaiKhoan": settings.TINHSO_NATIONAL_PORTAL_USERNAME,
                                 "MatKhau": settings.TINHSO_NATIONAL_PORTAL_PASSWORD})
        if body["error_code"] != OK or not body.get("session"):
            raise Refused(SERVICE, "Cổng DVCQG từ chối tài khoản kết nối.",
                          f"token refused: {body.get('message', body)}")
        self._session = str(body["session"])
        return self._session

    def _post(self, path: str, body: dict, *, purpose: str, subject: str, accepted=None) -> dict:
        """`accepted(answer)` checks an OK answer's content inside the call
        (raising BadAnswer there counts against the breaker)."""
        def check(response):
            answer = self._json(response, path)
            if accepted is not None and answer["error_code"] == OK:
                accepted(answer)
            return answer

        for attempt in (1, 2):
            session = self._session or self.token(subject=subject)
            answer = outbound.call(SERVICE, "POST", f"{self.url}/{path}", purpose=purpose, subject=subject,
                                   json=body, headers={SESSION_HEADER: session}, retry=True, check=check)
            if answer["error_code"] == SESSION_EXPIRED and attempt == 1:
                self._session = ""
                continue
            return answer
        return answer

    def sync(self, item, refs: dict) -> dict:
        """Send one outbox row; returns the acknowledgement or raises
        Unavailable / BadAnswer (retry later) or Refused (a person must look)."""
        def acknowledged(answer):
            if str(answer.get("MaGiaoDich", "")) != item.key:
                detail = f"acknowledgement for {answer.get('MaGiaoDich')!r}, expected {item.key!r}"
                raise outbound.BadAnswer(SERVICE, "Cổng DVCQG xác nhận sai mã giao dịch; sẽ gửi lại sau.", detail)

        answer = self._post(SYNC_PATH, message(item, refs), purpose="Đồng bộ hồ sơ lên Cổng DVCQG",
                            subject=item.dossier_code, accepted=acknowledged)
        if answer["error_code"] != OK:
            raise Refused(SERVICE, f"Cổng DVCQG từ chối: {answer.get('message', '')}",
                          f"error_code {answer['error_code']}: {answer.get('message', '')}")
        return answer

    def held(self, dossier_codes: list[str]) -> list[dict]:
        """What the portal holds for these dossiers: [{"code", "key", "status", "at"}], oldest first."""
        answer = self._post(LOOKUP_PATH, {"MaDonVi": settings.TINHSO_NATIONAL_PORTAL_UNIT_CODE,
                                          "DanhSachMaHoSo": list(dossier_codes)},
                            purpose="Đối soát hồ sơ với Cổng DVCQG", subject=",".join(dossier_codes)[:80])
        if answer["error_code"] != OK or not isinstance(answer.get("data"), list):
            raise outbound.BadAnswer(SERVICE, "Cổng DVCQG trả lời tra cứu không hợp lệ.", str(answer)[:300])
        try:
            return [{"code": str(r["MaHoSo"]), "key": str(r["MaGiaoDich"]), "status": int(r["TrangThaiHoSo"]),
                     "at": r.get("ThoiGianCapNhat")} for r in answer["data"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise outbound.BadAnswer(SERVICE, "Cổng DVCQG trả lời tra cứu không hợp lệ.", repr(exc)) from None
