"""edXML messages: built, signed, parsed back; every bad message refused with
a reason in the N./R. style and nothing registered; the signature checked by
xmlsec1 (Debian's XML Security Library tool), a validator we did not write."""

from __future__ import annotations

import base64
import datetime
import shutil
import subprocess

import pytest
from lxml import etree

from tinhso.officialdocs import edxml
from tinhso.officialdocs.actions import receive_message
from tinhso.officialdocs.models import OfficialDocument

pytestmark = pytest.mark.django_db


def message(offices, **kw) -> edxml.EdDocument:
    data = dict(sender=edxml.Organ(offices.sxd.code, offices.sxd.name),
                recipients=[edxml.Organ(offices.commune.code, offices.commune.name)],
                document_id=f"{offices.sxd.code},2026/12/04,7/SXD-QLXD", code_number="7", code_notation="SXD-QLXD",
                place="Cần Thơ", promulgation_date=datetime.date(2026, 12, 4), type_code="CV", type_name="Công văn",
                subject="V/v kiểm tra trật tự xây dựng", signer_position="Phó Giám đốc", signer_name="Võ Quốc Dũng",
                to_places=["UBND Phường Ninh Kiều"],
                attachments=[edxml.Attachment("7-SXD-QLXD.pdf", "application/pdf", b"%PDF-1.7 noi dung")])
    data.update(kw)
    return edxml.EdDocument(**data)


def seal(agency):
    from tinhso.signatures import pki

    return pki.credential_for_agency(agency)


def test_round_trip(offices):
    original = message(offices)
    data = edxml.build_document(original, credential=seal(offices.sxd))
    parsed = edxml.parse(data)
    assert parsed.document_id == original.document_id and parsed.subject == original.subject
    assert [r.organ_id for r in parsed.recipients] == [offices.commune.code]
    assert parsed.attachments[0].data == b"%PDF-1.7 noi dung"
    assert parsed.promulgation_date == datetime.date(2026, 12, 4)
    root = etree.fromstring(data)
    assert root.tag == "{http://www.mic.gov.vn/TBT/QCVN_102_2016}edXML"
    assert root.find(".//{*}Bussiness/{*}BussinessDocType").text == "0"  # the wire name, misspelt as in the spec


def _tamper(data: bytes, path: str, value: str) -> bytes:
    root = etree.fromstring(data)
    root.find(path, namespaces=edxml.NSMAP).text = value
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


@pytest.mark.parametrize("change, prefix", [
    ({"subject": "x" * 501}, "R.Subject"),
    ({"subject": ""}, "N.Subject"),
    ({"recipients": "dup"}, "R.To"),
    ({"to_places": ["y" * 151]}, "R.Place"),
])
def test_bad_fields(offices, change, prefix):
    if change.get("recipients") == "dup":
        organ = edxml.Organ(offices.commune.code, offices.commune.name)
        change = {"recipients": [organ, organ]}
    data = edxml.build_document(message(offices, **change), credential=seal(offices.sxd))
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(data)
    assert caught.value.message.startswith(prefix) and caught.value.status_code == "02"


def test_tampering_breaks_the_signature_and_nothing_is_registered(offices):
    data = edxml.build_document(message(offices), credential=seal(offices.sxd))
    changed = _tamper(data, "edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:MessageHeader/edXML:Subject", "Khác")
    with pytest.raises(edxml.EdxmlError) as caught:
        receive_message(changed, to_organ=offices.commune.code)
    assert caught.value.message.startswith("R.Signature")
    assert not OfficialDocument.objects.exists()


def test_an_attachment_that_does_not_match_its_hash_is_refused(offices):
    data = edxml.build_document(message(offices), credential=seal(offices.sxd))
    changed = _tamper(data, "edXML:Attachments/edXML:Attachment", base64.b64encode(b"%PDF-1.7 sua doi").decode())
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(changed)
    assert "mã băm" in caught.value.message


def test_unsigned_malformed_and_untrusted_messages(offices, tmp_path):
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(edxml.build_document(message(offices)))
    assert caught.value.message.startswith("N.Signature")
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(b"<edXML><chua-dong>")
    assert caught.value.message.startswith("N.edXML")
    with pytest.raises(edxml.EdxmlError):
        edxml.parse(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>')
    # A key of nobody the province trusts.
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from signxml import XMLSigner, methods

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Kẻ mạo danh")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(dt.datetime(2026, 1, 1)).not_valid_after(dt.datetime(2030, 1, 1))
            .sign(key, hashes.SHA256()))
    root = etree.fromstring(edxml.build_document(message(offices)))
    signed = XMLSigner(method=methods.enveloped, c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#").sign(
        root, key=key, cert=[cert.public_bytes(serialization.Encoding.PEM).decode()],
        reference_uri=["#edXMLHeader", "#edXMLBody"])
    with pytest.raises(edxml.EdxmlError) as caught:
        edxml.parse(etree.tostring(signed))
    assert "không được tin cậy" in caught.value.message


def test_a_duplicate_document_id_is_registered_once(offices):
    data = edxml.build_document(message(offices), credential=seal(offices.sxd))
    first = receive_message(data, to_organ=offices.commune.code)
    again = receive_message(data, to_organ=offices.commune.code)
    assert first.pk == again.pk and OfficialDocument.objects.filter(direction="in").count() == 1


def test_a_message_for_someone_else_is_refused(offices):
    data = edxml.build_document(message(offices), credential=seal(offices.sxd))
    with pytest.raises(edxml.EdxmlError) as caught:
        receive_message(data, to_organ=offices.sxd.code)
    assert caught.value.message.startswith("R.To")


def test_status_round_trip(offices):
    status = edxml.EdStatus(response_for="x,2026/12/04,1/SXD", sender=edxml.Organ(offices.commune.code, "UBND"),
                            to_organ_id=offices.sxd.code, status_code="03", description="Đã vào sổ",
                            timestamp=datetime.datetime(2026, 12, 4, 9, 30, tzinfo=datetime.timezone.utc))
    parsed = edxml.parse(edxml.build_status(status, credential=seal(offices.commune)))
    assert parsed.status_code == "03" and parsed.response_for == status.response_for
    bad = edxml.build_status(edxml.EdStatus(**{**status.__dict__, "status_code": "99"}),
                             credential=seal(offices.commune))
    with pytest.raises(edxml.EdxmlError):
        edxml.parse(bad)


@pytest.mark.skipif(not shutil.which("xmlsec1"), reason="xmlsec1 not installed (bin/setup --browser)")
def test_xmlsec1_verifies_our_signature_and_refuses_a_tampered_one(offices, tmp_path):
    from cryptography.hazmat.primitives import serialization

    from tinhso.signatures import pki

    data = edxml.build_document(message(offices), credential=seal(offices.sxd))
    loaded = pki.load(seal(offices.sxd))
    from asn1crypto import pem

    trusted = []  # xmlsec1 reads one certificate per --trusted-pem file
    for number, cert_pem in enumerate([c.public_bytes(serialization.Encoding.PEM) for c in loaded.chain]
                                      + [pem.armor("CERTIFICATE", c.dump()) for c in pki.trusted_roots()]):
        path = tmp_path / f"trusted-{number}.pem"
        path.write_bytes(cert_pem)
        trusted += ["--trusted-pem", str(path)]
    signed = tmp_path / "message.xml"
    signed.write_bytes(data)
    command = ["xmlsec1", "--verify", "--id-attr:Id", f"{edxml.NS}:edXMLHeader", "--id-attr:Id",
               f"{edxml.NS}:edXMLBody", *trusted, str(signed)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    signed.write_bytes(_tamper(data, "edXML:edXMLEnvelope/edXML:edXMLHeader/edXML:MessageHeader/edXML:Subject", "X"))
    assert subprocess.run(command, capture_output=True).returncode != 0
