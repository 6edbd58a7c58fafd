"""What the reception pages (counter and online form) read and show for the
national checks: the paper references typed, the checks carried between
round trips (hidden field `registry_checks`), and each paper's state."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from tinhso.registries.models import RegistryCheck, Source

CIVIL_FIELDS = [("number", _("Số đăng ký")), ("book", _("Quyển số")), ("place", _("Nơi đăng ký")),
                ("registered_on", _("Ngày đăng ký")), ("person", _("Người được đăng ký"))]
BUSINESS_FIELDS = [("number", _("Mã số doanh nghiệp / hộ kinh doanh"))]


def reference_fields(source: str) -> list:
    if source in (Source.BIRTH, Source.MARRIAGE):
        return CIVIL_FIELDS
    if source == Source.BUSINESS:
        return BUSINESS_FIELDS
    return []


def paper_refs(post, case) -> dict:
    """Component id -> (source, typed reference) for the papers whose reference was typed."""
    out = {}
    for comp in case.components.all():
        fields = reference_fields(comp.national_source)
        values = {name: post.get(f"natref_{comp.pk}_{name}", "").strip() for name, _label in fields}
        if fields and values.get("number"):
            out[comp.pk] = (comp.national_source, values)
    return out


def check_ids(value) -> list[int]:
    return [int(i) for i in str(value or "").split(",") if i.strip().isdecimal()][:20]


def join_ids(*groups) -> str:
    seen = []
    for group in groups:
        for i in group:
            if i not in seen:
                seen.append(i)
    return ",".join(str(i) for i in seen[-20:])


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def paper_rows(case, post, checks: list[RegistryCheck], citizen_verified: bool) -> dict:
    """Component id -> {"source", "label", "fields": [(name, label, value)], "check", "verified"} for the template."""
    from tinhso.registries.actions import SOURCE_NAMES

    rows = {}
    for comp in case.components.all():
        if not comp.national_source:
            continue
        found = [c for c in checks if c.required_component_id == comp.pk]
        check = found[-1] if found else None
        verified = citizen_verified if comp.national_source == Source.POPULATION else bool(check and check.verified)
        rows[comp.pk] = {
            "source": comp.national_source, "label": SOURCE_NAMES.get(comp.national_source, comp.national_source),
            "fields": [(f"natref_{comp.pk}_{name}", label, post.get(f"natref_{comp.pk}_{name}", ""),
                        "date" if name == "registered_on" else "text")
                       for name, label in reference_fields(comp.national_source)],
            "check": check, "verified": verified}
    return rows
