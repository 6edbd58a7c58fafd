"""Digitising paper: scanned pages (PDF or photos) made into one PDF and read
with Tesseract's Vietnamese data (Debian's tesseract-ocr-vie), so that the
text is searchable. Tesseract and pdftoppm are programs from Debian (installed
by bin/setup); without them the copy is kept and the text left empty, with a
warning in the log, never a failure of the registration."""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

log = logging.getLogger("tinhso.officialdocs")
MAX_PAGES = 30


def image_to_pdf(data: bytes) -> bytes:
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        out = io.BytesIO()
        image.save(out, "PDF", resolution=200)
    return out.getvalue()


def text_of(pdf: bytes, lang: str = "vie") -> str:
    if not shutil.which("tesseract") or not shutil.which("pdftoppm"):
        log.warning("OCR skipped: tesseract or pdftoppm is not installed (bin/setup installs them)")
        return ""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "scan.pdf"
        source.write_bytes(pdf)
        try:
            subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", "-l", str(MAX_PAGES), str(source),
                            str(Path(folder) / "page")], check=True, capture_output=True, timeout=120)
        except (subprocess.SubprocessError, OSError) as exc:
            log.warning("OCR skipped: the PDF could not be rasterised: %s", exc)
            return ""
        texts = []
        for page in sorted(Path(folder).glob("page*.png")):
            try:
                done = subprocess.run(["tesseract", str(page), "stdout", "-l", lang], check=True, capture_output=True,
                                      timeout=120)
            except (subprocess.SubprocessError, OSError) as exc:
                log.warning("OCR of %s failed: %s", page.name, exc)
                continue
            texts.append(done.stdout.decode("utf-8", "replace"))
    return "\n".join(texts).strip()
