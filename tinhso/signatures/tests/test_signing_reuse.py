"""What signing keeps per process (docs/performance.md, signing): the signer
built on the decrypted key, the encoded stamp images, the TSA's sample token.
Each must give exactly what doing the work again would give."""

import asyncio
import datetime
import io
import zlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tinhso.signatures import appearance, pki, service, tsa


@pytest.fixture
def seal_loaded(db, pki_dir, seal_agency):
    return pki.load(pki.credential_for_agency(seal_agency))


def _stock(loaded):
    return signers.SimpleSigner(signing_cert=loaded.asn1_cert, signing_key=loaded.asn1_key,
                                cert_registry=SimpleCertificateStore.from_certs(loaded.asn1_chain))


def test_the_loaded_key_signs_exactly_as_pyhanko_does(seal_loaded):
    ours, stock = service._simple_signer(seal_loaded), _stock(seal_loaded)
    data = b"signed attributes"
    # RSA PKCS#1 v1.5 is deterministic: the same key gives the same bytes
    assert ours.sign_raw(data, "sha256") == stock.sign_raw(data, "sha256")
    seal_loaded.cert.public_key().verify(ours.sign_raw(data, "sha384"), data, padding.PKCS1v15(), hashes.SHA384())
    real = asyncio.run(ours.async_sign_raw(data, "sha256"))
    dry = asyncio.run(ours.async_sign_raw(data, "sha256", dry_run=True))
    assert real == stock.sign_raw(data, "sha256")
    assert len(dry) == len(real) == 256 and dry == bytes(256)   # the size estimate's placeholder only


def test_the_key_is_converted_once_per_loaded_key(seal_loaded, monkeypatch):
    first, again = service._simple_signer(seal_loaded), service._simple_signer(seal_loaded)
    assert first is not again                                  # a signer per signature (pyHanko sets state)
    assert first.signing_key is again.signing_key and first.signing_cert is again.signing_cert
    # another key for the credential (pki.load read it again): converted again
    monkeypatch.setattr(pki, "_loaded", {})
    reloaded = pki.load(pki.SigningCredential.objects.get(pk=seal_loaded.credential_id))
    assert reloaded is not seal_loaded
    other = service._simple_signer(reloaded)
    assert other.signing_key is not first.signing_key
    assert other.signing_key is service._simple_signer(reloaded).signing_key
    assert other.sign_raw(b"x", "sha256") == first.sign_raw(b"x", "sha256")


def test_other_key_types_keep_pyhankos_code(db):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, "EC")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    signer = service._simple_signer(pki.LoadedCredential(-1, key, cert, ()))
    dry = asyncio.run(signer.async_sign_raw(b"x", "sha256", dry_run=True))
    assert dry != bytes(len(dry))                              # a real ECDSA signature, not zeros
    key.public_key().verify(signer.sign_raw(b"x", "sha256"), b"x", ec.ECDSA(hashes.SHA256()))
    assert signer.signing_cert.dump() == cert.public_bytes(serialization.Encoding.DER)


def _png(mode, size=(7, 5)):
    from PIL import Image

    img = Image.new(mode, size)
    img.putdata([tuple((i * 37 + c * 11) % 256 for c in range(len(mode))) for i in range(size[0] * size[1])])
    out = io.BytesIO()
    img.save(out, format="PNG")
    return img, out.getvalue()


def test_images_are_encoded_once_with_their_transparency():
    img, png = _png("RGBA")
    enc = appearance.encoded_image(png)
    assert appearance.encoded_image(png) is enc
    assert (enc.width, enc.height) == (7, 5)
    assert zlib.decompress(enc.rgb) == img.convert("RGB").tobytes()
    assert zlib.decompress(enc.alpha) == img.getchannel("A").tobytes()
    img, png = _png("RGB")
    enc = appearance.encoded_image(png)
    assert enc.alpha is None and zlib.decompress(enc.rgb) == img.tobytes()


def test_the_signature_image_keeps_its_aspect_ratio():
    _img, png = _png("RGBA", (300, 50))           # 6:1 into the 150 x 50 pt box (3:1)
    stamp = appearance.person_stamp(signature=png, person_name="A", agency_name="B", signing_time="T")
    (placed,) = stamp.images
    assert (placed.width, placed.height) == (150, 25)
    box_x, box_y = appearance.SIG_X - appearance.PERSON_BOX[0], appearance.GROUP_H - appearance.SIG_H - 4
    assert placed.x == box_x and placed.y == box_y + 12.5   # centred vertically
    assert stamp.pdf.startswith(b"%PDF-")


def test_the_stamp_images_are_image_xobjects_with_a_soft_mask(db, pki_dir, seal_agency, sample_pdf, settings):
    settings.TINHSO_TSA_URL = "off"
    out = service.sign_pdf(sample_pdf, agency=seal_agency)
    seal_png = bytes(pki.credential_for_agency(seal_agency).appearance_png)
    enc = appearance.encoded_image(seal_png)
    page = PdfFileReader(io.BytesIO(out)).root["/Pages"]["/Kids"][0].get_object()
    (widget,) = [a.get_object() for a in page["/Annots"]]
    images = [x.get_object() for x in widget["/AP"]["/N"].get_object()["/Resources"]["/XObject"].values()
              if x.get_object()["/Subtype"] == "/Image"]
    (image,) = images
    assert (image["/Width"], image["/Height"]) == (enc.width, enc.height)
    assert image.data == zlib.decompress(enc.rgb) and image["/SMask"].get_object().data == zlib.decompress(enc.alpha)
    assert service.verify_pdf(out)["verdict"] == "valid"


def test_the_tsa_sample_token_is_fetched_once(db, tsa_adapter, seal_agency, sample_pdf, monkeypatch):
    monkeypatch.setattr(tsa, "_dummies", {})
    posts = lambda: len([c for c in tsa_adapter.calls if c[0] == "POST" and c[2] == 200])  # noqa: E731
    first = service.sign_pdf(sample_pdf, agency=seal_agency)
    assert posts() == 2                           # the sample (sizes the placeholder) + the signature's token
    second = service.sign_pdf(sample_pdf, agency=seal_agency)
    assert posts() == 3                           # only the signature's own token
    for out in (first, second):
        (sig,) = service.verify_pdf(out)["signatures"]
        assert sig["verdict"] == "valid" and sig["timestamp"]["trusted"]
    monkeypatch.setattr(tsa, "DUMMY_MAX_AGE_SECONDS", 0)     # too old: fetched again
    service.sign_pdf(sample_pdf, agency=seal_agency)
    assert posts() == 5
