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
