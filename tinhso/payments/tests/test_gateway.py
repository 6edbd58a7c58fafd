"""MaXacThuc: field order, separator and algorithm are configuration."""

import hashlib

import pytest

from tinhso.payments import gateway
from tinhso.payments.tests.conftest import in_processing

FIELDS = {"LoaiBanTin": "THANH_TOAN", "PhienBan": "1.0", "MaDoiTac": "TINHSO", "MaThamChieu": "TS2611240000ABCD",
          "SoTien": "50000", "MaKenhThanhToan": "", "ThoiGianGD": "20261124091500"}


def test_default_layout_is_the_pipe_joined_fields_followed_by_the_secret(settings):
    settings.TINHSO_PAYGOV_SECRET = "s3cret"
    expected = hashlib.sha256(b"THANH_TOAN|1.0|TINHSO|TS2611240000ABCD|50000||20261124091500s3cret").hexdigest()
    assert gateway.compute_hash(FIELDS, "pay") == expected
    assert gateway.verify({**FIELDS, "MaXacThuc": expected.upper()}, "pay")
    assert not gateway.verify({**FIELDS, "MaXacThuc": expected[:-1] + "0"}, "pay")
    assert not gateway.verify(FIELDS, "pay")


def test_order_separator_and_algorithm_are_configurable(settings):
    settings.TINHSO_PAYGOV_SECRET = "s3cret"
    settings.TINHSO_PAYGOV_HASH_FIELDS = "MaDoiTac|MaThamChieu|SoTien|ThoiGianGD"
    settings.TINHSO_PAYGOV_SECRET_SEPARATOR = "|"
    settings.TINHSO_PAYGOV_HASH_ALGORITHM = "sha512"
    expected = hashlib.sha512(b"TINHSO|TS2611240000ABCD|50000|20261124091500|s3cret").hexdigest()
    assert gateway.compute_hash(FIELDS, "pay") == expected


def test_result_messages_also_cover_the_transaction_id_and_result(settings):
    settings.TINHSO_PAYGOV_SECRET = "s3cret"
    assert gateway.hash_fields("result")[-2:] == ["MaGiaoDich", "MaLoi"]
    signed = gateway.sign({**FIELDS, "MaGiaoDich": "GD1", "MaLoi": "00"}, "result")
    assert gateway.verify(signed, "result")
    assert not gateway.verify({**signed, "MaGiaoDich": "GD2"}, "result")


def test_an_unknown_algorithm_is_a_clear_error(settings):
    settings.TINHSO_PAYGOV_SECRET = "s3cret"
    settings.TINHSO_PAYGOV_HASH_ALGORITHM = "md42"
    with pytest.raises(gateway.GatewayError):
        gateway.compute_hash(FIELDS, "pay")


def test_time_format():
    assert gateway.parse_time("20261124091500").hour == 9
    assert gateway.parse_time("2026-11-24") is None and gateway.parse_time("20261399000000") is None


@pytest.mark.django_db
def test_the_payment_message_carries_the_receipt_block(fees, citizen, paygov, settings):
    import json

    from tinhso.payments import actions

    settings.TINHSO_PAYGOV_BENEFICIARY_ACCOUNT = "3713.0.1234567"
    settings.TINHSO_PAYGOV_TREASURY = "Kho bạc Nhà nước khu vực XX"
    d = in_processing(fees, citizen)
    payment = actions.create_payment_request(acting_user=fees.specialist, dossier=d)
    message = gateway.get_client().payment_message(payment, "http://testserver/x/")
    block = json.loads(message["ThongTinBienLai"])
    assert block["MaHoSo"] == d.code and block["MaThuTuc"] == "1.000894"
    assert block["SoTaiKhoanThuHuong"] == "3713.0.1234567" and block["KhoBac"].startswith("Kho bạc")
    assert sum(line["SoTien"] for line in block["ChiTiet"]) == 50000
