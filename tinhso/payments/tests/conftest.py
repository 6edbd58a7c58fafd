"""Payments fixtures: the dossiers `world` (commune, agencies, staff, a case
with steps) with fees on the case, a citizen owning a dossier in processing,
and the sandbox gateway reached over `requests` through the Django test client
(mounted on the integration platform's outbound client)."""

import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.catalogue.models import Fee
from tinhso.dossiers import actions as dossier_actions
from tinhso.dossiers.tests.conftest import receive, world  # noqa: F401 - reused fixture
from tinhso.integration import outbound
from tinhso.payments import gateway
from tinhso.testing import DjangoTestClientAdapter

TESTSERVER = "http://testserver"


@pytest.fixture
def paygov(settings, monkeypatch):
    """The sandbox gateway on this server; back-channel HTTP to http://testserver
    goes to the Django test client (no backoff sleeps between retries)."""
    settings.TINHSO_BASE_URL = TESTSERVER
    settings.TINHSO_PAYGOV_SANDBOX = True
    settings.TINHSO_PAYGOV_PAY_URL = settings.TINHSO_PAYGOV_QUERY_URL = settings.TINHSO_PAYGOV_REFUND_URL = ""
    settings.TINHSO_PAYGOV_SECRET = "bi-mat-thu-nghiem"
    adapter = DjangoTestClientAdapter()
    monkeypatch.setattr(outbound, "BACKOFF", 0)
    monkeypatch.setitem(outbound.TRANSPORT_MOUNTS, f"{TESTSERVER}/", adapter)
    return adapter


@pytest.fixture
def receipts(monkeypatch):
    """Records calls of the receipts hook (and whether a transaction was open)."""
    from django.db import connection

    calls = []

    def issue_for_payment(payment):
        calls.append({"reference": payment.reference, "status": payment.status,
                      "atomic": connection.in_atomic_block})

    monkeypatch.setattr("tinhso.receipts.actions.issue_for_payment", issue_for_payment)
    return calls


def make_citizen(id_number="092095001234", name="Nguyễn Thị Mai"):
    return User.objects.create_user(username=f"cd-{id_number}", full_name=name, is_citizen=True,
                                    id_number=id_number)


@pytest.fixture
def citizen(db):
    return make_citizen()


@pytest.fixture
def fees(world):
    Fee.objects.filter(case=world.case).update(amount=20000)  # the charge (lệ phí)
    Fee.objects.create(case=world.case, kind="fee", name="Phí cấp bản sao trích lục", amount=30000, position=2)
    world.case.fee_payment_moment = "during_processing"
    world.case.save(update_fields=["fee_payment_moment"])
    return world


def in_processing(w, citizen=None):
    """A dossier received at the counter and forwarded to the specialist (status 4)."""
    now = timezone.now()
    d = receive(w, at=now - datetime.timedelta(hours=2))
    d = dossier_actions.forward(acting_user=w.clerk, dossier=d, receiver=w.specialist,
                                at=now - datetime.timedelta(hours=1))
    if citizen is not None:
        d.citizen = citizen
        d.save(update_fields=["citizen"])
    return d


def query(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query))


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def result_message(payment, **overrides) -> dict:
    """A callback as the platform would send it, correctly signed."""
    fields = {
        "LoaiBanTin": gateway.message_type("result"), "PhienBan": "1.0", "MaDoiTac": gateway.partner_code(),
        "MaThamChieu": payment.reference, "SoTien": str(payment.amount), "MaKenhThanhToan": "QR",
        "ThoiGianGD": gateway.format_time(timezone.now()), "MaGiaoDich": "GD0001", "MaLoi": "00",
    }
    fields.update(overrides)
    return gateway.sign(fields, "result")
