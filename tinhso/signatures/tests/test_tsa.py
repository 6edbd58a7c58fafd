import hashlib

import pytest
from asn1crypto import algos, tsp

from tinhso.integration import outbound
from tinhso.integration.models import Breaker, MessageLog, Service
from tinhso.signatures import tsa


def _query(data=b"noi dung"):
    return tsp.TimeStampReq({
        "version": "v1",
        "message_imprint": tsp.MessageImprint({
            "hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "hashed_message": hashlib.sha256(data).digest()}),
        "nonce": 12345, "cert_req": True}).dump()


def test_sandbox_tsa_speaks_rfc3161(client, db, tsa_adapter):
    r = client.post("/sandbox/tsa/", _query(), content_type="application/timestamp-query")
    assert r.status_code == 200 and r["Content-Type"] == "application/timestamp-reply"
    resp = tsp.TimeStampResp.load(r.content)
    assert resp["status"]["status"].native == "granted"
    signed = resp["time_stamp_token"]["content"]
    info = signed["encap_content_info"]["content"].parsed
    assert info["nonce"].native == 12345
    assert info["message_imprint"]["hashed_message"].native == hashlib.sha256(b"noi dung").digest()
    assert "Tỉnh Số Demo TSA" in info["tsa"].chosen.human_friendly


def test_sandbox_tsa_refuses_bad_requests(client, db, tsa_adapter, settings):
    assert client.get("/sandbox/tsa/").status_code == 405
    assert client.post("/sandbox/tsa/", b"x", content_type="text/plain").status_code == 415
    r = client.post("/sandbox/tsa/", b"\x30\x03\x02\x01", content_type="application/timestamp-query")
    # asn1crypto's TimeStampResp wrongly requires the token, so read the status directly
    assert r.status_code == 400 and r.content[0] == 0x30
    assert tsp.PKIStatusInfo.load(r.content[2:])["status"].native == "rejection"
    settings.TINHSO_SIGNATURES_SANDBOX = False
    assert client.post("/sandbox/tsa/", _query(), content_type="application/timestamp-query").status_code == 404


def test_tsa_url_defaults(settings):
    settings.TINHSO_TSA_URL = ""
    settings.TINHSO_BASE_URL = "https://dvc.example.vn"
    settings.TINHSO_SIGNATURES_SANDBOX = True
    assert tsa.tsa_url() == tsa.IN_PROCESS  # the sandbox answers in process, no server needed
    settings.TINHSO_SIGNATURES_SANDBOX = False
    assert tsa.tsa_url() == "" and tsa.timestamper() is None
    settings.TINHSO_TSA_URL = "http://tsa.ca.example.vn/tsa"
    assert tsa.timestamper().url == "http://tsa.ca.example.vn/tsa"


def test_unreachable_tsa_when_a_time_stamp_is_required_is_a_clear_error(db, settings, pki_dir, sample_pdf,
                                                                         seal_agency):
    from tinhso.signatures import service

    settings.TINHSO_TSA_URL = "http://127.0.0.1:9/tsa"      # nothing listens on the discard port
    settings.TINHSO_TSA_TIMEOUT = 2
    settings.TINHSO_TSA_REQUIRED = True
    with pytest.raises(service.SigningFailed) as exc:
        service.sign_pdf(sample_pdf, agency=seal_agency)
    assert "dấu thời gian" in exc.value.message and exc.value.code == "tsa_unavailable"


def test_an_unreachable_tsa_signs_without_a_time_stamp_rather_than_refusing(db, settings, pki_dir, sample_pdf,
                                                                            seal_agency, caplog):
    from tinhso.signatures import service

    settings.TINHSO_TSA_URL = "http://127.0.0.1:9/tsa"
    settings.TINHSO_TSA_TIMEOUT = 2
    settings.TINHSO_TSA_REQUIRED = False
    signed = service.sign_pdf(sample_pdf, agency=seal_agency)
    (seal,) = service.verify_pdf(signed)["signatures"]
    assert seal["intact"] and seal["timestamp"] is None  # PAdES B-B
    assert "signing without a time-stamp" in caplog.text


def test_the_demo_time_stamps_in_process_without_any_server(db, settings, pki_dir, sample_pdf, seal_agency,
                                                             monkeypatch):
    """With the sandbox on and no TINHSO_TSA_URL (the demo), signing gets a real
    RFC 3161 token from the sandbox TSA without an HTTP request: the demo seeds
    before its server starts."""
    from tinhso.signatures import service

    settings.TINHSO_SIGNATURES_SANDBOX = True
    settings.TINHSO_TSA_URL = ""
    settings.TINHSO_BASE_URL = "http://127.0.0.1:9"  # nothing listens there

    def no_http(*args, **kwargs):
        raise AssertionError("the in-process sandbox TSA made an HTTP request")

    monkeypatch.setattr(outbound, "call", no_http)
    tsa._stamper.clear()
    assert tsa.tsa_url() == tsa.IN_PROCESS
    signed = service.sign_pdf(sample_pdf, agency=seal_agency, reason="Thử", location="Cần Thơ")
    (seal,) = service.verify_pdf(signed)["signatures"]
    assert seal["timestamp"]["trusted"] and "Tỉnh Số Demo TSA" in seal["timestamp"]["authority"]


def test_sandbox_name_is_refused_when_the_sandbox_is_off(settings):
    settings.TINHSO_SIGNATURES_SANDBOX = False
    settings.TINHSO_TSA_URL = "sandbox"
    assert tsa.tsa_url() == "" and tsa.timestamper() is None


def test_time_stamps_are_rows_of_the_message_log(db, tsa_adapter, sample_pdf, seal_agency, signer_user, monkeypatch):
    """Each request to the TSA goes through the integration platform (service
    `tsa`), from inside pyHanko's event loop, in the signing code's own
    transaction (so the row is there for this test to read)."""
    from tinhso.signatures import service

    monkeypatch.setattr(tsa, "_dummies", {})
    service.sign_pdf(sample_pdf, agency=seal_agency, person=signer_user)
    rows = list(MessageLog.objects.filter(service="tsa").order_by("seq"))
    posts = [c for c in tsa_adapter.calls if c[0] == "POST"]
    assert len(rows) == len(posts) == 3  # the sample token, then one per signature (person, seal)
    assert {(r.direction, r.operation, r.status, r.outcome) for r in rows} == {
        ("out", "POST http://testserver/sandbox/tsa/", 200, "ok")}
    assert [r.purpose for r in rows] == [tsa.PURPOSE_SAMPLE, tsa.PURPOSE, tsa.PURPOSE]
    for row in rows:
        assert row.subject.startswith("imprint:") and len(row.subject) == len("imprint:") + 16
        assert signer_user.get_full_name() not in f"{row.operation} {row.purpose} {row.subject}"
        assert len(row.request_digest) == len(row.response_digest) == 64
    assert Service.objects.get(code="tsa").last_ok_at is not None


def test_a_tsa_that_keeps_failing_opens_its_breaker(db, settings, pki_dir, sample_pdf, seal_agency, monkeypatch):
    from tinhso.signatures import service

    settings.TINHSO_TSA_URL = "http://127.0.0.1:9/tsa"      # nothing listens on the discard port
    settings.TINHSO_TSA_TIMEOUT = 2
    settings.TINHSO_TSA_REQUIRED = True
    monkeypatch.setattr(outbound, "BACKOFF", 0)
    monkeypatch.setattr(tsa, "_dummies", {})
    Service.objects.filter(code="tsa").update(max_retries=1, failure_threshold=2, cooldown_seconds=600)
    for _ in range(2):
        with pytest.raises(service.SigningFailed):
            service.sign_pdf(sample_pdf, agency=seal_agency)
    assert Service.objects.get(code="tsa").breaker == Breaker.OPEN
    with pytest.raises(service.SigningFailed) as refused:  # refused at once, the TSA not called
        service.sign_pdf(sample_pdf, agency=seal_agency)
    assert refused.value.code == "tsa_unavailable"
    assert list(MessageLog.objects.filter(service="tsa").order_by("seq").values_list("outcome", flat=True)) == [
        "unavailable"] * 4 + ["circuit_open"]
