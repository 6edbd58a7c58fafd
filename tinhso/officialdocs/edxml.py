"""edXML (QCVN 102:2016/BTTTT, amended 2022): the envelope of a document
exchanged between agencies, and the status messages that answer it.

`build_document` and `build_status` make the XML (the header and the body's
manifest signed with an enveloped XML signature, exclusive c14n, referenced by
Id, by the sending agency's seal credential); `parse` checks it (the required fields and length limits, no
duplicate recipient, attachments whose SHA-256 matches the manifest, the
signature and its certificate against the trusted roots) and returns the
fields, or raises `EdxmlError` with the status code to answer (02) and a
reason in the spec's style: N. (missing) and R. (out of range)."""

from __future__ import annotations

import base64
import datetime
import hashlib
from dataclasses import dataclass, field

from lxml import etree

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
E = "{%s}" % NS
NSMAP = {"edXML": NS}
LIMITS = {"Subject": 500, "Content": 500, "Place": 150, "AttachmentName": 200, "OrganName": 200,
          "CodeNotation": 30, "Description": 500}
MAX_BYTES = 50 * 1024 * 1024


class EdxmlError(ValueError):
    def __init__(self, message: str, status_code: str = "02"):
        super().__init__(message)
        self.message, self.status_code = message, status_code


@dataclass
class Organ:
    organ_id: str
    name: str
    address: str = ""
    email: str = ""
    telephone: str = ""


@dataclass
class Attachment:
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass
class EdDocument:
    sender: Organ
    recipients: list[Organ]
    document_id: str
    code_number: str
    code_notation: str
    place: str
    promulgation_date: datetime.date
    type_code: str
    type_name: str
    subject: str
    signer_position: str
    signer_name: str
    content: str = ""
    due_date: datetime.date | None = None
    priority: int = 0
    to_places: list[str] = field(default_factory=list)
    business_type: int = 0  # 0 new, 1 recall, 2 update, 3 replace
    business_reason: str = ""
    response_for: str = ""  # the DocumentId this one replaces or corrects
    staff_name: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    timestamp: datetime.datetime | None = None


@dataclass
class EdStatus:
    response_for: str  # the DocumentId it answers
    sender: Organ
    to_organ_id: str
    status_code: str
    description: str
    timestamp: datetime.datetime
    staff_name: str = ""


STATUS_CODES = {"01": "Đã đến", "02": "Từ chối tiếp nhận", "03": "Đã tiếp nhận, vào sổ", "04": "Đã phân công xử lý",
                "05": "Đang xử lý", "06": "Hoàn thành xử lý", "13": "Đề nghị thu hồi", "15": "Đồng ý thu hồi, cập nhật",
                "16": "Từ chối thu hồi, cập nhật"}


def _sub(parent, name: str, text=None):
    node = etree.SubElement(parent, E + name)
    if text is not None:
        node.text = str(text)
    return node


def _organ(parent, name: str, organ: Organ):
    node = _sub(parent, name)
    _sub(node, "OrganId", organ.organ_id)
    _sub(node, "OrganName", organ.name)
    _sub(node, "OrganAdd", organ.address)
    _sub(node, "Email", organ.email)
    _sub(node, "Telephone", organ.telephone)
    return node


def _stamp(moment: datetime.datetime) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y/%m/%d %H:%M:%S")


def build_document(doc: EdDocument, *, credential=None) -> bytes:
    from django.utils import timezone

    root = etree.Element(E + "edXML", nsmap=NSMAP)
    envelope = _sub(root, "edXMLEnvelope")
    header = _sub(envelope, "edXMLHeader")
    header.set("Id", "edXMLHeader")
    message = _sub(header, "MessageHeader")
    _organ(message, "From", doc.sender)
    for organ in doc.recipients:
        _organ(message, "To", organ)
    _sub(message, "DocumentId", doc.document_id)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", doc.code_number)
    _sub(code, "CodeNotation", doc.code_notation)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", doc.place)
    _sub(promulgation, "PromulgationDate", doc.promulgation_date.strftime("%Y/%m/%d"))
    kind = _sub(message, "DocumentType")
    _sub(kind, "Type", "1")
    _sub(kind, "TypeDetail", doc.type_code)
    _sub(kind, "TypeName", doc.type_name)
    _sub(message, "Subject", doc.subject)
    _sub(message, "Content", doc.content)
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Competence", "")
    _sub(signer, "Position", doc.signer_position)
    _sub(signer, "FullName", doc.signer_name)
    _sub(message, "DueDate", doc.due_date.strftime("%Y/%m/%d") if doc.due_date else "")
    places = _sub(message, "ToPlaces")
    for place in doc.to_places:
        _sub(places, "Place", place)
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", doc.priority)
    _sub(other, "PageAmount", "")
    _sub(message, "SteeringType", "0")
    if doc.response_for:
        response = _sub(message, "ResponseFor")
        _sub(response, "DocumentId", doc.response_for)
    trace = _sub(header, "TraceHeaderList")
    trace_header = _sub(trace, "TraceHeader")
    _sub(trace_header, "OrganId", doc.sender.organ_id)
    _sub(trace_header, "Timestamp", _stamp(doc.timestamp or timezone.now()))
    business = _sub(trace, "Bussiness")  # sic: the wire name
    _sub(business, "DocumentId", doc.document_id)
    _sub(business, "BussinessDocType", doc.business_type)
    _sub(business, "BussinessDocReason", doc.business_reason)
    _sub(business, "Paper", "0")
    staff = _sub(business, "StaffInfo")
    _sub(staff, "Staff", doc.staff_name)
    body = _sub(envelope, "edXMLBody")
    body.set("Id", "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    attachments = _sub(root, "Attachments")
    for number, attachment in enumerate(doc.attachments, start=1):
        reference = _sub(manifest, "Reference")
        _sub(reference, "ContentId", f"cid:{number}")
        _sub(reference, "ContentType", attachment.content_type)
        _sub(reference, "Description", attachment.description)
        _sub(reference, "AttachmentName", attachment.name)
        _sub(reference, "Sha256", hashlib.sha256(attachment.data).hexdigest())
        node = _sub(attachments, "Attachment", base64.b64encode(attachment.data).decode("ascii"))
        node.set("ContentId", f"cid:{number}")
    return _signed(root, ["#edXMLHeader", "#edXMLBody"], credential)


def build_status(status: EdStatus, *, credential=None) -> bytes:
    root = etree.Element(E + "Status", nsmap=NSMAP)
    header = _sub(root, "edXMLHeader")
    header.set("Id", "StatusHeader")
    _sub(header, "ResponseFor", status.response_for)
    _organ(header, "From", status.sender)
    _sub(header, "To", status.to_organ_id)
    _sub(header, "StatusCode", status.status_code)
    _sub(header, "Description", status.description)
    _sub(header, "Timestamp", _stamp(status.timestamp))
    staff = _sub(header, "StaffInfo")
    _sub(staff, "Staff", status.staff_name)
    return _signed(root, ["#StatusHeader"], credential)


def _signed(root, references: list[str], credential) -> bytes:
    """An enveloped XML signature (exclusive c14n, RSA-SHA256) as the last
    child of the root, over the elements named by `references` (the header,
    and for a document the body with its manifest of attachment hashes)."""
    if credential is not None:
        from cryptography.hazmat.primitives import serialization
        from signxml import XMLSigner, methods

        from tinhso.signatures import pki

        loaded = pki.load(credential)
        certs = [c.public_bytes(serialization.Encoding.PEM).decode() for c in (loaded.cert, *loaded.chain)]
        signer = XMLSigner(method=methods.enveloped, c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#")
        root = signer.sign(root, key=loaded.key, cert=certs, always_add_key_value=False, reference_uri=references)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


# ---- parsing -----------------------------------------------------------------

def _text(node, path: str, label: str, *, required: bool = True, limit: int | None = None) -> str:
    found = node.find(path, namespaces=NSMAP)
    value = (found.text or "").strip() if found is not None else ""
    if required and not value:
        raise EdxmlError(f"N.{label}: thiếu trường bắt buộc.")
    limit = limit or LIMITS.get(label)
    if limit and len(value) > limit:
        raise EdxmlError(f"R.{label}: dài {len(value)} ký tự, tối đa {limit}.")
    return value


def _read_organ(node) -> Organ:
    return Organ(organ_id=_text(node, "edXML:OrganId", "OrganId", limit=40),
                 name=_text(node, "edXML:OrganName", "OrganName"),
                 address=_text(node, "edXML:OrganAdd", "OrganAdd", required=False, limit=300),
                 email=_text(node, "edXML:Email", "Email", required=False, limit=200),
                 telephone=_text(node, "edXML:Telephone", "Telephone", required=False, limit=50))


def _date(value: str, label: str) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y/%m/%d").date()
    except ValueError:
        raise EdxmlError(f"R.{label}: ngày phải theo dạng yyyy/MM/dd.") from None


def _load(data: bytes):
    if len(data) > MAX_BYTES:
        raise EdxmlError(f"R.edXML: gói tin {len(data) // 1024 // 1024} MB, tối đa {MAX_BYTES // 1024 // 1024} MB.")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise EdxmlError(f"N.edXML: không phải XML hợp lệ ({exc.msg}).") from None


def verify(root, references: list[str], *, require_signature: bool = True) -> str | None:
    """Check the enveloped signature: it must cover exactly `references` (by
    Id), its digests and value must hold, and its certificate must chain to
    the trusted roots; returns the signer's subject."""
    signature = root.find("{http://www.w3.org/2000/09/xmldsig#}Signature")
    if signature is None:
        if require_signature:
            raise EdxmlError("N.Signature: gói tin không có chữ ký số.")
        return None
    from signxml import XMLVerifier
    from signxml.exceptions import InvalidInput, InvalidSignature

    signed = sorted(r.get("URI") for r in signature.iter("{http://www.w3.org/2000/09/xmldsig#}Reference"))
    if signed != sorted(references):
        raise EdxmlError("R.Signature: chữ ký số không phủ đúng phần đầu và phần thân gói tin.")
    for reference in references:  # one element per Id, and it is the one read (no signature wrapping)
        found = root.xpath("//*[@Id=$id]", id=reference[1:])
        if len(found) != 1 or found[0].tag not in (E + "edXMLHeader", E + "edXMLBody"):
            raise EdxmlError(f"R.Signature: phần được ký {reference} không rõ ràng.")
    certs = [c.text for c in signature.iter("{http://www.w3.org/2000/09/xmldsig#}X509Certificate")]
    if not certs:
        raise EdxmlError("N.Signature: chữ ký không kèm chứng thư.")
    pem = "-----BEGIN CERTIFICATE-----\n" + certs[0].strip() + "\n-----END CERTIFICATE-----\n"
    try:
        XMLVerifier().verify(etree.tostring(root), x509_cert=pem, expect_references=len(references))
    except (InvalidSignature, InvalidInput, ValueError) as exc:
        raise EdxmlError(f"R.Signature: chữ ký số không hợp lệ ({exc}).") from None
    return _check_chain(certs)


def _check_chain(certs: list[str]) -> str:
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import CertificateValidator

    from tinhso.signatures.service import run_coroutine, validation_context

    parsed = [asn1_x509.Certificate.load(base64.b64decode("".join(c.split()))) for c in certs]
    validator = CertificateValidator(parsed[0], intermediate_certs=parsed[1:], validation_context=validation_context())
    try:
        run_coroutine(validator.async_validate_usage(set()))
    except Exception as exc:  # noqa: BLE001 - any failure to build a trusted path means "not trusted"
        raise EdxmlError(f"R.Signature: chứng thư của chữ ký không được tin cậy ({exc}).") from None
    return parsed[0].subject.human_friendly


def parse(data: bytes, *, require_signature: bool = True) -> EdDocument | EdStatus:
    root = _load(data)
    if root.tag == E + "Status":
        header = root.find("edXML:edXMLHeader", namespaces=NSMAP)
        if header is None or (require_signature and header.get("Id") != "StatusHeader"):
            raise EdxmlError("N.edXMLHeader: thiếu phần đầu gói tin trạng thái.")
        verify(root, ["#StatusHeader"], require_signature=require_signature)
        code = _text(header, "edXML:StatusCode", "StatusCode", limit=2)
        if code not in STATUS_CODES:
            raise EdxmlError(f"R.StatusCode: mã trạng thái {code} không có trong QCVN 102.")
        stamp = _text(header, "edXML:Timestamp", "Timestamp")
        return EdStatus(response_for=_text(header, "edXML:ResponseFor", "ResponseFor", limit=200),
                        sender=_read_organ(header.find("edXML:From", namespaces=NSMAP)),
                        to_organ_id=_text(header, "edXML:To", "To", limit=40), status_code=code,
                        description=_text(header, "edXML:Description", "Description", required=False),
                        timestamp=_timestamp(stamp), staff_name=_text(header, "edXML:StaffInfo/edXML:Staff", "Staff",
                                                                      required=False, limit=200))
    if root.tag != E + "edXML":
        raise EdxmlError("N.edXML: phần tử gốc không phải edXML.")
    header = root.find("edXML:edXMLEnvelope/edXML:edXMLHeader", namespaces=NSMAP)
    body = root.find("edXML:edXMLEnvelope/edXML:edXMLBody", namespaces=NSMAP)
    if header is None or body is None:
        raise EdxmlError("N.edXMLHeader: thiếu phần đầu hoặc phần thân gói tin.")
    if require_signature and (header.get("Id") != "edXMLHeader" or body.get("Id") != "edXMLBody"):
        raise EdxmlError("R.Signature: phần đầu, phần thân gói tin không phải phần được ký.")
    verify(root, ["#edXMLBody", "#edXMLHeader"], require_signature=require_signature)
    message = header.find("edXML:MessageHeader", namespaces=NSMAP)
    if message is None:
        raise EdxmlError("N.MessageHeader: thiếu.")
    sender_node = message.find("edXML:From", namespaces=NSMAP)
    if sender_node is None:
        raise EdxmlError("N.From: thiếu nơi gửi.")
    recipients = [_read_organ(n) for n in message.findall("edXML:To", namespaces=NSMAP)]
    if not recipients:
        raise EdxmlError("N.To: thiếu nơi nhận.")
    ids = [r.organ_id for r in recipients]
    if len(set(ids)) != len(ids):
        raise EdxmlError("R.To: một nơi nhận (OrganId) xuất hiện nhiều lần.")
    places = [(p.text or "").strip() for p in message.findall("edXML:ToPlaces/edXML:Place", namespaces=NSMAP)]
    for place in places:
        if len(place) > LIMITS["Place"]:
            raise EdxmlError(f"R.Place: dài {len(place)} ký tự, tối đa {LIMITS['Place']}.")
    attachments = _attachments(root)
    trace_stamp = _text(header, "edXML:TraceHeaderList/edXML:TraceHeader/edXML:Timestamp", "Timestamp",
                        required=False)
    return EdDocument(
        sender=_read_organ(sender_node), recipients=recipients,
        document_id=_text(message, "edXML:DocumentId", "DocumentId", limit=200),
        code_number=_text(message, "edXML:Code/edXML:CodeNumber", "CodeNumber", limit=20),
        code_notation=_text(message, "edXML:Code/edXML:CodeNotation", "CodeNotation"),
        place=_text(message, "edXML:PromulgationInfo/edXML:Place", "Place", required=False),
        promulgation_date=_date(_text(message, "edXML:PromulgationInfo/edXML:PromulgationDate", "PromulgationDate"),
                                "PromulgationDate"),
        type_code=_text(message, "edXML:DocumentType/edXML:TypeDetail", "TypeDetail", required=False, limit=20),
        type_name=_text(message, "edXML:DocumentType/edXML:TypeName", "TypeName", required=False, limit=100),
        subject=_text(message, "edXML:Subject", "Subject"),
        content=_text(message, "edXML:Content", "Content", required=False),
        signer_position=_text(message, "edXML:SignerInfo/edXML:Position", "Position", required=False, limit=200),
        signer_name=_text(message, "edXML:SignerInfo/edXML:FullName", "FullName", required=False, limit=200),
        due_date=_date(_text(message, "edXML:DueDate", "DueDate", required=False), "DueDate"),
        priority=_priority(_text(message, "edXML:OtherInfo/edXML:Priority", "Priority", required=False)),
        to_places=places, attachments=attachments,
        response_for=_text(message, "edXML:ResponseFor/edXML:DocumentId", "ResponseFor", required=False, limit=200),
        business_type=_business(_text(header, "edXML:TraceHeaderList/edXML:Bussiness/edXML:BussinessDocType",
                                      "BussinessDocType", required=False)),
        business_reason=_text(header, "edXML:TraceHeaderList/edXML:Bussiness/edXML:BussinessDocReason",
                              "BussinessDocReason", required=False, limit=500),
        timestamp=_timestamp(trace_stamp) if trace_stamp else None)


def _business(value: str) -> int:
    if value in ("", "0", "1", "2", "3"):
        return int(value or 0)
    raise EdxmlError("R.BussinessDocType: phải là 0 (mới), 1 (thu hồi), 2 (cập nhật) hoặc 3 (thay thế).")


def _priority(value: str) -> int:
    if not value:
        return 0
    if value not in ("0", "1", "2", "3"):
        raise EdxmlError("R.Priority: độ khẩn phải từ 0 đến 3.")
    return int(value)


def _timestamp(value: str) -> datetime.datetime:
    from django.utils import timezone

    try:
        return timezone.make_aware(datetime.datetime.strptime(value, "%Y/%m/%d %H:%M:%S"))
    except ValueError:
        raise EdxmlError("R.Timestamp: thời điểm phải theo dạng yyyy/MM/dd HH:mm:ss.") from None


def _attachments(root) -> list[Attachment]:
    references = root.findall("edXML:edXMLEnvelope/edXML:edXMLBody/edXML:edXMLManifest/edXML:Reference",
                              namespaces=NSMAP)
    blobs = {n.get("ContentId"): n.text or "" for n in root.findall("edXML:Attachments/edXML:Attachment",
                                                                       namespaces=NSMAP)}
    out = []
    for reference in references:
        content_id = _text(reference, "edXML:ContentId", "ContentId", limit=100)
        name = _text(reference, "edXML:AttachmentName", "AttachmentName")
        if content_id not in blobs:
            raise EdxmlError(f"N.Attachment: thiếu tệp {content_id} ({name}).")
        try:
            data = base64.b64decode(blobs[content_id], validate=True)
        except ValueError:
            raise EdxmlError(f"R.Attachment: tệp {name} không phải base64 hợp lệ.") from None
        digest = _text(reference, "edXML:Sha256", "Sha256", required=False, limit=64)
        if digest and hashlib.sha256(data).hexdigest() != digest.lower():
            raise EdxmlError(f"R.Attachment: mã băm của tệp {name} không khớp; tệp đã bị thay đổi.")
        out.append(Attachment(name=name, content_type=_text(reference, "edXML:ContentType", "ContentType",
                                                            required=False, limit=100) or "application/octet-stream",
                              data=data, description=_text(reference, "edXML:Description", "Description",
                                                           required=False)))
    return out
