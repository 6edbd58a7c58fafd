"""Open311 GeoReport v2 documents in JSON and XML (the spec's shapes: JSON
roots are arrays; codes and ids as strings; datetimes ISO 8601 with offset)."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from django.http import HttpResponse

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# XML element names of list items, by their container.
ITEM = {"services": "service", "service_requests": "request", "errors": "error", "attributes": "attribute",
        "values": "value", "endpoints": "endpoint", "formats": "format", "keywords": "keyword", "photos": "photo",
        "evidence": "file", "notes": "note"}


def _xml(parent, name: str, value) -> None:
    node = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _xml(node, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml(node, ITEM.get(name, "item"), item)
    elif value is None:
        pass
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    else:
        node.text = str(value)


def respond(data, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """`data`: a list (JSON array; XML <root> with one item element each) or
    a dict (JSON object; XML <root> with its fields)."""
    if fmt == "xml":
        element = ET.Element(root)
        if isinstance(data, list):
            for item in data:
                _xml(element, ITEM.get(root, "item"), item)
        else:
            for key, value in data.items():
                _xml(element, key, value)
        body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8")
    else:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond([{"code": status, "description": description}], fmt, "errors", status)
