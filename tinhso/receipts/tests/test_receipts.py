import pytest

from tinhso.datastore.models import DataStoreItem
from tinhso.dossiers.tests.conftest import receive
from tinhso.receipts.actions import issue_receipt
from tinhso.receipts.models import Receipt
from tinhso.signatures.models import SignedDocument
from tinhso.signatures.service import verify_pdf

LINES = [{"name": "Lệ phí đăng ký kết hôn", "amount": 50000}, {"name": "Phí cấp bản sao", "amount": 8000}]


def test_a_receipt_is_numbered_signed_by_the_agency_and_verifiable(world, tsa_adapter):
    d = receive(world)
    r = issue_receipt(acting_user=world.clerk, agency=world.committee, payer_name=d.owner_name, lines=LINES,
                      dossier=d, method="Tiền mặt tại quầy")
    assert (r.number, r.amount, r.amount_in_words) == (1, 58000, "Năm mươi tám nghìn đồng")
    data = r.pdf.read()
    report = verify_pdf(data)
    assert report["verdict"] == "valid", report
    signature = report["signatures"][0]
    assert signature["signer"]["common_name"] == "UBND Phường Vị Thanh"
    assert signature["trust"] == "trusted" and signature["intact"] and signature["covers_whole_file"]
    assert SignedDocument.objects.filter(code=r.code, kind="receipt").exists()
    second = issue_receipt(acting_user=world.clerk, agency=world.committee, payer_name="B", lines=LINES[:1])
    assert second.number == 2 and second.series_id == r.series_id


def test_pdfsig_sees_a_valid_signature_and_text_in_vietnamese(world, tsa_adapter, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("pdfsig"):
        pytest.fail("poppler-utils (pdfsig, pdftotext) are required; bin/setup --browser installs them")
    r = issue_receipt(acting_user=world.clerk, agency=world.committee, payer_name="Nguyễn Văn An", lines=LINES)
    path = tmp_path / "bl.pdf"
    path.write_bytes(r.pdf.read())
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid." in out
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ" in text and "Năm mươi tám nghìn đồng" in text and "Nguyễn Văn An" in text


def test_receipt_goes_to_the_citizens_data_store(world, tsa_adapter):
    from tinhso.accounts.models import User

    citizen = User.objects.create_user(username="cd", is_citizen=True, id_number="092085001234")
    d = receive(world)
    d.citizen = citizen
    d.save(update_fields=["citizen"])
    r = issue_receipt(acting_user=None, agency=world.committee, payer_name=d.owner_name, lines=LINES, dossier=d)
    item = DataStoreItem.objects.get(owner=citizen, kind="receipt")
    assert item.sha256 == r.sha256


def test_bad_lines_are_refused(world, tsa_adapter):
    from tinhso.core.errors import InvalidInput, PermissionDenied

    with pytest.raises(InvalidInput):
        issue_receipt(acting_user=world.clerk, agency=world.committee, payer_name="A", lines=[])
    with pytest.raises(PermissionDenied):
        issue_receipt(acting_user=world.outsider, agency=world.committee, payer_name="A", lines=LINES)
    assert not Receipt.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_never_share_a_number(world, settings, pki_dir):
    from tinhso.testing import run_together

    def issue():
        return issue_receipt(acting_user=None, agency=world.committee, payer_name="A", lines=LINES)

    results = run_together(issue, issue, issue, issue)
    assert all(isinstance(r, Receipt) for r in results), results
    assert sorted(r.number for r in results) == [1, 2, 3, 4]
