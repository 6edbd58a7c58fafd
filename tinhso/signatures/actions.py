"""State changes on credentials, each audited in its transaction."""

from __future__ import annotations

from django.db import transaction

from tinhso.audit.actions import record
from tinhso.core.errors import InvalidInput
from tinhso.dossiers.uploads import check_upload
from tinhso.signatures.models import SigningCredential


def set_appearance_image(credential: SigningCredential, upload, *, actor) -> SigningCredential:
    """Replace the generated image with a real one: the person's scanned
    handwritten signature (blue, transparent background) or the agency's seal
    (red, at real size). PNG only; checked by content."""
    checked = check_upload(upload, field="image")
    if checked.content_type != "image/png":
        message = "Hình chữ ký/con dấu phải là tệp PNG (nền trong suốt)."
        raise InvalidInput(message, code="invalid_file", errors=[{"field": "image", "message": message}])
    with transaction.atomic():
        credential = SigningCredential.objects.select_for_update().get(pk=credential.pk)
        credential.appearance_png = checked.data
        credential.appearance_generated = False
        credential.save(update_fields=["appearance_png", "appearance_generated", "updated_at"])
        record(actor=actor, action="signatures.appearance_image_set", obj=credential,
               changes={"sha256": checked.sha256})
    return credential
