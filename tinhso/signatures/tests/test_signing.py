import io
import shutil
import subprocess

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from tinhso.core.errors import InvalidInput
from tinhso.signatures import appearance, service
from tinhso.signatures.models import SigningCredential
from tinhso.signatures.tests.conftest import MARKER, make_pdf
from tinhso.signatures.tests.helpers import credential_from_untrusted_root, pdfsig, tamper


@pytest.fixture
def signed(db, tsa_adapter, sample_pdf, seal_agency, signer_user):
    return service.sign_pdf(sample_pdf, agency=seal_agency, person=signer_user, reason="Phát hành kết quả",
                            location="Cần Thơ")


def test_person_then_seal_verify_with_pyhanko(signed, tsa_adapter):
    report = service.verify_pdf(signed)
    assert report["verdict"] == "valid" and report["signature_count"] == 2
    person, seal = report["signatures"]
    assert person["signer"]["common_name"] == "Nguyễn Văn Ánh"
    assert person["signer"]["organization"] == "Sở Tư pháp thành phố Cần Thơ"
    assert seal["signer"]["organization_identifier"] == "000.00.12.H13"
    for s in (person, seal):
        assert s["intact"] and s["trust"] == "trusted" and s["verdict"] == "valid"
        assert s["timestamp"]["trusted"] and s["timestamp"]["intact"]        # PAdES B-T
        assert "Tỉnh Số Demo TSA" in s["timestamp"]["authority"]
        assert s["signing_time"].endswith("+07:00")
    assert seal["covers_whole_file"] and not person["covers_whole_file"]
    assert person["modification"] == "form_filling"                         # only the seal was added after
    assert [c[1] for c in tsa_adapter.calls if c[2] == 200]                   # the TSA really was called


def test_pdfsig_accepts_the_signatures(signed):
    text, sigs = pdfsig(signed)
    assert len(sigs) == 2, text
    for s in sigs:
        assert s["Signature Validation"] == "Signature is Valid.", text
        assert s["Signature Type"] == "ETSI.CAdES.detached"
    assert sigs[0]["Signer Certificate Common Name"] == "Nguyễn Văn Ánh"
    assert "2.5.4.97=000.00.12.H13" in sigs[1]["Signer full Distinguished Name"]
    assert "Total document signed" in sigs[1]
    # pdfsig checks trust against an NSS database, which does not hold the demo
    # root; trust is asserted through pyHanko with the configured roots.
    assert sigs[1]["Certificate Validation"] != "Certificate is Trusted."


def test_one_changed_byte_fails_both_validators(signed):
    bad = tamper(signed, MARKER.encode())
    assert len(bad) == len(signed) and sum(a != b for a, b in zip(bad, signed)) == 1
    report = service.verify_pdf(bad)
    assert report["verdict"] == "invalid"
    assert all(not s["intact"] and s["verdict"] == "invalid" for s in report["signatures"])
    text, sigs = pdfsig(bad)
    assert sigs and all(s["Signature Validation"] != "Signature is Valid." for s in sigs), text


def test_untrusted_root_is_reported_untrusted(db, tsa_adapter, sample_pdf, province):
    from tinhso.testing import make_agency

    other = make_agency("000.00.99.H13", "Cơ quan khác", unit=province)
    credential_from_untrusted_root(other)
    out = service.sign_pdf(sample_pdf, agency=other)
    report = service.verify_pdf(out)
    (sig,) = report["signatures"]
    assert sig["intact"] and sig["trust"] == "untrusted" and sig["verdict"] == "untrusted"
    assert report["verdict"] == "untrusted" and "KHÔNG" in report["verdict_text"]


def _widgets(data: bytes):
    r = PdfFileReader(io.BytesIO(data))
    page = r.root["/Pages"]["/Kids"][0].get_object()
    out = {}
    for ref in page.get("/Annots", []):
        annot = ref.get_object()
        if annot.get("/FT") == "/Sig" or annot.get("/Subtype") == "/Widget":
            out[str(annot["/T"])] = ([float(v) for v in annot["/Rect"]], annot["/AP"]["/N"].get_object())
    return out


def test_visible_appearance_on_page_one(signed, tmp_path):
    widgets = _widgets(signed)
    assert set(widgets) == {"ChuKyCaNhan", "ChuKyCoQuan"}
    (px1, py1, px2, py2), person_ap = widgets["ChuKyCaNhan"]
    (sx1, sy1, sx2, sy2), seal_ap = widgets["ChuKyCoQuan"]
    assert px2 - px1 > 100 and py2 - py1 > 100 and sx2 - sx1 > 100
    assert 595 - 36 - 1 <= px2 <= 595 and py1 >= 35          # bottom right of A4, inside the margins
    # the seal image's right edge sits one third into the 150 pt signature image
    sig_left = px1 + (appearance.SIG_X - appearance.PERSON_BOX[0])
    seal_right = sx1 + appearance.SEAL_X + appearance.SEAL_D
    assert seal_right - sig_left == pytest.approx(appearance.SIG_W / 3, abs=1)
    assert person_ap["/Resources"]["/XObject"] and seal_ap["/Resources"]["/XObject"]
    # the stamp text is set in an embedded TrueType font (DejaVu Sans subset)
    assert b"/FontFile2" in signed and b"DejaVu" in signed


def test_stamp_renders(signed, tmp_path):
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils not installed")
    from PIL import Image

    (tmp_path / "s.pdf").write_bytes(signed)
    subprocess.run(["pdftoppm", "-r", "72", "-f", "1", "-l", "1", "-png", str(tmp_path / "s.pdf"),
                    str(tmp_path / "p")], check=True, timeout=60)
    img = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    w, h = img.size
    region = img.crop((w - 36 - 300, h - 36 - 130, w - 36, h - 36))
    raw = region.tobytes()
    pixels = [tuple(raw[i:i + 3]) for i in range(0, len(raw), 3)]
    reds = sum(1 for r, g, b in pixels if r > 150 and g < 90 and b < 100)
    blues = sum(1 for r, g, b in pixels if b > 120 and r < 90 and g < 110)
    assert reds > 300 and blues > 200     # the red seal and the blue signature are drawn there


def test_agency_only_without_timestamp(db, tsa_adapter, sample_pdf, seal_agency):
    out = service.sign_pdf(sample_pdf, agency=seal_agency, timestamp=False, position="top-right")
    report = service.verify_pdf(out)
    (sig,) = report["signatures"]
    assert sig["verdict"] == "valid" and sig["timestamp"] is None and sig["covers_whole_file"]
    ((x1, y1, x2, y2), _ap), = _widgets(out).values()
    assert y2 >= 842 - 36 - 1                                 # top right
    assert not [c for c in tsa_adapter.calls if c[0] == "POST"]


def test_images_are_generated_once_and_kept(signed, seal_agency, signer_user):
    seal = SigningCredential.objects.get(agency=seal_agency, purpose="seal")
    person = SigningCredential.objects.get(user=signer_user, purpose="personal")
    assert bytes(seal.appearance_png).startswith(b"\x89PNG") and bytes(person.appearance_png).startswith(b"\x89PNG")


def test_signing_again_keeps_earlier_signatures(signed, seal_agency):
    again = service.sign_pdf(signed, agency=seal_agency)
    report = service.verify_pdf(again)
    assert report["signature_count"] == 3 and report["verdict"] == "valid"
    assert report["signatures"][2]["field"] == "ChuKyCoQuan2"


def test_bad_input_is_refused_with_a_message(db, tsa_adapter, seal_agency):
    with pytest.raises(InvalidInput) as exc:
        service.sign_pdf(b"not a pdf", agency=seal_agency)
    assert exc.value.message == "Tệp không phải là tệp PDF."
    with pytest.raises(InvalidInput):
        service.sign_pdf(b"%PDF-1.4 garbage", agency=seal_agency)
    with pytest.raises(InvalidInput):
        service.sign_pdf(make_pdf(), agency=seal_agency, position="middle")


def test_unsigned_and_damaged_pdfs_are_reported_not_raised(db):
    assert service.verify_pdf(make_pdf())["verdict"] == "unsigned"
    assert service.verify_pdf(b"%PDF-1.7\n garbage")["verdict"] in ("invalid", "unsigned")


def test_register_and_url(db, signed, settings):
    settings.TINHSO_BASE_URL = "https://dichvucong.example.vn"
    doc = service.register_signed_document(signed, "ket_qua")
    assert doc.code.startswith("VB") and len(doc.code) == 12
    assert service.verification_url(doc) == f"https://dichvucong.example.vn/xac-thuc/?ma={doc.code}"
    with pytest.raises(InvalidInput):
        service.register_signed_document(signed, "ket_qua", code=doc.code)
