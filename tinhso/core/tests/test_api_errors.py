import pytest


@pytest.mark.django_db
def test_openapi_document_lists_the_foundation_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["/api/v1/units", "/api/v1/calendar/due", "/api/v1/procedures", "/api/v1/agencies"]:
        assert path in paths, path


@pytest.mark.django_db
def test_interactive_docs_are_served(client):
    assert client.get("/api/v1/docs").status_code == 200


@pytest.mark.django_db
def test_validation_errors_are_json_with_code_and_vietnamese_message(client):
    response = client.get("/api/v1/units", {"limit": "many"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["message"] == "Dữ liệu gửi lên không hợp lệ."
    fields = {e["field"]: e["message"] for e in body["errors"]}
    assert fields["q"] == "Trường này là bắt buộc."
    assert fields["limit"] == "Phải là một số nguyên."


@pytest.mark.django_db
def test_unknown_object_is_a_json_404(client):
    response = client.get("/api/v1/units/999999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


MULTIPART_ENDPOINTS = ["/api/v1/verify", "/api/v1/dossiers", "/api/v1/procedures/import"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", MULTIPART_ENDPOINTS)
@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=",
                                          "multipart/form-data; boundary=\t"])
def test_multipart_without_a_usable_boundary_is_a_400_not_a_500(client, admin_user, path, content_type):
    client.force_login(admin_user)
    response = client.generic("POST", path, b"--x\r\n", content_type=content_type)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_body" and "boundary" in response.json()["message"]


@pytest.mark.django_db
def test_a_page_with_a_broken_multipart_body_answers_400_even_with_csrf_checks(admin_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.generic("POST", "/accounts/login/", b"x", content_type="multipart/form-data")
    assert response.status_code == 400 and "boundary" in response.content.decode()


@pytest.mark.django_db
def test_a_truncated_multipart_body_is_a_400(client, admin_user):
    client.force_login(admin_user)
    body = b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
    response = client.generic("POST", "/api/v1/verify", body, content_type="multipart/form-data; boundary=B")
    assert response.status_code in (400, 422)
