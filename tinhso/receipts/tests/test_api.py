"""Receipts over the API: a dossier's receipts for staff in scope and for its
citizen; nobody else learns they exist."""

from tinhso.accounts.models import User
from tinhso.dossiers.tests.conftest import receive
from tinhso.receipts.actions import issue_receipt

LINES = [{"name": "Lệ phí đăng ký kết hôn", "amount": 50000}]


def test_staff_and_the_citizen_read_a_dossiers_receipts(client, world, tsa_adapter):
    citizen = User.objects.create_user(username="cd", is_citizen=True, id_number="092085001234")
    stranger = User.objects.create_user(username="cd2", is_citizen=True, id_number="092085009876")
    d = receive(world)
    d.citizen = citizen
    d.save(update_fields=["citizen"])
    r = issue_receipt(acting_user=world.clerk, agency=world.committee, payer_name=d.owner_name, lines=LINES, dossier=d)
    assert client.get("/api/v1/receipts", {"dossier": d.code}).status_code == 401
    for user in (world.clerk, citizen):
        client.force_login(user)
        body = client.get("/api/v1/receipts", {"dossier": d.code}).json()
        assert [x["code"] for x in body] == [r.code] and body[0]["amount"] == 50000
        pdf = client.get(f"/api/v1/receipts/{r.code}/pdf")
        assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    for user in (world.outsider, stranger):
        client.force_login(user)
        assert client.get("/api/v1/receipts", {"dossier": d.code}).status_code == 404
        assert client.get(f"/api/v1/receipts/{r.code}/pdf").status_code == 404
