"""Signature verification reports kept in Django's cache (Redis when
configured), for pages that show the same stored PDF again and again.

The key is the SHA-256 of the bytes verified and a fingerprint of what the
verdict depends on besides them: the trust anchors (`pki.trusted_roots`) and
whether revocation is fetched. So a different file, a changed trust list or
setting is verified afresh; what changes with time alone (a certificate
revoked or expired since) is seen once the entry expires
(`TINHSO_SIGNATURE_REPORT_CACHE_SECONDS`, 0 = no cache)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from tinhso.signatures import pki, service

VERSION = 1  # bump when the report's shape changes


def _trust_fingerprint() -> str:
    digest = hashlib.sha256(b"fetch" if getattr(settings, "TINHSO_VERIFY_FETCH_REVOCATION", False) else b"")
    for root in pki.trusted_roots():
        digest.update(hashlib.sha256(root.dump()).digest())
    return digest.hexdigest()[:32]


def report_key(sha256: str) -> str:
    return f"signatures:report:{VERSION}:{sha256}:{_trust_fingerprint()}"


def verify_pdf_cached(pdf_bytes: bytes) -> dict:
    """`service.verify_pdf(pdf_bytes)`, or its report from the cache when the
    same bytes were verified under the same trust before. A verification
    that emits a security event (an invalid signature) does so when it runs,
    not on each cached read."""
    seconds = getattr(settings, "TINHSO_SIGNATURE_REPORT_CACHE_SECONDS", 0)
    if seconds <= 0:
        return service.verify_pdf(pdf_bytes)
    key = report_key(hashlib.sha256(pdf_bytes).hexdigest())
    report = cache.get(key)
    if report is None:
        report = service.verify_pdf(pdf_bytes)
        cache.set(key, report, seconds)
    return report
