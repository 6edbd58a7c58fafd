"""The sandbox national registries at /sandbox/national/ (population,
business, civil-status), each on only with its TINHSO_*_SANDBOX setting. They
speak the protocol of the clients in `providers/` (read from the same
`PROTOCOL` tables), answer from the fictitious data in `sandbox_data.json`,
and authenticate callers with the X-NDXP-Key header against
TINHSO_NATIONAL_SANDBOX_KEY. Errors come in the same shape: 400 malformed,
401 bad key, 404 not found. For the demo and tests only.

`TINHSO_NATIONAL_SANDBOX_MODE = "garbage"` (tests) makes every answer an HTML
page, as a misconfigured proxy would."""

from __future__ import annotations

import datetime
import functools
import hmac
import json
import re
import unicodedata
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tinhso.registries.providers.business import PROTOCOL as BIZ
from tinhso.registries.providers.civil_status import PROTOCOL as CIV
from tinhso.registries.providers.population import PROTOCOL as POP

DATA_FILE = Path(__file__).with_name("sandbox_data.json")


@functools.lru_cache(maxsize=1)
def data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def same(a, b) -> bool:
    """Names compared as the registry would: Unicode-normalised, case and spacing ignored."""
    def norm(s):
        return " ".join(unicodedata.normalize("NFC", str(s or "")).casefold().split())
    return norm(a) == norm(b)


def _error(code: str, message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"maLoi": code, "thongDiep": message, **extra}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def _ok(body: dict) -> JsonResponse:
    return JsonResponse({"maLoi": "00", **body}, json_dumps_params={"ensure_ascii": False})


def _guard(setting: str):
    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not getattr(settings, f"TINHSO_{setting}_SANDBOX", False):
                raise Http404()
            key = request.headers.get(POP["key_header"], "")
            if not request.headers.get(POP["client_header"]) or not hmac.compare_digest(
                    key.encode(), settings.TINHSO_NATIONAL_SANDBOX_KEY.encode()):
                return _error("01", "Mã hệ thống hoặc khóa kết nối không đúng.", 401)
            if getattr(settings, "TINHSO_NATIONAL_SANDBOX_MODE", "") == "garbage":
                return HttpResponse("<html><body>502 Bad Gateway</body></html>", content_type="text/html")
            return view(request, *args, **kwargs)
        return csrf_exempt(wrapped)
    return decorate


def _body(request) -> dict | None:
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


@_guard("POPULATION")
@require_POST
def population_verify(request):
    body = _body(request)
    if body is None:
        return _error("02", "Thông điệp không phải JSON hợp lệ.", 400)
    id_number = str(body.get(POP["id_number"], ""))
    name, born = body.get(POP["full_name"]), body.get(POP["birth_date"])
    if not re.fullmatch(r"[0-9]{12}", id_number) or not (name or born) or (born and _date(born) is None):
        return _error("02", "Cần số định danh cá nhân 12 chữ số và họ tên hoặc ngày sinh (YYYY-MM-DD).", 400)
    person = next((p for p in data()["people"] if p["id_number"] == id_number), None)
    if person is None:
        return _error("04", "Không tìm thấy công dân.", 404, **{POP["result"]: POP["not_found"]})
    wrong = []
    if name and not same(name, person["full_name"]):
        wrong.append(POP["full_name"])
    if born and _date(born).isoformat() != person["birth_date"]:
        wrong.append(POP["birth_date"])
    if wrong:
        return _ok({POP["result"]: POP["mismatch"], POP["mismatched"]: wrong})
    members = [p for p in data()["people"] if p["household"] == person["household"]]
    return _ok({POP["result"]: POP["match"], POP["person"]: {
        POP["id_number"]: person["id_number"], POP["full_name"]: person["full_name"],
        POP["birth_date"]: person["birth_date"], POP["sex"]: person["sex"],
        POP["residence"]: {POP["address"]: person["permanent_address"], POP["commune"]: person["commune_code"]},
        POP["household"]: {POP["head"]: person["household_head"], POP["relation"]: person["relation"],
                           POP["members"]: [{POP["full_name"]: m["full_name"]} for m in members]},
    }})


STATUSES = {"dang_hoat_dong": "DANG_HOAT_DONG", "tam_ngung": "TAM_NGUNG", "giai_the": "GIAI_THE"}


@_guard("BUSINESS_REGISTRY")
@require_GET
def business_lookup(request, code):
    if not re.fullmatch(r"[0-9A-Z]{8,14}(-[0-9]{3})?", code):
        return _error("02", "Mã số doanh nghiệp, hộ kinh doanh không hợp lệ.", 400)
    row = next((b for b in data()["businesses"] if b["code"] == code), None)
    if row is None:
        return _error("04", "Không tìm thấy doanh nghiệp, hộ kinh doanh.", 404)
    return _ok({BIZ["business"]: {
        BIZ["code"]: row["code"], BIZ["name"]: row["name"], BIZ["type"]: row["type"],
        BIZ["status"]: STATUSES[row["status"]], BIZ["address"]: row["address"],
        BIZ["representative"]: row["legal_representative"], BIZ["registered_on"]: row["registered_on"]}})


@_guard("CIVIL_STATUS")
@require_POST
def civil_status_verify(request):
    body = _body(request)
    if body is None:
        return _error("02", "Thông điệp không phải JSON hợp lệ.", 400)
    kinds = {v: k for k, v in CIV["kinds"].items()}
    kind = kinds.get(body.get(CIV["kind"]))
    number = str(body.get(CIV["number"]) or "").strip()
    if kind is None or not number or _date(body.get(CIV["registered_on"])) is None:
        return _error("02", "Cần loại việc hộ tịch, số đăng ký và ngày đăng ký (YYYY-MM-DD).", 400)
    row = next((r for r in data()["civil_records"] if r["kind"] == kind and r["number"] == number), None)
    if row is None:
        return _error("04", "Không tìm thấy bản ghi hộ tịch.", 404, **{CIV["result"]: CIV["not_found"]})
    wrong = [CIV[f] for f in ("book", "place", "person") if body.get(CIV[f]) and not same(body[CIV[f]], row[f])]
    if _date(body[CIV["registered_on"]]).isoformat() != row["registered_on"]:
        wrong.append(CIV["registered_on"])
    if wrong:
        return _ok({CIV["result"]: CIV["invalid"], CIV["mismatched"]: wrong})
    return _ok({CIV["result"]: CIV["valid"], CIV["record"]: {
        CIV["kind"]: CIV["kinds"][kind], CIV["number"]: row["number"], CIV["book"]: row["book"],
        CIV["place"]: row["place"], CIV["registered_on"]: row["registered_on"], CIV["person"]: row["person"],
        CIV["birth_date"]: row.get("birth_date", ""), CIV["father"]: row.get("father", ""),
        CIV["mother"]: row.get("mother", ""), CIV["spouse"]: row.get("spouse", "")}})


urlpatterns = [
    path("population" + POP["verify_path"], population_verify, name="sandbox-population-verify"),
    path("business" + BIZ["lookup_path"] + "<str:code>", business_lookup, name="sandbox-business-lookup"),
    path("civil-status" + CIV["verify_path"], civil_status_verify, name="sandbox-civil-status-verify"),
]
