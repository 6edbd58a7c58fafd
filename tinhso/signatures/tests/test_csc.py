"""Remote signing end to end: pyHanko's CSC client (aiohttp) talks real HTTP to
the sandbox CSC server running in pytest-django's live_server."""

import threading
import time

import pytest
import requests

from tinhso.signatures import csc, service
from tinhso.signatures.models import CscGrantKind, CscSandboxGrant


@pytest.fixture
def csc_server(live_server, settings, tsa_adapter):
    settings.TINHSO_CSC_URL = live_server.url + "/sandbox"
    settings.TINHSO_CSC_PASSWORD = ""
    settings.TINHSO_CSC_SANDBOX_PASSWORD = "thunghiem"
    threads = threading.active_count()
    yield live_server
    # The live server closes its DB connection just after sending the last
    # response; let its request threads finish before the test database goes.
    deadline = time.monotonic() + 5
    while threading.active_count() > threads and time.monotonic() < deadline:
        time.sleep(0.05)


def _post(url, *, headers=None, **kwargs):
    # "Connection: close": a kept-alive socket would keep a live-server thread
    # (and its database connection) waiting after the test.
    kwargs.setdefault("timeout", 10)
    return requests.post(url, headers={**(headers or {}), "Connection": "close"}, **kwargs)


def _latest_otp(user):
    return CscSandboxGrant.objects.filter(kind=CscGrantKind.OTP, user=user).latest("created_at").value


def test_remote_signing_end_to_end(csc_server, sample_pdf, seal_agency, signer_user):
    info = _post(csc_server.url + "/sandbox/csc/v1/info", json={}).json()
    assert info["specs"].startswith("1.0.4") and "signatures/signHash" in info["methods"]
    csc.request_remote_otp(signer_user)
    otp = _latest_otp(signer_user)
    out = service.sign_pdf_remote(sample_pdf, user=signer_user, otp=otp, seal=True, reason="Ký số từ xa")
    report = service.verify_pdf(out)
    assert report["verdict"] == "valid" and report["signature_count"] == 2, report
    person, seal = report["signatures"]
    assert person["signer"]["common_name"] == "Nguyễn Văn Ánh" and person["timestamp"]["trusted"]
    assert seal["signer"]["organization_identifier"] == "000.00.12.H13"
    sad = CscSandboxGrant.objects.get(kind=CscGrantKind.SAD, user=signer_user)
    assert sad.remaining == 0 and len(sad.hashes) == 1          # SCAL 2: the SAD was bound to the one hash
    assert CscSandboxGrant.objects.get(kind=CscGrantKind.OTP, user=signer_user).used


def test_wrong_otp_is_refused(csc_server, sample_pdf, signer_user):
    csc.request_remote_otp(signer_user)
    right = _latest_otp(signer_user)
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(csc.RemoteSigningRefused) as exc:
        service.sign_pdf_remote(sample_pdf, user=signer_user, otp=wrong)
    assert exc.value.code == "invalid_otp" and "từ chối" in exc.value.message
    # one wrong guess burns the OTP: the right one no longer works either
    with pytest.raises(csc.RemoteSigningRefused):
        service.sign_pdf_remote(sample_pdf, user=signer_user, otp=right)
    assert not CscSandboxGrant.objects.filter(kind=CscGrantKind.SAD).exists()


def test_wrong_password_and_bad_sad(csc_server, sample_pdf, signer_user):
    with pytest.raises(csc.RemoteSigningRefused) as exc:
        service.sign_pdf_remote(sample_pdf, user=signer_user, otp="123456", password="sai-mat-khau")
    assert exc.value.code == "authentication_error"
    base = csc_server.url + "/sandbox/csc/v1"
    token = _post(f"{base}/auth/login", json={}, auth=(signer_user.username, "thunghiem")).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    cred_id = _post(f"{base}/credentials/list", json={}, headers=headers).json()["credentialIDs"][0]
    r = _post(f"{base}/signatures/signHash", headers=headers, json={
        "credentialID": cred_id, "SAD": "gia-mao", "hashAlgo": "2.16.840.1.101.3.4.2.1",
        "signAlgo": "1.2.840.113549.1.1.11", "hash": ["AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]})
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"
    r = _post(f"{base}/credentials/list", json={}, headers={"Authorization": "Bearer x"})
    assert r.status_code == 401
    info = _post(f"{base}/credentials/info", json={"credentialID": cred_id, "certificates": "chain"},
                         headers=headers).json()
    assert len(info["cert"]["certificates"]) == 3 and info["SCAL"] == "2"


def test_missing_otp(db, signer_user, sample_pdf, settings, pki_dir):
    from tinhso.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        service.sign_pdf_remote(sample_pdf, user=signer_user, otp=" ")


def test_every_call_to_the_remote_signing_service_is_a_row_of_the_message_log(csc_server, sample_pdf, signer_user):
    from tinhso.integration.models import MessageLog

    csc.request_remote_otp(signer_user)
    otp = _latest_otp(signer_user)
    service.sign_pdf_remote(sample_pdf, user=signer_user, otp=otp, reason="Ký số từ xa")
    rows = list(MessageLog.objects.filter(service="remote-signing").order_by("seq"))
    base = f"POST {csc_server.url}/sandbox/csc/v1/"
    assert [(r.operation.removeprefix(base), r.status, r.outcome) for r in rows] == [
        ("auth/login", 200, "ok"), ("credentials/list", 200, "ok"), ("credentials/sendOTP", 204, "ok"),
        ("auth/login", 200, "ok"), ("credentials/list", 200, "ok"), ("credentials/info", 200, "ok"),
        ("credentials/authorize", 200, "ok"), ("signatures/signHash", 200, "ok")]
    assert len({r.subject for r in rows[:3]}) == len({r.subject for r in rows[3:]}) == 1  # one per signing session
    assert rows[0].subject != rows[3].subject and rows[0].subject.startswith("ky-so-tu-xa:")
    for row in rows:
        text = f"{row.operation} {row.purpose} {row.subject}"
        assert signer_user.username not in text and "Nguyễn" not in text and otp not in text
        assert len(row.request_digest) == 64
    # the TSA of the signature's time-stamp went through the platform too
    assert MessageLog.objects.filter(service="tsa", outcome="ok").exists()


def test_an_unreachable_remote_signing_service_is_a_clear_error_and_a_logged_attempt(db, signer_user, settings,
                                                                                       monkeypatch):
    from tinhso.integration import outbound
    from tinhso.integration.models import MessageLog

    monkeypatch.setattr(outbound, "BACKOFF", 0)
    settings.TINHSO_CSC_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.TINHSO_CSC_TIMEOUT = 2
    with pytest.raises(csc.RemoteSigningUnavailable):
        csc.request_remote_otp(signer_user)
    rows = MessageLog.objects.filter(service="remote-signing")
    assert [r.outcome for r in rows] == ["unavailable"] * 3  # the login may be retried
