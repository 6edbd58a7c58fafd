"""Photos, videos and documents of a report: checked by content, the
original kept for staff, and for photos a public copy re-encoded without
EXIF (GPS position, device) and scaled to a size a phone loads quickly."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from tinhso.core.errors import InvalidInput
from tinhso.dossiers.uploads import ALLOWED as DOCUMENT_TYPES
from tinhso.dossiers.uploads import CheckedUpload, check_upload

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm", "video/quicktime": "mov"}
MEDIA_TYPES = {**PHOTO_TYPES, **VIDEO_TYPES}
EVIDENCE_TYPES = {**PHOTO_TYPES, **VIDEO_TYPES, "application/pdf": "pdf",
                  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx"}
PUBLIC_EDGE = 1600


def photo_limit() -> int:
    return int(getattr(settings, "TINHSO_REPORT_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def video_limit() -> int:
    return int(getattr(settings, "TINHSO_REPORT_VIDEO_MAX_BYTES", 30 * 1024 * 1024))


def check_media(upload, field: str = "photos", *, evidence: bool = False) -> CheckedUpload:
    """A photo (JPG, PNG, WebP up to 10 MB) or a short video (MP4, WebM, MOV up
    to 30 MB); an answer's evidence may also be a PDF or DOCX document."""
    allowed = EVIDENCE_TYPES if evidence else MEDIA_TYPES
    label = "ảnh JPG, PNG, WebP; video MP4, WebM, MOV" + ("; tài liệu PDF, DOCX" if evidence else "")
    checked = check_upload(upload, field, allowed=allowed, label=label, limit=max(photo_limit(), video_limit()))
    if checked.content_type in PHOTO_TYPES:
        if len(checked.data) > photo_limit():
            raise _bad(field, f"Ảnh “{checked.name}” quá lớn; tối đa {photo_limit() // 1024 // 1024} MB.")
        public_copy(checked)  # a photo that cannot be decoded is refused now, not later
    return checked


def kind_of(content_type: str) -> str:
    if content_type in PHOTO_TYPES:
        return "photo"
    if content_type in VIDEO_TYPES:
        return "video"
    assert content_type in DOCUMENT_TYPES or content_type in EVIDENCE_TYPES
    return "document"


def public_copy(checked: CheckedUpload) -> ContentFile:
    """The photo re-encoded as JPEG without any metadata (EXIF, XMP, ICC
    comments), turned upright first, no larger than 1600 px."""
    try:
        with Image.open(io.BytesIO(checked.data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PUBLIC_EDGE, PUBLIC_EDGE))
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise _bad("photos", f"Ảnh “{checked.name}” bị hỏng hoặc không đọc được.") from None
    stem = checked.name.rsplit(".", 1)[0][:80] or "anh"
    return ContentFile(out.getvalue(), name=f"{stem}.jpg")


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, code="invalid_file", errors=[{"field": field, "message": message}])
