"""Two independent installations (two databases, separate processes) exchange
a document through the sandbox axis that one of them serves over HTTP: the
letter issued by installation A arrives at installation B, and A sees B's
status codes 01 (arrived) and 03 (registered). Each trusts the other's
signing root only because it is configured to (TINHSO_TRUSTED_ROOTS)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db

SETUP_A = """
from tinhso.testing import make_agency, make_staff, make_unit
from tinhso.officialdocs import actions
from tinhso.officialdocs.models import DocumentType
from tinhso.signatures.tests.conftest import make_pdf
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
province = make_unit("92", "Thành phố Cần Thơ", level="province")
sxd = make_agency("000.00.11.H13", "Sở Xây dựng thành phố Cần Thơ", unit=province, short_name="SXD")
specialist = make_staff("cv", roles=[("specialist", sxd)])
head = make_staff("tp", roles=[("head_of_division", sxd)])
leader = make_staff("ld", roles=[("leader", sxd)], full_name="Võ Quốc Dũng")
clerk = make_staff("vt", roles=[("clerical_office", sxd)])
doc = actions.create_draft(acting_user=specialist, agency=sxd, doc_type_id=DocumentType.objects.get(name="Công văn").pk,
    summary="V/v phối hợp quản lý vật liệu xây dựng liên tỉnh", body=SimpleUploadedFile("a.pdf", make_pdf("CONG VAN")),
    external=[("000.00.01.H14", "Sở Xây dựng tỉnh Bình Minh")])
actions.submit_for_review(acting_user=specialist, pk=doc.pk)
actions.approve(acting_user=head, pk=doc.pk)
actions.sign(acting_user=leader, pk=doc.pk)
actions.issue(acting_user=clerk, pk=doc.pk)
"""
SETUP_B = """
from tinhso.testing import make_agency, make_staff, make_unit
from tinhso.signatures import pki
province = make_unit("01", "Thành phố Hà Nội", level="province")
b = make_agency("000.00.01.H14", "Sở Xây dựng tỉnh Bình Minh", unit=province, short_name="SXD")
make_staff("vanthu", roles=[("clerical_office", b)])
pki.credential_for_agency(b)
"""
EXPORT_ROOT = """
from tinhso.signatures.models import SigningCredential
print(SigningCredential.objects.get(purpose="root_ca", demo=True).certificate_pem)
"""
REGISTER_B = """
from tinhso.accounts.models import User
from tinhso.officialdocs import actions
from tinhso.officialdocs.models import OfficialDocument
doc = OfficialDocument.objects.get(direction="in")
print(doc.sender_reference, "|", doc.summary, "|", doc.status)
actions.register_incoming(acting_user=User.objects.get(username="vanthu"), pk=doc.pk)
"""
STATUS_A = """
from tinhso.officialdocs.models import Recipient
r = Recipient.objects.get()
print(r.status_code)
"""


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_installations_exchange_through_the_sandbox_axis(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("runs once, in the SQLite pass: the two installations use their own SQLite files")
    port = _port()
    axis = f"http://127.0.0.1:{port}/sandbox/axis"

    def env(name: str, **extra) -> dict:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("TINHSO_", "DATABASE_URL", "DJANGO_"))}
        base.update({"DATABASE_URL": f"sqlite:///{tmp_path / name}.sqlite3", "TINHSO_MEDIA_ROOT": str(tmp_path / name),
                     "TINHSO_TASKS_DB": str(tmp_path / f"{name}-tasks.sqlite3"), "TINHSO_TSA_URL": "off",
                     "TINHSO_PKI_DIR": str(tmp_path / f"{name}-pki"), "TINHSO_AXIS_URL": axis,
                     "TINHSO_BASE_URL": f"http://127.0.0.1:{port}", "TINHSO_LOG_LEVEL": "WARNING", **extra})
        return base

    def manage(name: str, *args, script: str | None = None, **extra) -> str:
        command = [sys.executable, "manage.py", *args] if script is None else [
            sys.executable, "manage.py", "shell", "--no-imports", "-c", script]
        done = subprocess.run(command, cwd=ROOT, env=env(name, **extra), capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{name} {args}: {done.stdout}\n{done.stderr}"
        return done.stdout.strip()

    for name in ("a", "b"):
        manage(name, "migrate", "--noinput", "-v0")
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT,
                              env=env("a"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        manage("b", script=SETUP_B)
        manage("a", script=SETUP_A)  # issued: the message goes to the axis after commit
        (tmp_path / "a-root.pem").write_text(manage("a", script=EXPORT_ROOT) + "\n")
        (tmp_path / "b-root.pem").write_text(manage("b", script=EXPORT_ROOT) + "\n")
        trust_a, trust_b = str(tmp_path / "b-root.pem"), str(tmp_path / "a-root.pem")

        received = manage("b", "exchange_documents", TINHSO_TRUSTED_ROOTS=trust_b)
        assert '"received": 1' in received, received
        manage("a", "exchange_documents", TINHSO_TRUSTED_ROOTS=trust_a)
        assert manage("a", script=STATUS_A) == "01"
        registered = manage("b", script=REGISTER_B, TINHSO_TRUSTED_ROOTS=trust_b)
        assert registered.startswith("1/SXD") and "vật liệu xây dựng liên tỉnh" in registered
        manage("a", "exchange_documents", TINHSO_TRUSTED_ROOTS=trust_a)
        assert manage("a", script=STATUS_A) == "03"
    finally:
        server.terminate()
        server.wait(timeout=10)
