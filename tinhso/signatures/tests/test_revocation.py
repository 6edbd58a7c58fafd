"""Revocation is consulted when a signature is verified: a certificate the
platform revoked (the directory's revoke sets `revoked_at`) makes a signature
proven to be made after the revocation invalid, while one proven (by a trusted
time-stamp, or by the platform's register of issued documents) to be made
before keeps its value, as PAdES validation does."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tinhso.signatures import service
from tinhso.signatures.models import SigningCredential

MINUTE = datetime.timedelta(minutes=1)


def _revoke(user, at):
    assert SigningCredential.objects.filter(user=user, purpose="personal").update(revoked_at=at, is_active=False) == 1


def _person(report):
    person, seal = report["signatures"]
    return person, seal


@pytest.fixture
def signed(db, tsa_adapter, sample_pdf, seal_agency, signer_user):
    """Person then seal, time-stamped (PAdES B-T)."""
    return service.sign_pdf(sample_pdf, agency=seal_agency, person=signer_user)


def test_a_certificate_revoked_before_the_signing_time_makes_the_signature_invalid(client, signed, signer_user):
    _revoke(signer_user, timezone.now() - 60 * MINUTE)  # e.g. a stolen key used after its revocation
    report = service.verify_pdf(signed)
    person, seal = _person(report)
    assert report["verdict"] == "invalid"
    assert person["verdict"] == "invalid" and person["trust"] == "revoked" and person["revocation"] == "revoked"
    assert "chứng thư số đã bị thu hồi" in person["message"] and "trước thời điểm ký" in person["message"]
    assert person["revoked_at"].endswith("+07:00")
    assert seal["verdict"] == "valid" and seal["revocation"] == "not_checked"  # the seal is not revoked
    body = client.post("/api/v1/verify", {"file": SimpleUploadedFile("a.pdf", signed)}).json()
    assert body["verdict"] == "invalid" and body["signatures"][0]["revoked_at"] == person["revoked_at"]
    page = client.post("/xac-thuc/", {"file": SimpleUploadedFile("a.pdf", signed, content_type="application/pdf")})
    assert "chứng thư số đã bị thu hồi" in page.content.decode() and "Đã bị thu hồi" in page.content.decode()


def test_a_certificate_revoked_after_a_time_stamped_signature_keeps_that_signature_valid(signed, signer_user):
    _revoke(signer_user, timezone.now() + MINUTE)  # after the time-stamp
    report = service.verify_pdf(signed)
    person, _seal = _person(report)
    assert report["verdict"] == "valid" and person["verdict"] == "valid" and person["trust"] == "trusted"
    assert person["revocation"] == "revoked_after_signing" and "sau thời điểm ký" in person["message"]


def test_without_a_time_stamp_only_the_platforms_register_proves_the_signing_time(db, pki_dir, sample_pdf,
                                                                                   seal_agency, signer_user):
    """The signer's own claimed time proves nothing (a revoked key can write
    any): without a time-stamp, a revoked certificate's signature is invalid,
    unless the platform registered the very file as issued before the
    revocation."""
    out = service.sign_pdf(sample_pdf, agency=seal_agency, person=signer_user, timestamp=False)
    assert service.verify_pdf(out)["verdict"] == "valid"
    _revoke(signer_user, timezone.now() + MINUTE)
    person, _seal = _person(service.verify_pdf(out))
    assert person["verdict"] == "invalid" and "không chứng minh được" in person["message"]
    service.register_signed_document(out, "ket_qua")  # registered now, i.e. before the revocation
    report = service.verify_pdf(out)
    assert report["verdict"] == "valid" and _person(report)[0]["revocation"] == "revoked_after_signing"
    SigningCredential.objects.filter(user=signer_user).update(revoked_at=timezone.now() - MINUTE)
    assert _person(service.verify_pdf(out))[0]["verdict"] == "invalid"  # registered after the revocation
