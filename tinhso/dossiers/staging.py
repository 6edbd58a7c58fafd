"""Keep checked uploads across a form that has to be corrected."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.core.errors import InvalidInput
from tinhso.dossiers.models import StagedUpload
from tinhso.dossiers.uploads import check_upload


def stage(request_files, token: str, user, slots: list[str], check=check_upload) -> dict[str, list[str]]:
    """Check and keep every file posted under `slots`; return errors per slot.
    A bad file is reported and not kept; good ones are kept under the form's
    token. `check` is the upload rule (the dossier's by default)."""
    errors: dict[str, list[str]] = {}
    for slot in slots:
        for upload in request_files.getlist(slot):
            try:
                checked = check(upload, slot)
            except InvalidInput as exc:
                errors.setdefault(slot, []).append(exc.message)
                continue
            row = StagedUpload(token=token, user=user, slot=slot, original_name=checked.name)
            row.file.save(checked.name, checked.content(), save=True)
    return errors


def staged(token: str, user) -> dict[str, list[StagedUpload]]:
    out: dict[str, list[StagedUpload]] = {}
    for row in StagedUpload.objects.filter(token=token, user=user):
        out.setdefault(row.slot, []).append(row)
    return out


def as_uploads(rows: list[StagedUpload]) -> list[SimpleUploadedFile]:
    files = []
    for row in rows:
        with row.file.open("rb") as handle:
            files.append(SimpleUploadedFile(row.original_name, handle.read()))
    return files


def discard(token: str, user) -> None:
    for row in StagedUpload.objects.filter(token=token, user=user):
        row.file.delete(save=False)
        row.delete()
