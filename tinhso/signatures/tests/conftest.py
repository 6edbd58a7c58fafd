"""Fixtures for the signature tests.

HTTP routing: the signing code posts RFC 3161 requests through the
integration platform's outbound client. Here `outbound.TRANSPORT_MOUNTS` gets
a transport adapter that hands each request (method, path, headers, body) to
Django's test client and turns the Django response back into a
requests.Response: the production code and the sandbox TSA view run
unchanged, only the socket is skipped. The CSC tests point TINHSO_CSC_URL at
pytest-django's live_server instead (a real HTTP server), so the remote
signing protocol runs end to end over sockets."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

TEST_BASE = "http://testserver"


class DjangoTestClientAdapter(BaseAdapter):
    def __init__(self):
        super().__init__()
        from django.test import Client

        self.client = Client()
        self.calls = []

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ("content-type", "content-length", "host")}
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        dj = self.client.generic(request.method, path, data=body,
                                 content_type=request.headers.get("Content-Type", ""), headers=headers)
        self.calls.append((request.method, path, dj.status_code))
        resp = requests.Response()
        resp.status_code = dj.status_code
        resp._content = dj.content
        resp.headers = CaseInsensitiveDict(dict(dj.items()))
        resp.url = request.url
        resp.request = request
        resp.reason = dj.reason_phrase
        return resp

    def close(self):
        pass


@pytest.fixture
def tsa_adapter(settings, monkeypatch, pki_dir):
    from tinhso.integration import outbound
    from tinhso.signatures import tsa

    settings.TINHSO_SIGNATURES_SANDBOX = True
    settings.TINHSO_PKI_DEMO = True
    settings.TINHSO_TSA_URL = f"{TEST_BASE}/sandbox/tsa/"
    adapter = DjangoTestClientAdapter()
    monkeypatch.setitem(outbound.TRANSPORT_MOUNTS, f"{TEST_BASE}/", adapter)
    monkeypatch.setattr(outbound, "BACKOFF", 0)
    # The sandbox TSA's signer is kept per process: forget the one of another
    # test's PKI folder. (The TSA view runs in the test's own transaction:
    # outbound.call_from_event_loop borrows the signing code's connection.)
    tsa._stamper.clear()
    return adapter


@pytest.fixture
def pki_dir(settings, tmp_path):
    settings.TINHSO_PKI_DIR = tmp_path / "pki"
    settings.TINHSO_PKI_DEMO = True
    return settings.TINHSO_PKI_DIR


MARKER = "TINHSO-NOI-DUNG-GOC-12345"


def make_pdf(text: str = MARKER, pages: int = 1) -> bytes:
    """A plain A4 PDF with uncompressed content streams (so a test can find
    and change one byte of the text)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A4, pageCompression=0)
    for i in range(pages):
        c.setFont("Helvetica", 14)
        c.drawString(72, 760, "QUYET DINH (van ban thu nghiem)")
        c.drawString(72, 730, f"{text} trang {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture
def sample_pdf():
    return make_pdf()


@pytest.fixture
def seal_agency(province):
    from tinhso.testing import make_agency

    return make_agency("000.00.12.H13", "Sở Tư pháp thành phố Cần Thơ", unit=province)


@pytest.fixture
def signer_user(seal_agency):
    from tinhso.testing import make_staff

    return make_staff("nguyenvana", full_name="Nguyễn Văn Ánh", roles=[("leader", seal_agency)])
