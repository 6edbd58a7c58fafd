import datetime
import json

import pytest
from django.utils import timezone

from tinhso.core.errors import InvalidInput, PermissionDenied
from tinhso.dossiers import actions
from tinhso.dossiers.models import DossierEvent, Status
from tinhso.dossiers.tests.conftest import APPLICANT, pdf, receive
from tinhso.integration.models import MessageLog
from tinhso.postal import actions as postal
from tinhso.postal import protocol
from tinhso.postal.models import SandboxOrder, Shipment, ShipmentStatus

LATER = datetime.timedelta(hours=3)


def _history(dossier):
    return list(DossierEvent.objects.filter(dossier=dossier).order_by("id").values_list("action", flat=True))


def _advance(client, shipment, **data):
    response = client.post(f"/sandbox/postal/api/orders/{shipment.tracking_number}/advance", data,
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    shipment.refresh_from_db()
    return shipment


def _finished(world, **applicant):
    d = receive(world) if not applicant else actions.receive_at_counter(
        acting_user=world.clerk, receiving_agency=world.centre, case=world.case,
        applicant={**APPLICANT, **applicant}, area=world.commune,
        components=[actions.ComponentInput(required_component_id=world.case.components.get(order=1).pk, originals=1)])
    d = actions.forward(acting_user=world.clerk, dossier=d, receiver=world.specialist)
    d = actions.forward(acting_user=world.specialist, dossier=d)
    d = actions.forward(acting_user=world.head, dossier=d)
    return actions.finish(acting_user=world.leader, dossier=d, result_summary="Giấy chứng nhận kết hôn",
                          result_number="12/GCNKH", result_files=[pdf()])


def test_a_pickup_gets_a_tracking_number_and_every_step_shows_in_the_dossier_history(world, post, client):
    d = receive(world)
    shipment = postal.request_pickup(acting_user=world.clerk, dossier=d, note="Gọi trước khi đến")
    assert shipment.status == ShipmentStatus.CREATED and shipment.tracking_number.startswith("EB")
    assert shipment.fee == 25000
    assert shipment.sender_address == d.owner_address == "Khu vực 3, Phường Vị Thanh, Thành phố Cần Thơ"
    assert shipment.receiver_name == world.centre.name
    assert _history(d) == ["receive", "postal_pickup_requested", "postal_created"]

    _advance(client, shipment)  # the sandbox post calls our webhook
    assert shipment.status == ShipmentStatus.PICKED_UP
    _advance(client, shipment)
    _advance(client, shipment)
    assert shipment.status == ShipmentStatus.DELIVERED
    assert _history(d) == ["receive", "postal_pickup_requested", "postal_created", "postal_picked_up",
                           "postal_delivered"]
    assert list(shipment.events.values_list("status", "source")) == [
        ("created", "answer"), ("picked_up", "webhook"), ("in_transit", "webhook"), ("delivered", "webhook")]
    d.refresh_from_db()
    assert d.status == Status.RECEIVED  # a pick-up changes nothing else
    assert MessageLog.objects.filter(service="postal", direction="in", outcome="ok").count() == 3


def test_a_delivered_result_records_the_dossier_as_returned_by_post(world, post, client):
    d = _finished(world, delivery_method="post")
    shipment = postal.request_delivery(acting_user=world.clerk, dossier=d)
    assert shipment.receiver_name == APPLICANT["owner_name"]
    # "Khu vực 3, phường Vị Thanh" written for the label in today's form (tinhso.addresses.labels)
    assert shipment.receiver_address == "Khu vực 3, Phường Vị Thanh, Thành phố Cần Thơ"
    for _ in range(3):
        _advance(client, shipment)
    d.refresh_from_db()
    assert d.status == Status.RETURNED and d.return_method == "post" and d.returned_to == APPLICANT["owner_name"]
    assert _history(d)[-5:] == ["postal_delivery_requested", "postal_created", "postal_picked_up", "postal_delivered",
                                "return_result"]
    # the same notice again (the post retries its webhook): nothing more
    body = json.dumps({"ItemCode": shipment.tracking_number, "Status": "DELIVERED", "Time": timezone.now().isoformat()})
    response = client.post("/buu-chinh/thong-bao/", body, content_type="application/json",
                           headers={protocol.SIGNATURE_HEADER: protocol.signature(body.encode())})
    assert response.status_code == 200
    assert _history(d).count("postal_delivered") == 1 and _history(d).count("return_result") == 1


def test_an_already_returned_result_only_gets_the_history_row(world, post, client):
    d = _finished(world, delivery_method="post")
    shipment = postal.request_delivery(acting_user=world.clerk, dossier=d)
    actions.return_result(acting_user=world.clerk, dossier=d, method="post", returned_to="Bưu điện Vị Thanh")
    for _ in range(3):
        _advance(client, shipment)
    assert _history(d)[-3:] == ["return_result", "postal_picked_up", "postal_delivered"]
    assert _history(d).count("return_result") == 1


def test_delivery_is_refused_when_the_result_is_not_to_go_by_post_or_not_ready(world, post):
    d = _finished(world)
    with pytest.raises(InvalidInput, match="không đăng ký nhận kết quả qua bưu chính"):
        postal.request_delivery(acting_user=world.clerk, dossier=d)
    with pytest.raises(InvalidInput, match="đã có kết quả"):
        postal.request_delivery(acting_user=world.clerk, dossier=receive(world))
    with pytest.raises(PermissionDenied):
        postal.request_pickup(acting_user=world.specialist, dossier=receive(world))
    assert not Shipment.objects.exists()


def test_a_second_pickup_while_one_is_under_way_is_refused(world, post):
    d = receive(world)
    postal.request_pickup(acting_user=world.clerk, dossier=d)
    with pytest.raises(InvalidInput, match="đang thực hiện"):
        postal.request_pickup(acting_user=world.clerk, dossier=d)


def test_when_the_post_is_down_the_request_waits_with_a_notice_and_the_job_sends_it(world, post):
    post.down.add("/sandbox/postal/")
    d = receive(world)
    shipment = postal.request_pickup(acting_user=world.clerk, dossier=d)
    assert shipment.status == ShipmentStatus.PENDING and shipment.tracking_number is None
    assert "không trả lời" in shipment.last_error and shipment.next_attempt_at > timezone.now()
    assert _history(d) == ["receive", "postal_pickup_requested"]
    assert postal.send_due() == {"accepted": 0, "pending": 0, "refused": 0}  # not due yet

    assert postal.send_due(now=timezone.now() + LATER)["pending"] == 1  # still down
    post.down.clear()
    assert postal.send_due(now=timezone.now() + LATER)["accepted"] == 1
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CREATED and shipment.tracking_number
    assert SandboxOrder.objects.count() == 1
    assert _history(d) == ["receive", "postal_pickup_requested", "postal_created"]


def test_a_resent_request_makes_no_second_order(world, post):
    d = receive(world)
    shipment = postal.request_pickup(acting_user=world.clerk, dossier=d)
    again = protocol.PostClient().create(shipment)
    assert again["tracking_number"] == shipment.tracking_number and SandboxOrder.objects.count() == 1


def test_a_webhook_with_a_bad_signature_is_refused_and_logged(world, post, client):
    shipment = postal.request_pickup(acting_user=world.clerk, dossier=receive(world))
    body = json.dumps({"ItemCode": shipment.tracking_number, "Status": "DELIVERED"})
    for headers in ({protocol.SIGNATURE_HEADER: protocol.signature(body.encode(), "wrong-secret")}, {}):
        response = client.post("/buu-chinh/thong-bao/", body, content_type="application/json", headers=headers)
        assert response.status_code == 403
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CREATED
    assert MessageLog.objects.filter(service="postal", direction="in", outcome="refused", status=403).count() == 2
    signed = json.dumps({"ItemCode": "EB000000000VN", "Status": "DELIVERED"})
    response = client.post("/buu-chinh/thong-bao/", signed, content_type="application/json",
                           headers={protocol.SIGNATURE_HEADER: protocol.signature(signed.encode())})
    assert response.status_code == 400  # signed, but no such shipment


def test_polling_catches_up_when_the_webhook_was_lost(world, post, client):
    d = receive(world)
    shipment = postal.request_pickup(acting_user=world.clerk, dossier=d)
    _advance(client, shipment, notify="0")
    _advance(client, shipment, notify="0")
    assert shipment.status == ShipmentStatus.CREATED  # we heard nothing
    assert postal.poll_open(now=timezone.now() + LATER) == {"polled": 1, "changed": 2}
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    assert _history(d)[-1] == "postal_picked_up"
    assert postal.poll_open(now=timezone.now() + LATER) == {"polled": 1, "changed": 0}


def test_a_garbage_answer_leaves_the_request_pending(world, post, monkeypatch):
    from tinhso.postal import sandbox

    monkeypatch.setattr(sandbox, "_data", lambda order: {"Fee": 1})  # no ItemCode
    shipment = postal.request_pickup(acting_user=world.clerk, dossier=receive(world))
    assert shipment.status == ShipmentStatus.PENDING and "số hiệu" in shipment.last_error


def test_the_staff_page_shows_the_postal_panel_and_the_buttons_request(world, post, client):
    d = _finished(world, delivery_method="post")
    client.force_login(world.clerk)
    page = client.get(f"/dossiers/{d.code}/")
    text = page.content.decode()
    assert "Bưu chính" in text and "Chuyển phát kết quả qua bưu điện" in text
    response = client.post(f"/buu-chinh/ho-so/{d.code}/chuyen-phat/", {"version": d.version})
    assert response.status_code == 302
    shipment = Shipment.objects.get(dossier=d)
    page = client.get(f"/dossiers/{d.code}/")
    assert shipment.tracking_number in page.content.decode()
    response = client.post(f"/buu-chinh/ho-so/{d.code}/chuyen-phat/", {"version": "abc"}, follow=True)
    assert response.status_code == 200 and "Dữ liệu không hợp lệ" in response.content.decode()


def test_the_sandbox_control_page_lists_orders(world, post, client):
    shipment = postal.request_pickup(acting_user=world.clerk, dossier=receive(world))
    client.force_login(world.clerk)
    page = client.get("/sandbox/postal/")
    assert page.status_code == 200 and shipment.tracking_number in page.content.decode()


def test_the_citizen_sees_the_tracking_number_status_and_plain_history(world, post, client):
    from tinhso.accounts.models import User
    from tinhso.dossiers.models import Dossier

    citizen = User.objects.create_user(username="congdan", password="Matkhau-2026!", full_name="Nguyễn Văn An",
                                       is_citizen=True)
    d = receive(world)
    Dossier.objects.filter(pk=d.pk).update(citizen=citizen)
    shipment = postal.request_pickup(acting_user=world.clerk, dossier=d)
    client.force_login(citizen)
    text = client.get(f"/dvc/ho-so/{d.code}/").content.decode()
    assert shipment.tracking_number in text and "Bưu điện đã nhận yêu cầu" in text
    assert "Đã yêu cầu bưu điện thu gom hồ sơ" in text and "postal_" not in text
