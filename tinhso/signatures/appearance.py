"""The visible signature per Decree 30/2020 Appendix I.

Images (kept on the credential, `appearance_png`):
- the person's handwritten signature: blue, generated from the name in a
  slanted, script-like rendering with a flourish until a real scan is uploaded;
- the agency seal: red, round, the agency name around the ring and a star.

Layout (points, page 1, bottom right by default; `position="top-right"` for a
digitised incoming paper document). The group is 300 x 130 pt, 36 pt from the
page edges:

    x: 0 ........ 108 114 ........ 194
       seal text    [ seal, 80 pt ]
                          140 144 .................. 294 300
                              [ signature image 150 x 50 ]     (top 50 pt)
                    [ seal: y 46-126, over the image's left third ]
                              Người ký / Cơ quan / Thời gian ký (below the seal)

The seal's right edge sits 50 pt into the 150 pt signature image, so it
covers the left third of it. Each widget carries the agency name and the
ISO 8601 signing time in Vietnam time. Text is set in DejaVu Sans, embedded
(subset) so Vietnamese renders in every viewer.

Each stamp's text is drawn with ReportLab into a one-page PDF of the widget's
size, imported by pyHanko as a form XObject; the images are PDF image
XObjects (with a soft mask for the transparency) drawn under it. Fonts are
registered once per process; each distinct image is decoded and compressed
once per process, not on every signature."""

from __future__ import annotations

import hashlib
import io
import math
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from tinhso.dossiers.documents import fonts

GROUP_W, GROUP_H = 300.0, 130.0
MARGIN = 36.0
SEAL_D = 80.0
SEAL_X = 114.0                      # seal circle left edge in the group
SEAL_BOX = (0.0, 0.0, 194.0, GROUP_H)    # seal widget in the group
PERSON_BOX = (140.0, 0.0, 300.0, GROUP_H)  # person widget in the group
SIG_W, SIG_H = 150.0, 50.0
SIG_X = 144.0                       # signature image left edge in the group
FONT_SIZE = 6.5
SEAL_RED = (200, 16, 30)
INK_BLUE = (18, 42, 160)


@dataclass(frozen=True)
class Box:
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self):
        return self.x2 - self.x1

    @property
    def height(self):
        return self.y2 - self.y1

    def as_ints(self):
        return (round(self.x1), round(self.y1), round(self.x2), round(self.y2))


def group_origin(page_width: float, page_height: float, position: str) -> tuple[float, float]:
    x = page_width - MARGIN - GROUP_W
    y = page_height - MARGIN - GROUP_H if position == "top-right" else MARGIN
    return max(x, 0.0), max(y, 0.0)


def seal_box(origin, *, with_person: bool) -> Box:
    ox, oy = origin
    if with_person:
        x1, y1, x2, y2 = SEAL_BOX
    else:  # the seal alone sits at the right of the group
        x1, y1, x2, y2 = GROUP_W - SEAL_BOX[2], SEAL_BOX[1], GROUP_W, SEAL_BOX[3]
    return Box(ox + x1, oy + y1, ox + x2, oy + y2)


def person_box(origin) -> Box:
    ox, oy = origin
    x1, y1, x2, y2 = PERSON_BOX
    return Box(ox + x1, oy + y1, ox + x2, oy + y2)


# --- images (PNG, generated once and stored on the credential) ---------------

def _pil_font(path: str, size: int):
    from PIL import ImageFont

    return ImageFont.truetype(path, size)


def seal_png(agency_name: str) -> bytes:
    """A red round seal with the agency name around the ring and a star."""
    from PIL import Image, ImageDraw

    size = 400
    c = size / 2
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    red = SEAL_RED + (225,)
    draw.ellipse((6, 6, size - 6, size - 6), outline=red, width=11)
    draw.ellipse((64, 64, size - 64, size - 64), outline=red, width=4)

    text = unicodedata.normalize("NFC", agency_name.upper())
    radius = c - 38                   # the text baseline circle, between the two rings
    span = math.radians(320)          # arc the text may use, centred at the top
    bold = fonts.find_fonts().bold
    font_size = 31
    font = _pil_font(bold, font_size)
    while font_size > 12:
        total = sum(font.getlength(ch) for ch in text) * 1.08
        if total / (radius - font_size * 0.35) <= span:
            break
        font_size -= 2
        font = _pil_font(bold, font_size)
    r_text = radius - font_size * 0.35
    widths = [font.getlength(ch) * 1.08 for ch in text]
    angle = -sum(widths) / r_text / 2  # start (radians, 0 = top, clockwise)
    for ch, w in zip(text, widths):
        mid = angle + w / r_text / 2
        glyph = Image.new("RGBA", (font_size * 2, font_size * 2), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((font_size, font_size), ch, font=font, fill=red, anchor="mm")
        glyph = glyph.rotate(-math.degrees(mid), resample=Image.BICUBIC)
        gx = c + r_text * math.sin(mid) - glyph.width / 2
        gy = c - r_text * math.cos(mid) - glyph.height / 2
        img.alpha_composite(glyph, (round(gx), round(gy)))
        angle += w / r_text

    # the five-pointed star in the centre
    outer, inner = 62, 24
    pts = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = math.radians(-90 + i * 36)
        pts.append((c + r * math.cos(a), c + r * math.sin(a)))
    draw.polygon(pts, fill=red)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()


def signature_png(full_name: str) -> bytes:
    """A blue, slanted, script-like rendering of the name with a flourish
    (a stand-in until the person's scanned signature is uploaded)."""
    from PIL import Image, ImageDraw

    name = unicodedata.normalize("NFC", full_name.strip() or "?")
    fs = fonts.find_fonts()
    face = fs.italic if fs.italic != fs.regular else fs.regular
    font = _pil_font(face, 80)
    w, h = 900, 300
    canvas = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    ink = INK_BLUE + (255,)
    text_w = font.getlength(name)
    scale = min(1.0, (w - 120) / max(text_w, 1))
    if scale < 1.0:
        font = _pil_font(face, max(int(80 * scale), 20))
        text_w = font.getlength(name)
    x0 = (w - text_w) / 2
    draw.text((x0, h * 0.45), name, font=font, fill=ink, anchor="lm")
    # the flourish: a long sweep under the name
    pts = []
    for i in range(0, 101):
        t = i / 100
        x = x0 - 30 + (text_w + 90) * t
        y = h * 0.72 + 20 * math.sin(t * math.pi * 1.6) - 30 * t
        pts.append((x, y))
    draw.line(pts, fill=ink, width=5, joint="curve")
    # slant the whole thing (a shear), like handwriting
    shear = 0.12
    canvas = canvas.transform((w, h), Image.AFFINE, (1, shear, -shear * h / 2, 0, 1, 0), resample=Image.BICUBIC)
    bbox = canvas.getbbox() or (0, 0, w, h)
    canvas = canvas.crop((max(bbox[0] - 10, 0), max(bbox[1] - 10, 0), min(bbox[2] + 10, w), min(bbox[3] + 10, h)))
    out = io.BytesIO()
    canvas.save(out, format="PNG", optimize=True)
    return out.getvalue()


# --- the per-signing stamp ----------------------------------------------------

@dataclass(frozen=True)
class PlacedImage:
    """An image in a stamp: the PNG and where it goes (points, widget space)."""
    png: bytes
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Stamp:
    """One widget's picture: `pdf` is a one-page PDF of the widget's size with
    the text (ReportLab, DejaVu Sans subset embedded); `images` are drawn
    under it. The images are kept apart so that they are decoded and
    compressed once per process (`encoded_image`), not on every signature:
    only the text changes from one signature to the next (the signing time)."""
    pdf: bytes
    images: tuple[PlacedImage, ...]


@dataclass(frozen=True)
class EncodedImage:
    """A PNG as PDF image data: 8-bit RGB samples and, when the image has
    transparency, 8-bit alpha samples (the soft mask), both Flate-compressed."""
    width: int
    height: int
    rgb: bytes
    alpha: bytes | None


_img_lock = threading.Lock()
_images: dict[str, EncodedImage] = {}


def _encode(png: bytes) -> EncodedImage:
    import zlib

    from PIL import Image

    with Image.open(io.BytesIO(png)) as im:
        im.load()
        has_alpha = im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info
        if has_alpha:
            rgba = im.convert("RGBA")
            rgb, alpha = rgba.convert("RGB"), rgba.getchannel("A")
        else:
            rgb, alpha = im.convert("RGB"), None
        return EncodedImage(rgb.width, rgb.height, zlib.compress(rgb.tobytes()),
                            zlib.compress(alpha.tobytes()) if alpha is not None else None)


def encoded_image(png: bytes) -> EncodedImage:
    """The PNG decoded and compressed once per process per distinct image."""
    key = hashlib.sha256(png).hexdigest()
    hit = _images.get(key)
    if hit is None:
        with _img_lock:
            hit = _images.get(key)
            if hit is None:
                hit = _encode(png)
                if len(_images) > 256:
                    _images.clear()
                _images[key] = hit
    return hit


def _fit(png: bytes, x: float, y: float, width: float, height: float) -> PlacedImage:
    """The image scaled into the box, aspect ratio kept, centred."""
    img = encoded_image(png)
    scale = min(width / img.width, height / img.height)
    w, h = img.width * scale, img.height * scale
    return PlacedImage(png, x + (width - w) / 2, y + (height - h) / 2, w, h)


@lru_cache(maxsize=1)
def _font() -> str:
    return fonts.register()


def _lines(canvas, x: float, top: float, width: float, parts: list[tuple[str, str]]) -> None:
    from reportlab.lib.utils import simpleSplit

    family = _font()
    y = top
    for face, text in parts:
        name = family if face == "regular" else f"{family}-Bold"
        for line in simpleSplit(text, name, FONT_SIZE, width):
            canvas.setFont(name, FONT_SIZE)
            canvas.drawString(x, y, line)
            y -= FONT_SIZE + 1.6


def _pdf(width: float, height: float, draw) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=(width, height), pageCompression=1)
    c.setTitle("chu-ky-so")
    draw(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def seal_stamp(*, seal: bytes, agency_name: str, signing_time: str, with_person: bool) -> Stamp:
    box = seal_box((0.0, 0.0), with_person=with_person)
    seal_bottom = GROUP_H - SEAL_D - 4  # the seal's top level with the signature image's top

    def draw(c):
        c.setFillColorRGB(*(v / 255 for v in SEAL_RED))
        _lines(c, 0, GROUP_H - 12, SEAL_X - 6, [
            ("bold", "Chữ ký số cơ quan"),
            ("regular", f"Ký bởi: {agency_name}"),
            ("regular", "Thời gian ký:"),
            ("regular", signing_time),
        ])

    return Stamp(_pdf(box.width, box.height, draw), (PlacedImage(seal, SEAL_X, seal_bottom, SEAL_D, SEAL_D),))


def person_stamp(*, signature: bytes, person_name: str, agency_name: str, signing_time: str) -> Stamp:
    box = Box(*PERSON_BOX)

    def draw(c):
        c.setFillColorRGB(*(v / 255 for v in INK_BLUE))
        _lines(c, SIG_X - box.x1, GROUP_H - SEAL_D - 14, SIG_W, [  # below the seal
            ("bold", f"Người ký: {person_name}"),
            ("regular", f"Cơ quan: {agency_name}"),
            ("regular", f"Thời gian ký: {signing_time}"),
        ])

    image = _fit(signature, SIG_X - box.x1, GROUP_H - SIG_H - 4, SIG_W, SIG_H)
    return Stamp(_pdf(box.width, box.height, draw), (image,))
