"""Results are issued digitally signed: the leader signs personally, then the
competent agency's seal signs it as issued (PAdES, visible stamps), and the
signed copy is registered for public verification."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from tinhso.core.errors import InvalidInput


def sign_result_files(dossier, files, *, signer) -> None:
    """Replace each stored result PDF by its signed copy. A non-PDF result is
    refused when the case requires a signed electronic result."""
    from tinhso.signatures.service import register_signed_document, sign_pdf

    for index, row in enumerate(files, 1):
        if row.content_type != "application/pdf":
            if dossier.case.digital_signature_required:
                raise InvalidInput("Kết quả của trường hợp này phải được ký số: hãy đính kèm tệp PDF.",
                                   code="result_must_be_pdf",
                                   errors=[{"field": "result_files", "message": "Chỉ nhận tệp PDF."}])
            continue
        with row.file.open("rb") as handle:
            original = handle.read()
        signed = sign_pdf(original, agency=dossier.competent_agency, person=signer,
                          reason=f"Kết quả giải quyết hồ sơ {dossier.code}", location=dossier.competent_agency.name)
        register_signed_document(signed, "result", code=f"KQ-{dossier.code}-{index}")
        old_name = row.file.name
        row.file.save(row.original_name, ContentFile(signed), save=False)
        row.size, row.sha256 = len(signed), hashlib.sha256(signed).hexdigest()
        row.save(update_fields=["file", "size", "sha256"])
        row.file.storage.delete(old_name)
