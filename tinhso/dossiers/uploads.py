"""Uploaded files: the type is decided by the content (magic bytes), not the
name, and the size is capped. A rejected file raises InvalidInput before
anything is written."""

from __future__ import annotations

import hashlib
import zipfile

import filetype
from django.conf import settings
from django.core.files.base import ContentFile

from tinhso.core.errors import InvalidInput

ALLOWED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/tiff": "tif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/xml": "xml",
}
LABEL = "PDF, JPG, PNG, TIFF, DOCX, XLSX, XML"


def max_bytes() -> int:
    return int(getattr(settings, "TINHSO_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def sniff(data: bytes, allowed=None) -> str | None:
    allowed = ALLOWED if allowed is None else allowed
    kind = filetype.guess(data[:8192])
    if kind is not None:
        mime = kind.mime
        if mime == "application/zip" or mime.startswith("application/vnd.openxmlformats"):
            mime = _office_type(data)
        return mime if mime in allowed else None
    head = data[:200].lstrip()
    if head.startswith(b"<?xml") and "application/xml" in allowed:
        return "application/xml"
    if "text/csv" in allowed and b"\x00" not in data[:8192]:
        # Plain text has no magic bytes: a file without any known signature and no NUL byte (UTF-16 and binary
        # files have them) is accepted as CSV only where the caller allows it; the reader decodes and parses it.
        return "text/csv"
    return None


def _office_type(data: bytes) -> str | None:
    import io

    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return None
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


class CheckedUpload:
    def __init__(self, name: str, data: bytes, content_type: str):
        self.name = name
        self.data = data
        self.content_type = content_type
        self.sha256 = hashlib.sha256(data).hexdigest()

    def content(self) -> ContentFile:
        return ContentFile(self.data, name=self.name)


def check_upload(upload, field: str = "file", *, allowed: dict | None = None, label: str = LABEL,
                 limit: int | None = None) -> CheckedUpload:
    """Read and check one uploaded file (a Django UploadedFile or anything with
    .name and .read()). `allowed` ({mime: extension}), `label` and `limit`
    narrow the rule for a particular use (photos of a field report)."""
    name = (getattr(upload, "name", "") or "tep").replace("/", "_").replace("\\", "_")[-120:]
    size = getattr(upload, "size", None)
    limit = limit or max_bytes()
    if size is not None and size > limit:
        raise _bad(field, f"Tệp “{name}” quá lớn ({size // 1024 // 1024} MB); tối đa {limit // 1024 // 1024} MB.")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _bad(field, f"Tệp “{name}” quá lớn; tối đa {limit // 1024 // 1024} MB.")
    if not data:
        raise _bad(field, f"Tệp “{name}” rỗng.")
    mime = sniff(data, allowed)
    if mime is None:
        raise _bad(field, f"Tệp “{name}” không đúng định dạng cho phép ({label}); hệ thống kiểm tra theo nội dung tệp.")
    return CheckedUpload(name, data, mime)


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_file", errors=[{"field": field, "message": message}])
