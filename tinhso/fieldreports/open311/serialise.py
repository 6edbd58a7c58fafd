"""Our categories and reports as Open311 services and service requests."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tinhso.fieldreports import geo
from tinhso.fieldreports.actions.open311 import COMMUNE_ATTRIBUTE
from tinhso.fieldreports.actions.submit import communes
from tinhso.fieldreports.models import Status

CLOSED = (Status.REJECTED, Status.PUBLISHED, Status.CLOSED, Status.MERGED)


def iso(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service(category) -> dict:
    return {"service_code": category.code, "service_name": category.name, "description": category.description or
            category.name, "metadata": True, "type": "realtime",
            "keywords": ", ".join(k.strip() for k in category.keywords.split(",") if k.strip()),
            "group": category.group}


def definition(category) -> dict:
    attributes = [{
        "variable": True, "code": COMMUNE_ATTRIBUTE, "datatype": "singlevaluelist", "required": True,
        "datatype_description": "Mã xã, phường (đơn vị hành chính từ 01/7/2025); có thể bỏ trống nếu address_string "
                                "ghi rõ tên xã, phường.",
        "order": 0, "description": "Xã, phường nơi xảy ra sự việc",
        "values": [{"key": str(u.pk), "name": u.name} for u in communes()]}]
    for attribute in category.attributes.all():
        attributes.append({"variable": True, "code": attribute.code, "datatype": attribute.datatype,
                           "required": attribute.required, "datatype_description": attribute.description,
                           "order": attribute.order + 1, "description": attribute.label,
                           "values": [{"key": v.get("key"), "name": v.get("name")} for v in attribute.values or []]})
    return {"service_code": category.code, "attributes": attributes}


def _absolute(path: str) -> str:
    return f"{settings.TINHSO_BASE_URL}{path}"


def request_record(report, *, extensions: bool = False, full: bool = True) -> dict:
    """One service request. Nothing about the reporter is ever included; a
    hidden exact location is rounded and its address left out."""
    lat, lng = geo.rounded(report.lat, report.lng) if report.hide_location else (report.lat, report.lng)
    photos = [m for m in report.media.all() if m.is_public and m.role == "report"]
    if report.status in (Status.PUBLISHED, Status.CLOSED):
        notes = report.published_answer
    elif report.status == Status.REJECTED:
        notes = report.reason_text or (report.reason.label if report.reason_id else "")
    elif report.status == Status.MERGED and report.duplicate_of_id:
        notes = f"Trùng với phản ánh {report.duplicate_of.code}"
    else:
        notes = report.get_status_display()
    record = {
        "service_request_id": report.code, "status": "closed" if report.status in CLOSED else "open",
        "status_notes": notes, "service_name": report.category.name, "service_code": report.category.code,
        "description": report.description if full else None,
        "agency_responsible": report.agency.name if report.agency_id else "Trung tâm Giám sát, điều hành",
        "service_notice": "", "requested_datetime": iso(report.created_at), "updated_datetime": iso(report.updated_at),
        "expected_datetime": iso(report.stage_due_at) if report.status not in CLOSED else None,
        "address": "" if report.hide_location else f"{report.address}, {report.unit.name}".strip(", "),
        "address_id": "", "zipcode": "", "lat": lat, "long": lng,
        "media_url": _absolute(reverse("fieldreports:public_media", args=[report.code, photos[0].pk])) if photos else "",
    }
    if extensions:
        evidence = [m for m in report.media.all() if m.is_public and m.role == "evidence"]
        record["extended_attributes"] = {
            "detailed_status": report.status, "detailed_status_name": report.get_status_display(),
            "channel": report.channel, "unit_code": report.unit.code, "unit_name": report.unit.name,
            "answer": report.published_answer,
            "published_datetime": iso(report.published_at),
            "photos": [_absolute(reverse("fieldreports:public_media", args=[report.code, m.pk])) for m in photos],
            "evidence": [_absolute(reverse("fieldreports:public_media", args=[report.code, m.pk]))
                         for m in evidence if m.kind == "photo"],
            "url": _absolute(reverse("fieldreports:public_detail", args=[report.code])),
        }
        record["attributes"] = [{"code": k, "value": v} for k, v in (report.attributes or {}).items()]
    return record
