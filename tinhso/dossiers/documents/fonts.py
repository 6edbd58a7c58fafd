"""A TrueType font with Vietnamese glyphs for the PDF forms.

ReportLab's built-in fonts (Helvetica, Times) are Latin-1 only: Vietnamese
letters such as "ễ" or "ự" would print as black boxes. We register DejaVu
Sans (Debian package `fonts-dejavu-core`) or, failing that, Noto Sans
(`fonts-noto-core`). Settings `TINHSO_PDF_FONT_DIR` may name a directory
holding either family's files; it is searched first."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FAMILY = "TinhSoSans"

# (regular, bold, italic, bold italic) file names of each candidate family;
# italics are optional (fonts-dejavu-core ships no oblique faces).
FAMILIES = [
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"),
]
SYSTEM_DIRS = [
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/noto",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
]


class FontNotFound(ImproperlyConfigured):
    pass


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    italic: str
    bold_italic: str


def _dirs() -> list[str]:
    override = getattr(settings, "TINHSO_PDF_FONT_DIR", None)
    return ([str(override)] if override else []) + SYSTEM_DIRS


def find_fonts() -> FontSet:
    """The first family found, as file paths (a missing italic or bold face
    falls back to the regular one)."""
    for regular, bold, italic, bold_italic in FAMILIES:
        for directory in _dirs():
            base = os.path.join(directory, regular)
            if not os.path.isfile(base):
                continue

            def face(name, fallback):
                path = os.path.join(directory, name)
                return path if os.path.isfile(path) else fallback

            bold_path = face(bold, base)
            return FontSet(regular=base, bold=bold_path, italic=face(italic, base),
                           bold_italic=face(bold_italic, bold_path))
    raise FontNotFound(
        "Không tìm thấy phông chữ tiếng Việt để tạo tệp PDF (cần DejaVuSans.ttf hoặc NotoSans-Regular.ttf). "
        "Cài gói Debian `fonts-dejavu-core` (apt-get install fonts-dejavu-core) hoặc đặt TINHSO_PDF_FONT_DIR "
        f"trỏ tới thư mục chứa phông. Đã tìm trong: {', '.join(_dirs())}.")


_lock = threading.Lock()
_registered: FontSet | None = None


def register() -> str:
    """Register the family with ReportLab once; returns the family name.
    Faces are `TinhSoSans`, `TinhSoSans-Bold`, `-Italic`, `-BoldItalic`."""
    global _registered
    fonts = find_fonts()
    if _registered == fonts:
        return FAMILY
    with _lock:
        if _registered == fonts:
            return FAMILY
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        for name, path in ((FAMILY, fonts.regular), (f"{FAMILY}-Bold", fonts.bold),
                           (f"{FAMILY}-Italic", fonts.italic), (f"{FAMILY}-BoldItalic", fonts.bold_italic)):
            pdfmetrics.registerFont(TTFont(name, path))
        pdfmetrics.registerFontFamily(FAMILY, normal=FAMILY, bold=f"{FAMILY}-Bold", italic=f"{FAMILY}-Italic",
                                      boldItalic=f"{FAMILY}-BoldItalic")
        addMapping(FAMILY, 0, 0, FAMILY)
        _registered = fonts
    return FAMILY
