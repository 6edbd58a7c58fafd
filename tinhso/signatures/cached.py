"""Signature verification reports kept in Django's cache (Redis when
configured), for pages that show the same stored PDF again and again.

The key is the SHA-256 of the bytes verified and a fingerprint of what else
the verdict depends on: the trust anchors (`pki.trusted_roots`), whether
revocation is fetched, this platform's revocation register (every
`SigningCredential.revoked_at`: a revocation in the directory is seen at the
next view) and when the file was registered as issued (`SignedDocument`,
the proven signing time). So another file, trust list or revocation is
verified afresh; what changes outside the platform with time alone (an
outside CA's CRL, a certificate expiring) is seen once the entry expires
(`TINHSO_SIGNATURE_REPORT_CACHE_SECONDS`, 0 = no cache)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from tinhso.signatures import pki, service
from tinhso.signatures.models import SignedDocument, SigningCredential

VERSION = 1  # bump when the report's shape changes


def _inputs_fingerprint(sha256: str) -> str:
    digest = hashlib.sha256(b"fetch" if getattr(settings, "TINHSO_VERIFY_FETCH_REVOCATION", False) else b"-")
    for root in pki.trusted_roots():
        digest.update(hashlib.sha256(root.dump()).digest())
    for fingerprint, revoked_at in (SigningCredential.objects.filter(revoked_at__isnull=False)
                                    .order_by("fingerprint").values_list("fingerprint", "revoked_at")):
        digest.update(f"|{fingerprint}@{revoked_at.isoformat()}".encode())
    registered_at = (SignedDocument.objects.filter(sha256=sha256).order_by("created_at")
                     .values_list("created_at", flat=True).first())
    digest.update(f"|registered@{registered_at.isoformat() if registered_at else ''}".encode())
    return digest.hexdigest()[:32]


def report_key(sha256: str) -> str:
    return f"signatures:report:{VERSION}:{sha256}:{_inputs_fingerprint(sha256)}"


def verify_pdf_cached(pdf_bytes: bytes) -> dict:
    """`service.verify_pdf(pdf_bytes)`, or its report from the cache when the
    same bytes were verified under the same trust and revocations before. A
    verification that emits a security event (an invalid signature) does so
    when it runs, not on each cached read."""
    seconds = getattr(settings, "TINHSO_SIGNATURE_REPORT_CACHE_SECONDS", 0)
    if seconds <= 0:
        return service.verify_pdf(pdf_bytes)
    key = report_key(hashlib.sha256(pdf_bytes).hexdigest())
    report = cache.get(key)
    if report is None:
        report = service.verify_pdf(pdf_bytes)
        cache.set(key, report, seconds)
    return report
