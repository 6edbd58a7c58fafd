"""Uploaded files go through the storage API only, so an object store (S3:
TINHSO_S3_BUCKET) works like the local disk. Here the default storage keeps
files in memory and, like S3Storage, has no local path (`.path()` raises): an
upload → download → reuse flow passing proves nothing needs one, and the
media folder stays empty."""

import json
import os

import pytest
from django.core.files.storage import InMemoryStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.dossiers.models import DossierFile, StagedUpload
from tinhso.dossiers.tests.conftest import APPLICANT, PDF, world  # noqa: F401 - the fixture



class NoPathStorage(InMemoryStorage):
    """In memory, and no local file path, exactly like S3Storage."""

    def path(self, name):
        raise NotImplementedError("This backend doesn't support absolute paths.")

    def _relative_path(self, name):  # InMemoryStorage's own bookkeeping uses a virtual path
        return os.path.relpath(InMemoryStorage.path(self, name), self.location)


IN_MEMORY = {"BACKEND": "tinhso.core.tests.test_storage.NoPathStorage"}


@pytest.fixture
def memory_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": IN_MEMORY}
    with pytest.raises(NotImplementedError):
        default_storage.path("x")  # no local path exists
    yield tmp_path / "media"


def test_dossier_files_upload_download_and_staging_without_a_local_path(client, world, memory_storage):  # noqa: F811
    client.force_login(world.clerk)
    component = world.case.components.get(order=1).pk
    body = {"receiving_agency": world.centre.code, "procedure": "1.000894", "case": "1", "area": world.commune.code,
            "applicant": {k: v for k, v in APPLICANT.items() if k != "subject"},
            "components": [{"required_component_id": component, "originals": 1}]}
    response = client.post("/api/v1/dossiers", {
        "payload": json.dumps(body),
        f"component_{component}": SimpleUploadedFile("to-khai.pdf", PDF, content_type="application/pdf")})
    assert response.status_code == 201, response.content.decode()
    detail = response.json()
    [info] = detail["components"][0]["files"]

    row = DossierFile.objects.get(pk=info["id"])
    assert isinstance(row.file.storage._wrapped, NoPathStorage)
    assert row.file.storage.exists(row.file.name)

    download = client.get(info["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    # A form corrected after an error keeps its checked files (staging), then reuses them.
    from tinhso.dossiers.staging import as_uploads, discard, stage, staged
    from django.utils.datastructures import MultiValueDict

    files = MultiValueDict({"files": [SimpleUploadedFile("cccd.pdf", PDF, content_type="application/pdf")]})
    assert stage(files, "token-1", world.clerk, ["files"]) == {}
    rows = staged("token-1", world.clerk)["files"]
    [copy] = as_uploads(rows)
    assert copy.read() == PDF
    name = rows[0].file.name
    discard("token-1", world.clerk)
    assert not default_storage.exists(name) and not StagedUpload.objects.exists()

    # Nothing was written to the local media folder.
    assert not memory_storage.exists() or not any(memory_storage.rglob("*"))
