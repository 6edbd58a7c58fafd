"""The sandbox payment platform's logic (views in sandbox_views.py).

A small but real counterpart of the national payment platform: it checks the
MaXacThuc of what it receives, keeps its own transactions
(SandboxTransaction), posts signed results back to the platform's callback
URL over HTTP, answers status queries and refunds — with the same message
shape and the same hashing configuration as the client in gateway.py."""

from __future__ import annotations

import json
import logging
import secrets
from urllib.parse import urlencode, urlsplit

import requests
from django.db import transaction
from django.utils import timezone

from tinhso.payments import gateway
from tinhso.payments.models import SandboxTransaction

log = logging.getLogger(__name__)
SESSION_MINUTES = 15  # an unpaid session is reported "unknown / expired" after this long


class SandboxProblem(Exception):
    def __init__(self, message: str, code: str = "99"):
        super().__init__(message)
        self.message, self.code = message, code


def check_message(fields: dict, kind: str) -> None:
    if fields.get("LoaiBanTin") != gateway.message_type(kind):
        raise SandboxProblem("Loại bản tin (LoaiBanTin) không đúng.")
    if not gateway.verify(fields, kind):
        raise SandboxProblem("Sai mã xác thực (MaXacThuc).", code="97")
    if fields.get("MaDoiTac") != gateway.partner_code():
        raise SandboxProblem("Mã đối tác (MaDoiTac) không được đăng ký.", code="98")
    if not fields.get("MaThamChieu"):
        raise SandboxProblem("Thiếu mã tham chiếu (MaThamChieu).")


def open_session(fields: dict) -> SandboxTransaction:
    """The transaction of a verified payment message (created on first sight)."""
    check_message(fields, "pay")
    amount = fields.get("SoTien", "")
    if not amount.isdigit() or int(amount) <= 0:
        raise SandboxProblem("Số tiền (SoTien) không hợp lệ.")
    return_url = fields.get("UrlTraVe", "")
    if urlsplit(return_url).netloc != urlsplit(gateway.base_url()).netloc:
        raise SandboxProblem("Địa chỉ trả về (UrlTraVe) không thuộc hệ thống đã đăng ký.")
    with transaction.atomic():
        txn, created = SandboxTransaction.objects.get_or_create(
            partner_code=fields["MaDoiTac"], reference=fields["MaThamChieu"][:60],
            defaults={"amount": int(amount), "description": fields.get("NoiDung", "")[:300], "return_url": return_url})
        if not created and txn.status in ("pending", "cancelled"):
            txn.amount, txn.return_url, txn.status = int(amount), return_url, "pending"
            txn.save()
    return txn


def receipt_block(fields: dict) -> dict:
    try:
        block = json.loads(fields.get("ThongTinBienLai") or "{}")
    except ValueError:
        block = {}
    return block if isinstance(block, dict) else {}


def _result_message(txn: SandboxTransaction, code: str) -> dict:
    return gateway.sign({
        "LoaiBanTin": gateway.message_type("result"), "PhienBan": gateway.settings.TINHSO_PAYGOV_VERSION,
        "MaDoiTac": txn.partner_code, "MaThamChieu": txn.reference, "SoTien": str(txn.amount),
        "MaKenhThanhToan": txn.channel, "ThoiGianGD": gateway.format_time(txn.paid_at or timezone.now()),
        "MaGiaoDich": txn.transaction_id or f"SBXF{secrets.token_hex(6).upper()}", "MaLoi": code,
    }, "result")


def complete(txn: SandboxTransaction, *, pay: bool, channel: str, deliver: bool = True) -> tuple[dict, str]:
    """The citizen paid (or cancelled): record it, post the signed result to
    the platform's callback URL (unless `deliver` is off, to simulate a lost
    notification) and return the result and the browser's return URL.
    The database work is committed before the HTTP call."""
    with transaction.atomic():
        txn = SandboxTransaction.objects.select_for_update().get(pk=txn.pk)
        if txn.status != "pending":
            raise SandboxProblem("Giao dịch đã được xử lý, không thể thực hiện lại.")
        if pay:
            txn.status, txn.channel, txn.paid_at = "paid", channel, timezone.now()
            txn.transaction_id = f"SBX{timezone.localtime():%y%m%d}{secrets.token_hex(5).upper()}"
        else:
            txn.status = "cancelled"
        txn.save()
    result = _result_message(txn, gateway.RESULT_SUCCESS if pay else gateway.RESULT_CANCELLED)
    if deliver:
        status, body = deliver_callback(result)
        SandboxTransaction.objects.filter(pk=txn.pk).update(callback_status=status, callback_body=body[:2000])
    separator = "&" if urlsplit(txn.return_url).query else "?"
    return result, txn.return_url + separator + urlencode(result)


def deliver_callback(result: dict) -> tuple[int | None, str]:
    """POST the result (form-encoded) to the platform's registered callback URL.
    The sandbox plays the platform, so this is not one of our outgoing
    exchanges (our callback view logs it as an incoming one); it only takes
    the outbound client's session for the tests' transport mounts."""
    from tinhso.integration.outbound import session as outbound_session

    session = outbound_session()
    try:
        response = session.post(gateway.callback_url(), data=result, timeout=gateway.settings.TINHSO_PAYGOV_TIMEOUT)
        return response.status_code, response.text
    except requests.RequestException as exc:
        log.warning("sandbox gateway: callback delivery failed: %s", exc)
        return None, str(exc)
    finally:
        session.close()


def query(fields: dict) -> dict:
    check_message(fields, "query")
    txn = SandboxTransaction.objects.filter(partner_code=fields["MaDoiTac"], reference=fields["MaThamChieu"]).first()
    answer = {"LoaiBanTin": gateway.message_type("query_result"), "PhienBan": fields.get("PhienBan", ""),
              "MaDoiTac": fields["MaDoiTac"], "MaThamChieu": fields["MaThamChieu"], "SoTien": "",
              "MaKenhThanhToan": "", "ThoiGianGD": gateway.format_time(timezone.now()), "MaGiaoDich": "",
              "TrangThai": gateway.STATE_UNKNOWN}
    if txn is not None:
        answer.update({"SoTien": str(txn.amount), "MaKenhThanhToan": txn.channel,
                       "MaGiaoDich": txn.transaction_id or ""})
        if txn.paid_at:
            answer["ThoiGianGD"] = gateway.format_time(txn.paid_at)
        expired = (timezone.now() - txn.created_at).total_seconds() > SESSION_MINUTES * 60
        answer["TrangThai"] = {"paid": gateway.STATE_PAID, "refunded": gateway.STATE_REFUNDED,
                               "cancelled": gateway.STATE_FAILED}.get(
            txn.status, gateway.STATE_UNKNOWN if expired else gateway.STATE_PENDING)
    return gateway.sign(answer, "query_result")


def refund(fields: dict) -> dict:
    check_message(fields, "refund")
    answer = {"LoaiBanTin": gateway.message_type("refund_result"), "PhienBan": fields.get("PhienBan", ""),
              "MaDoiTac": fields["MaDoiTac"], "MaThamChieu": fields["MaThamChieu"], "SoTien": fields.get("SoTien", ""),
              "MaKenhThanhToan": "", "ThoiGianGD": gateway.format_time(timezone.now()),
              "MaGiaoDich": fields.get("MaGiaoDich", ""), "MaHoanTien": fields.get("MaHoanTien", ""),
              "MaGiaoDichHoanTien": "", "MaLoi": gateway.RESULT_SUCCESS, "MoTa": "Hoàn tiền thành công"}
    amount = fields.get("SoTien", "")
    with transaction.atomic():
        txn = (SandboxTransaction.objects.select_for_update()
               .filter(partner_code=fields["MaDoiTac"], reference=fields["MaThamChieu"]).first())
        refund_ref = fields.get("MaHoanTien", "")
        if txn is None or txn.transaction_id != fields.get("MaGiaoDich"):
            answer.update(MaLoi="01", MoTa="Không tìm thấy giao dịch")
        elif not refund_ref:
            answer.update(MaLoi="99", MoTa="Thiếu mã yêu cầu hoàn (MaHoanTien)")
        elif refund_ref in txn.refunds:  # the same refund asked again: the same answer
            answer.update(MaGiaoDichHoanTien=txn.refunds[refund_ref]["id"])
        elif txn.status not in ("paid", "refunded"):
            answer.update(MaLoi="06", MoTa="Giao dịch chưa thanh toán, không thể hoàn")
        elif not amount.isdigit() or int(amount) <= 0 or txn.refunded_amount + int(amount) > txn.amount:
            answer.update(MaLoi="04", MoTa="Số tiền hoàn vượt quá số tiền đã thanh toán")
        else:
            refund_id = f"SBXR{secrets.token_hex(5).upper()}"
            txn.refunds = {**txn.refunds, refund_ref: {"amount": int(amount), "id": refund_id}}
            txn.refunded_amount += int(amount)
            txn.status = "refunded"
            txn.save()
            answer["MaGiaoDichHoanTien"] = refund_id
    return gateway.sign(answer, "refund_result")
