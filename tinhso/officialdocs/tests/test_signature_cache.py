"""The document page shows who signed the signed copy and whether it
verifies; the pyHanko report is cached by the SHA-256 of the file, so a
second view does not verify again and another file, trust list or
revocation does."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.base import ContentFile

from tinhso.officialdocs.tests.test_workflow import issued
from tinhso.signatures import service

pytestmark = pytest.mark.django_db


def _signers(response) -> list[str]:
    assert response.status_code == 200
    return [s["signer"]["common_name"] for s in response.context["signatures"]]


def test_a_second_view_does_not_verify_again_and_a_new_file_is_verified(offices, client,
                                                                         django_capture_on_commit_callbacks):
    o = offices
    doc = issued(o, django_capture_on_commit_callbacks)
    client.force_login(o.clerk)
    url = f"/van-ban/{doc.pk}/"
    with mock.patch("tinhso.signatures.service.verify_pdf", wraps=service.verify_pdf) as spy:
        assert _signers(client.get(url)) == ["Võ Quốc Dũng", "Sở Xây dựng"]
        assert spy.call_count == 1
        second = client.get(url)
        assert _signers(second) == ["Võ Quốc Dũng", "Sở Xây dựng"] and "Hợp lệ" in second.content.decode()
        assert spy.call_count == 1
        signed = doc.files.get(role="signed")
        with doc.files.get(role="leader_signed").file.open("rb") as handle:
            other = handle.read()  # the leader's signature only: another file, another hash
        signed.file.save("thay-the.pdf", ContentFile(other), save=True)
        assert _signers(client.get(url)) == ["Võ Quốc Dũng"]
        assert spy.call_count == 2
        assert _signers(client.get(url)) == ["Võ Quốc Dũng"]
        assert spy.call_count == 2


def test_a_changed_trust_list_is_verified_afresh(offices, client, django_capture_on_commit_callbacks):
    o = offices
    doc = issued(o, django_capture_on_commit_callbacks)
    client.force_login(o.clerk)
    url = f"/van-ban/{doc.pk}/"
    with mock.patch("tinhso.signatures.service.verify_pdf", wraps=service.verify_pdf) as spy:
        client.get(url)
        with mock.patch("tinhso.signatures.pki.trusted_roots", return_value=[]):
            verdicts = {s["verdict"] for s in client.get(url).context["signatures"]}
        assert spy.call_count == 2 and verdicts == {"untrusted"}


def test_a_certificate_revoked_in_the_directory_is_seen_at_the_next_view(offices, client,
                                                                          django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from tinhso.signatures.models import SigningCredential

    o = offices
    doc = issued(o, django_capture_on_commit_callbacks)
    client.force_login(o.clerk)
    url = f"/van-ban/{doc.pk}/"
    with mock.patch("tinhso.signatures.service.verify_pdf", wraps=service.verify_pdf) as spy:
        assert [s["verdict"] for s in client.get(url).context["signatures"]] == ["valid", "valid"]
        SigningCredential.objects.filter(user=o.leader, purpose="personal").update(
            revoked_at=timezone.now() - datetime.timedelta(hours=1), is_active=False)  # before the signing time
        assert [s["verdict"] for s in client.get(url).context["signatures"]] == ["invalid", "valid"]
        assert spy.call_count == 2


def test_without_a_cache_lifetime_every_view_verifies(offices, client, settings, django_capture_on_commit_callbacks):
    o = offices
    doc = issued(o, django_capture_on_commit_callbacks)
    settings.TINHSO_SIGNATURE_REPORT_CACHE_SECONDS = 0
    client.force_login(o.clerk)
    with mock.patch("tinhso.signatures.service.verify_pdf", wraps=service.verify_pdf) as spy:
        client.get(f"/van-ban/{doc.pk}/")
        client.get(f"/van-ban/{doc.pk}/")
    assert spy.call_count == 2
