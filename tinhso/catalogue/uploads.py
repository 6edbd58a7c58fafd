"""Checking an uploaded catalogue file: size, and that the bytes really are
JSON or an .xlsx workbook (a zip), whatever the file name says."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from tinhso.core.errors import InvalidInput

ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class ParsedUpload:
    kind: str  # "json" or "xlsx"
    data: dict
    errors: list = field(default_factory=list)  # problems found while reading (Excel rows without a parent)
    locate: object = None


def max_bytes() -> int:
    return int(getattr(settings, "TINHSO_IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def _bad(message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_file", errors=[{"field": "file", "message": message}])


def read_upload(upload) -> ParsedUpload:
    """Read an UploadedFile (or any object with `.name`, `.size`, `.read()`)."""
    from tinhso.catalogue.excel import WorkbookReader

    if upload is None:
        raise _bad(_("Chưa chọn tệp để nhập."))
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _bad(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise _bad(_("Tệp quá lớn: tối đa %(mb)s MB.") % {"mb": limit // (1024 * 1024)})
    if not content:
        raise _bad(_("Tệp rỗng."))
    name = (getattr(upload, "name", "") or "").lower()
    is_zip = content.startswith(ZIP_MAGIC)

    if name.endswith(".xlsx") or (is_zip and not name.endswith(".json")):
        if not is_zip or not _is_workbook(content):
            raise _bad(_("Tệp không phải là bảng tính Excel (.xlsx) hợp lệ."))
        reader = WorkbookReader(content)
        try:
            data = reader.read()
        except Exception:  # openpyxl raises many kinds of errors on damaged files
            raise _bad(_("Không đọc được bảng tính Excel; tệp có thể bị hỏng.")) from None
        return ParsedUpload("xlsx", data, reader.errors, reader.locate)

    if is_zip:
        raise _bad(_("Tệp không phải là JSON hợp lệ."))
    try:
        text = content.decode("utf-8-sig")
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError):
        raise _bad(_("Tệp không phải là JSON hợp lệ (mã hóa UTF-8).")) from None
    if not isinstance(data, dict):
        raise _bad(_("Tệp JSON phải là một đối tượng có khóa “procedures”."))
    return ParsedUpload("json", data)


def _is_workbook(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def import_upload(upload, *, acting_user) -> dict:
    """Read and import in one call; raises InvalidInput with every error."""
    from tinhso.catalogue.actions import import_catalogue

    parsed = read_upload(upload)
    return import_catalogue(parsed.data, acting_user=acting_user, locate=parsed.locate, pre_errors=parsed.errors)
