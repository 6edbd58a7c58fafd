"""Validate a whole catalogue file before anything is written.

`clean_catalogue(data)` walks every procedure, case, paper, fee, step and
move, collects *every* problem as `{field, message}` with a path such as
`procedures[3].cases[0].processing_time`, and returns the data in the exact
shape of `exporting.procedure_to_dict`. Values may come from JSON or from
Excel cells (numbers as floats, dates as datetimes, booleans as text)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from tinhso.accounts.models import Role
from tinhso.agencies.models import Agency, AgencyKind
from tinhso.catalogue.exporting import num
from tinhso.catalogue.models import (
    AgencyRole,
    FeeKind,
    FeePaymentMoment,
    FeeStatus,
    Field,
    Level,
    MoveKind,
    OnlineLevel,
    TimeUnit,
)
from tinhso.catalogue.models.choices import HOURS_PER_UNIT, LEGACY_TO_ONLINE, ONLINE_TO_LEGACY

CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,39}$")
MAX_TIME = Decimal("99999")
TRUE_WORDS = {"true", "1", "x", "có", "co", "yes", "đúng", "dung"}
FALSE_WORDS = {"false", "0", "không", "khong", "no", "sai"}

TOP_KEYS = {"format", "version", "notes", "fields", "procedures"}
PROCEDURE_KEYS = {"code", "name", "field", "levels", "online_level", "legacy_level", "result_name", "legal_basis",
                  "decision", "inter_agency", "fee_status", "is_active", "note", "sample_fields", "agencies", "cases"}
AGENCY_KEYS = {"agency", "agency_kind", "role", "level", "valid_from", "valid_to"}
CASE_KEYS = {"code", "name", "processing_time", "time_unit", "online_processing_time", "digital_signature_required",
             "online_payment_required", "not_online", "authorised_filing", "no_appointment", "fee_payment_moment",
             "valid_from", "valid_to", "components", "fees", "steps", "moves"}
COMPONENT_KEYS = {"order", "name", "paper_code", "originals", "copies", "required", "template_url",
                  "from_data_store", "from_national_db"}
FEE_KEYS = {"kind", "name", "amount", "note", "valid_from", "valid_to"}
STEP_KEYS = {"order", "name", "role", "agency", "agency_kind", "allowance", "allowance_unit"}
MOVE_KEYS = {"from", "to", "kind"}


class Invalid(Exception):
    pass


def _choices_text(choices) -> str:
    return ", ".join(choices.values)


class Cleaner:
    def __init__(self):
        self.errors: list[dict] = []
        self.agency_refs: list[tuple[str, str]] = []  # (path, code)

    def error(self, path: str, message: str) -> None:
        self.errors.append({"field": path, "message": message})

    def check_agency_refs(self) -> None:
        """One query for every agency code met on the way."""
        if not self.agency_refs:
            return
        existing = set(Agency.objects.filter(code__in={code for _p, code in self.agency_refs})
                       .values_list("code", flat=True))
        for path, code in self.agency_refs:
            if code not in existing:
                self.error(path, _("Không có cơ quan mã “%(c)s”.") % {"c": code})

    # -- value parsers: each returns the clean value or raises Invalid(message)
    @staticmethod
    def text(value, *, required=False, max_length=500) -> str:
        if value is None:
            value = ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise Invalid(_("Phải là chuỗi ký tự."))
        value = str(value).strip()
        if required and not value:
            raise Invalid(_("Trường này là bắt buộc."))
        if len(value) > max_length:
            raise Invalid(_("Dài quá %(n)s ký tự.") % {"n": max_length})
        return value

    @staticmethod
    def integer(value, *, default=None, minimum=0, maximum=None) -> int | None:
        if value is None or value == "":
            if default is None:
                raise Invalid(_("Trường này là bắt buộc."))
            return default
        if isinstance(value, bool):
            raise Invalid(_("Phải là một số nguyên."))
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            value = int(value)
        if not isinstance(value, int):
            raise Invalid(_("Phải là một số nguyên."))
        if value < minimum:
            raise Invalid(_("Phải lớn hơn hoặc bằng %(n)s.") % {"n": minimum})
        if maximum is not None and value > maximum:
            raise Invalid(_("Phải nhỏ hơn hoặc bằng %(n)s.") % {"n": maximum})
        return value

    @staticmethod
    def duration(value, *, required=True):
        if value is None or value == "":
            if required:
                raise Invalid(_("Trường này là bắt buộc."))
            return None
        if isinstance(value, bool):
            raise Invalid(_("Phải là một số dương."))
        try:
            amount = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise Invalid(_("Phải là một số dương, ví dụ 3 hoặc 0.5.")) from None
        if not amount.is_finite() or amount <= 0 or amount > MAX_TIME:
            raise Invalid(_("Phải là một số dương không quá %(n)s.") % {"n": MAX_TIME})
        if amount != amount.quantize(Decimal("0.01")):
            raise Invalid(_("Chỉ được tối đa 2 chữ số thập phân."))
        return num(amount)

    @staticmethod
    def boolean(value, *, default: bool) -> bool:
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        if isinstance(value, str):
            word = value.strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
        raise Invalid(_("Phải là đúng hoặc sai (true/false)."))

    @staticmethod
    def date(value) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date().isoformat()
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str):
            text = value.strip()
            for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
                try:
                    return datetime.datetime.strptime(text, fmt).date().isoformat()
                except ValueError:
                    continue
        raise Invalid(_("Phải là ngày theo dạng YYYY-MM-DD (hoặc dd/mm/yyyy)."))

    @staticmethod
    def choice(value, choices, *, default=None) -> str:
        if (value is None or value == "") and default is not None:
            return default
        if isinstance(value, str) and value.strip() in choices.values:
            return value.strip()
        raise Invalid(_("Giá trị “%(v)s” không hợp lệ; chọn một trong: %(c)s.")
                      % {"v": value, "c": _choices_text(choices)})

    @staticmethod
    def word_list(value) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [w.strip() for w in value.split(",") if w.strip()]
        if isinstance(value, list) and all(isinstance(w, str) for w in value):
            return [w.strip() for w in value if w.strip()]
        raise Invalid(_("Phải là một danh sách."))

    # -- helpers that record errors instead of raising
    def take(self, row: dict, key: str, path: str, parser, *args, **kwargs):
        try:
            return parser(row.get(key), *args, **kwargs)
        except Invalid as exc:
            self.error(f"{path}.{key}", str(exc))
            return None

    def check_keys(self, row, allowed: set, path: str) -> bool:
        if not isinstance(row, dict):
            self.error(path, _("Phải là một đối tượng JSON."))
            return False
        for key in sorted(set(row) - allowed):
            self.error(f"{path}.{key}", _("Trường “%(k)s” không được hỗ trợ.") % {"k": key})
        return True

    def items(self, row: dict, key: str, path: str) -> list:
        value = row.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(f"{path}.{key}", _("Phải là một danh sách."))
            return []
        return value

    def period(self, row: dict, path: str) -> tuple[str | None, str | None]:
        start = self.take(row, "valid_from", path, self.date)
        end = self.take(row, "valid_to", path, self.date)
        if start and end and end < start:
            self.error(f"{path}.valid_to", _("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."))
        return start, end

    def agency_ref(self, row: dict, path: str, *, required: bool) -> tuple[str | None, str]:
        code = self.take(row, "agency", path, self.text, max_length=40) or None
        kind, kind_given = "", row.get("agency_kind") not in (None, "")
        if kind_given:
            kind = self.take(row, "agency_kind", path, self.choice, AgencyKind) or ""
        if code and kind_given:
            self.error(f"{path}.agency", _("Chỉ ghi mã cơ quan hoặc loại cơ quan, không ghi cả hai."))
        elif required and not code and not kind_given:
            self.error(f"{path}.agency", _("Phải ghi mã cơ quan hoặc loại cơ quan."))
        if code:
            self.agency_refs.append((f"{path}.agency", code))
        return code, kind


def clean_catalogue(data) -> tuple[dict, list[dict]]:
    """Return (clean data, errors). Clean data is meaningful only without errors."""
    c = Cleaner()
    if not isinstance(data, dict):
        c.error("body", _("Tệp danh mục phải là một đối tượng JSON có khóa “procedures”."))
        return {}, c.errors
    c.check_keys(data, TOP_KEYS, "file")
    if data.get("format") not in (None, "tinhso-catalogue"):
        c.error("format", _("Định dạng tệp phải là “tinhso-catalogue”."))

    fields = {}
    for i, row in enumerate(c.items(data, "fields", "")):
        path = f"fields[{i}]"
        if not c.check_keys(row, {"code", "name"}, path):
            continue
        code = c.take(row, "code", path, c.text, required=True, max_length=40)
        name = c.take(row, "name", path, c.text, required=True, max_length=255)
        if code in fields:
            c.error(f"{path}.code", _("Mã lĩnh vực “%(c)s” bị trùng trong tệp.") % {"c": code})
        elif code and name:
            fields[code] = name
    known_fields = set(fields) | set(Field.objects.values_list("code", flat=True))

    procedures, seen = [], {}
    rows = c.items(data, "procedures", "")
    if "procedures" not in data:
        c.error("procedures", _("Thiếu danh sách thủ tục “procedures”."))
    for i, row in enumerate(rows):
        path = f"procedures[{i}]"
        if not c.check_keys(row, PROCEDURE_KEYS, path):
            continue
        item = clean_procedure(c, row, path, known_fields)
        code = item["code"]
        if code and code in seen:
            c.error(f"{path}.code", _("Mã thủ tục “%(c)s” bị trùng với procedures[%(j)s].") % {"c": code,
                                                                                             "j": seen[code]})
        elif code:
            seen[code] = i
        procedures.append(item)

    c.check_agency_refs()

    notes = data.get("notes") or ""
    if not isinstance(notes, str):
        c.error("notes", _("Phải là chuỗi ký tự."))
        notes = ""
    clean = {"notes": notes, "fields": [{"code": k, "name": v} for k, v in fields.items()],
             "procedures": procedures}
    return clean, c.errors


def clean_procedure(c: Cleaner, row: dict, path: str, known_fields: set) -> dict:
    code = c.take(row, "code", path, c.text, required=True, max_length=40)
    if code and not CODE_RE.match(code):
        c.error(f"{path}.code", _("Mã thủ tục chỉ gồm chữ, số và dấu chấm, ví dụ 1.001193."))
    field = c.take(row, "field", path, c.text, required=True, max_length=40)
    if field and field not in known_fields:
        c.error(f"{path}.field", _("Không có lĩnh vực mã “%(c)s”; thêm vào danh sách “fields”.") % {"c": field})

    levels = c.take(row, "levels", path, c.word_list) or []
    bad = [lv for lv in levels if lv not in Level.values]
    if bad or not levels:
        c.error(f"{path}.levels", _("Cấp thực hiện phải gồm một hoặc cả hai giá trị: province, commune."))
    levels = [lv for lv in Level.values if lv in levels]

    online = row.get("online_level")
    legacy = c.take(row, "legacy_level", path, c.integer, default=0, minimum=0, maximum=4) or None
    if online in (None, ""):
        online = LEGACY_TO_ONLINE[legacy].value if legacy else OnlineLevel.NONE.value
    else:
        online = c.take(row, "online_level", path, c.choice, OnlineLevel)
    if online and legacy is None:
        legacy = ONLINE_TO_LEGACY[OnlineLevel(online)]
    elif online and legacy and LEGACY_TO_ONLINE[legacy] != online:
        c.error(f"{path}.legacy_level", _("Mức độ %(l)s không khớp với mức trực tuyến “%(o)s” "
                                          "(mức 4 = toàn trình, mức 3 = một phần, mức 1-2 = không trực tuyến).")
                % {"l": legacy, "o": online})

    cases, case_codes = [], set()
    case_rows = c.items(row, "cases", path)
    if not case_rows:
        c.error(f"{path}.cases", _("Thủ tục phải có ít nhất một trường hợp giải quyết."))
    for j, case_row in enumerate(case_rows):
        cpath = f"{path}.cases[{j}]"
        if not c.check_keys(case_row, CASE_KEYS, cpath):
            continue
        case = clean_case(c, case_row, cpath)
        if case["code"] in case_codes:
            c.error(f"{cpath}.code", _("Mã trường hợp “%(c)s” bị trùng trong thủ tục.") % {"c": case["code"]})
        case_codes.add(case["code"])
        cases.append(case)

    agencies = []
    for j, arow in enumerate(c.items(row, "agencies", path)):
        apath = f"{path}.agencies[{j}]"
        if not c.check_keys(arow, AGENCY_KEYS, apath):
            continue
        agency, kind = c.agency_ref(arow, apath, required=True)
        start, end = c.period(arow, apath)
        agencies.append({
            "agency": agency, "agency_kind": kind,
            "role": c.take(arow, "role", apath, c.choice, AgencyRole, default=AgencyRole.COMPETENT.value),
            "level": c.take(arow, "level", apath, c.choice, Level),
            "valid_from": start, "valid_to": end,
        })

    return {
        "code": code, "name": c.take(row, "name", path, c.text, required=True, max_length=500),
        "field": field, "levels": levels, "online_level": online, "legacy_level": legacy,
        "result_name": c.take(row, "result_name", path, c.text, max_length=500),
        "legal_basis": c.take(row, "legal_basis", path, c.text, max_length=20000),
        "decision": c.take(row, "decision", path, c.text, max_length=300),
        "inter_agency": c.take(row, "inter_agency", path, c.boolean, default=False),
        "fee_status": c.take(row, "fee_status", path, c.choice, FeeStatus, default=FeeStatus.FREE.value),
        "is_active": c.take(row, "is_active", path, c.boolean, default=True),
        "note": c.take(row, "note", path, c.text, max_length=5000),
        "sample_fields": c.take(row, "sample_fields", path, c.word_list),
        "agencies": agencies, "cases": cases,
    }


def clean_case(c: Cleaner, row: dict, path: str) -> dict:
    start, end = c.period(row, path)
    case = {
        "code": c.take(row, "code", path, c.text, required=True, max_length=40),
        "name": c.take(row, "name", path, c.text, required=True, max_length=500),
        "processing_time": c.take(row, "processing_time", path, c.duration),
        "time_unit": c.take(row, "time_unit", path, c.choice, TimeUnit, default=TimeUnit.WORKING_DAYS.value),
        "online_processing_time": c.take(row, "online_processing_time", path, c.duration, required=False),
    }
    for flag in ("digital_signature_required", "online_payment_required", "not_online", "authorised_filing",
                 "no_appointment"):
        case[flag] = c.take(row, flag, path, c.boolean, default=False)
    case["fee_payment_moment"] = c.take(row, "fee_payment_moment", path, c.choice, FeePaymentMoment,
                                        default=FeePaymentMoment.BEFORE_RECEPTION.value)
    case["valid_from"], case["valid_to"] = start, end

    case["components"] = []
    for k, crow in enumerate(c.items(row, "components", path)):
        p = f"{path}.components[{k}]"
        if not c.check_keys(crow, COMPONENT_KEYS, p):
            continue
        url = c.take(crow, "template_url", p, c.text, max_length=500)
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                c.error(f"{p}.template_url", _("Đường dẫn mẫu phải là địa chỉ http(s) hợp lệ."))
        case["components"].append({
            "order": c.take(crow, "order", p, c.integer, default=k + 1, minimum=1),
            "name": c.take(crow, "name", p, c.text, required=True, max_length=1000),
            "paper_code": c.take(crow, "paper_code", p, c.text, max_length=60),
            "originals": c.take(crow, "originals", p, c.integer, default=1, maximum=100),
            "copies": c.take(crow, "copies", p, c.integer, default=0, maximum=100),
            "required": c.take(crow, "required", p, c.boolean, default=True),
            "template_url": url,
            "from_data_store": c.take(crow, "from_data_store", p, c.boolean, default=False),
            "from_national_db": c.take(crow, "from_national_db", p, c.boolean, default=False),
        })

    case["fees"] = []
    for k, frow in enumerate(c.items(row, "fees", path)):
        p = f"{path}.fees[{k}]"
        if not c.check_keys(frow, FEE_KEYS, p):
            continue
        fstart, fend = c.period(frow, p)
        case["fees"].append({
            "kind": c.take(frow, "kind", p, c.choice, FeeKind, default=FeeKind.CHARGE.value),
            "name": c.take(frow, "name", p, c.text, required=True, max_length=500),
            "amount": c.take(frow, "amount", p, c.integer, maximum=10**12),
            "note": c.take(frow, "note", p, c.text, max_length=2000),
            "valid_from": fstart, "valid_to": fend,
        })

    case["steps"], orders, hours = [], set(), Decimal(0)
    for k, srow in enumerate(c.items(row, "steps", path)):
        p = f"{path}.steps[{k}]"
        if not c.check_keys(srow, STEP_KEYS, p):
            continue
        order = c.take(srow, "order", p, c.integer, default=k + 1, minimum=1)
        if order in orders:
            c.error(f"{p}.order", _("Thứ tự bước %(n)s bị trùng.") % {"n": order})
        orders.add(order)
        agency, kind = c.agency_ref(srow, p, required=False)
        step = {
            "order": order, "name": c.take(srow, "name", p, c.text, required=True, max_length=300),
            "role": c.take(srow, "role", p, c.choice, Role), "agency": agency, "agency_kind": kind,
            "allowance": c.take(srow, "allowance", p, c.duration),
            "allowance_unit": c.take(srow, "allowance_unit", p, c.choice, TimeUnit,
                                     default=TimeUnit.WORKING_HOURS.value),
        }
        if step["allowance"] is not None and step["allowance_unit"]:
            hours += Decimal(str(step["allowance"])) * HOURS_PER_UNIT[TimeUnit(step["allowance_unit"])]
        case["steps"].append(step)
    if case["processing_time"] is not None and case["time_unit"] and case["steps"]:
        limit = Decimal(str(case["processing_time"])) * HOURS_PER_UNIT[TimeUnit(case["time_unit"])]
        if hours > limit:
            c.error(f"{path}.steps", _("Tổng thời gian các bước (%(h)s giờ làm việc) vượt thời hạn giải quyết "
                                       "(%(l)s giờ làm việc).") % {"h": num(hours), "l": num(limit)})

    case["moves"], seen = [], set()
    for k, mrow in enumerate(c.items(row, "moves", path)):
        p = f"{path}.moves[{k}]"
        if not c.check_keys(mrow, MOVE_KEYS, p):
            continue
        move = {"from": c.take(mrow, "from", p, c.integer, minimum=1),
                "to": c.take(mrow, "to", p, c.integer, minimum=1),
                "kind": c.take(mrow, "kind", p, c.choice, MoveKind, default=MoveKind.FORWARD.value)}
        for end_ in ("from", "to"):
            if move[end_] is not None and move[end_] not in orders:
                c.error(f"{p}.{end_}", _("Không có bước thứ tự %(n)s trong trường hợp này.") % {"n": move[end_]})
        if move["from"] is not None and move["from"] == move["to"]:
            c.error(p, _("Bước chuyển phải nối hai bước khác nhau."))
        key = (move["from"], move["to"], move["kind"])
        if key in seen:
            c.error(p, _("Bước chuyển bị trùng."))
        seen.add(key)
        case["moves"].append(move)
    case["moves"].sort(key=lambda m: (m["from"] or 0, m["kind"] or "", m["to"] or 0))
    return case
