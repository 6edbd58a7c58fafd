"""Results are issued digitally signed: the leader signs personally (with the
key on the system, or through the remote signing service with an OTP), then
the competent agency's seal signs it as issued (PAdES, visible stamps), and
the signed copy is registered for public verification.

Signing happens before the dossier's transaction opens: a remote signing
service (or the sandbox on the same server) must not wait on a database
lock that the transition holds."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.core.errors import InvalidInput
from tinhso.dossiers.uploads import check_upload


def sign_uploads(dossier, uploads, *, signer, remote_otp: str = "") -> list[SimpleUploadedFile]:
    """Checked and signed copies of the uploaded result files. A non-PDF
    result is refused when the case requires a signed electronic result."""
    from tinhso.signatures.service import sign_pdf, sign_pdf_remote

    out = []
    for upload in uploads or []:
        checked = check_upload(upload, "result_files")
        data = checked.data
        if checked.content_type != "application/pdf":
            if dossier.case.digital_signature_required:
                raise InvalidInput("Kết quả của trường hợp này phải được ký số: hãy đính kèm tệp PDF.",
                                   code="result_must_be_pdf",
                                   errors=[{"field": "result_files", "message": "Chỉ nhận tệp PDF."}])
        else:
            reason, location = f"Kết quả giải quyết hồ sơ {dossier.code}", dossier.competent_agency.name
            if remote_otp:
                data = sign_pdf_remote(data, user=signer, otp=remote_otp, agency=dossier.competent_agency,
                                       seal=True, reason=reason, location=location)
            else:
                data = sign_pdf(data, agency=dossier.competent_agency, person=signer, reason=reason,
                                location=location)
        out.append(SimpleUploadedFile(checked.name, data, content_type=checked.content_type))
    return out


def register_results(dossier, files) -> None:
    """Register the stored signed results for public verification (inside the
    transition's transaction)."""
    from tinhso.signatures.service import register_signed_document

    for index, row in enumerate(files, 1):
        if row.content_type == "application/pdf":
            with row.file.open("rb") as handle:
                register_signed_document(handle.read(), "result", code=f"KQ-{dossier.code}-{index}")
