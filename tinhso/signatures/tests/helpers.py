"""Test helpers: poppler's pdfsig as an independent verifier, tampering, and
a credential from a root nobody trusts."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile

import pytest


def pdfsig(data: bytes) -> tuple[str, list[dict]]:
    """Run `pdfsig` on the bytes; returns the raw output and one dict per
    signature ({"Signature Validation": "...", ...})."""
    if shutil.which("pdfsig") is None:
        pytest.skip("poppler-utils (pdfsig) is not installed; bin/setup --browser installs it")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as fh:
        fh.write(data)
        fh.flush()
        out = subprocess.run(["pdfsig", fh.name], capture_output=True, text=True, timeout=60)
    text = out.stdout + out.stderr
    sigs: list[dict] = []
    for line in text.splitlines():
        if re.match(r"^Signature #\d+:", line):
            sigs.append({})
        elif sigs and line.strip().startswith("- "):
            body = line.strip()[2:]
            key, _, value = body.partition(": ")
            sigs[-1][key] = value if _ else True
    return text, sigs


def tamper(data: bytes, marker: bytes) -> bytes:
    """Change exactly one byte: the first byte of `marker` in the signed content."""
    i = data.index(marker)
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]


def credential_from_untrusted_root(agency):
    """A seal credential for `agency` issued by a self-made root that is not
    in the trust configuration."""
    from tinhso.signatures import pki
    from tinhso.signatures.models import CredentialPurpose

    root_key = pki._new_key()
    root = pki._certificate(subject=pki._name("Root CA la", "Tổ chức không được tin cậy"), key=root_key,
                            issuer_cert=None, issuer_key=root_key, ca=True, path_length=1, days=365)
    key = pki._new_key()
    cert = pki._certificate(subject=pki._name(agency.name, agency.name, agency.code), key=key, issuer_cert=root,
                            issuer_key=root_key, ca=False, days=365)
    return pki.save_credential(purpose=CredentialPurpose.SEAL, key=key, cert=cert, chain=[root], label=agency.name,
                               agency=agency, demo=False)
