"""A leader signs a result from a phone through the remote signing service
(CSC API v1 over real HTTP to the sandbox in the live server), authorised by
an OTP; the agency seal follows."""

import pytest

from tinhso.dossiers import actions
from tinhso.dossiers.tests.conftest import pdf, receive
from tinhso.signatures.models import CscGrantKind, CscSandboxGrant
from tinhso.signatures.service import verify_pdf
from tinhso.signatures.tests.conftest import pki_dir, tsa_adapter  # noqa: F401
from tinhso.signatures.tests.test_csc import csc_server  # noqa: F401


def _to_leader(w):
    d = receive(w)
    d = actions.forward(acting_user=w.clerk, dossier=d, receiver=w.specialist)
    d = actions.forward(acting_user=w.specialist, dossier=d, receiver=w.head)
    return actions.forward(acting_user=w.head, dossier=d, receiver=w.leader)


def test_leader_signs_the_result_remotely_with_an_otp(client, world, csc_server):  # noqa: F811
    d = _to_leader(world)
    client.force_login(world.leader)
    html = client.get(f"/dossiers/{d.code}/").content.decode()
    assert "Mã OTP ký số từ xa" in html
    response = client.post(f"/dossiers/{d.code}/otp/", follow=True)
    assert "Đã gửi mã OTP" in response.content.decode()
    otp = CscSandboxGrant.objects.filter(kind=CscGrantKind.OTP, user=world.leader).latest("created_at").value
    wrong = "000000" if otp != "000000" else "111111"
    with pytest.raises(Exception):
        actions.finish(acting_user=world.leader, dossier=d, result_summary="GCN kết hôn",
                       result_files=[pdf("gcn.pdf")], remote_otp=wrong)
    d.refresh_from_db()
    assert d.status == 4 and not d.files.filter(kind="result").exists()
    client.post(f"/dossiers/{d.code}/otp/")
    otp = CscSandboxGrant.objects.filter(kind=CscGrantKind.OTP, user=world.leader).latest("created_at").value
    d = actions.finish(acting_user=world.leader, dossier=d, result_summary="GCN kết hôn",
                       result_files=[pdf("gcn.pdf")], remote_otp=otp)
    report = verify_pdf(d.files.get(kind="result").file.read())
    assert report["verdict"] == "valid"
    assert [s["signer"]["common_name"] for s in report["signatures"]] == ["Lâm Quốc Việt", "UBND Phường Vị Thanh"]
