"""The citizen's data store over the API: one's own papers, checked by content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.accounts.models import User
from tinhso.audit.models import AuditEvent

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def citizens(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return (User.objects.create_user(username="cd-1", is_citizen=True, id_number="092085000011"),
            User.objects.create_user(username="cd-2", is_citizen=True, id_number="092085000022"))


def test_a_citizen_keeps_papers_and_nobody_else_sees_them(client, citizens, agency):
    from tinhso.testing import make_staff

    owner, other = citizens
    assert client.get("/api/v1/datastore").status_code == 401
    client.force_login(owner)
    added = client.post("/api/v1/datastore", {"title": "Giấy khai sinh",
                                              "file": SimpleUploadedFile("ks.pdf", PDF, "application/pdf")})
    assert added.status_code == 201 and added.json()["title"] == "Giấy khai sinh"
    item_id = added.json()["id"]
    assert [i["id"] for i in client.get("/api/v1/datastore").json()] == [item_id]
    assert b"".join(client.get(f"/api/v1/datastore/{item_id}/file").streaming_content) == PDF
    fake = client.post("/api/v1/datastore", {"title": "Giả", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00",
                                                                                         "application/pdf")})
    assert fake.status_code == 422
    client.force_login(other)
    assert client.get("/api/v1/datastore").json() == []
    assert client.get(f"/api/v1/datastore/{item_id}/file").status_code == 404
    assert client.delete(f"/api/v1/datastore/{item_id}").status_code == 404
    client.force_login(make_staff("motcua", roles=[("clerk", agency)]))
    assert client.get("/api/v1/datastore").status_code == 403
    client.force_login(owner)
    assert client.delete(f"/api/v1/datastore/{item_id}").status_code == 204
    assert AuditEvent.objects.filter(action="datastore.item.removed", personal_data=True).exists()
