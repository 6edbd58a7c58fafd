import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.management import CommandError, call_command

from tinhso.signatures import pki
from tinhso.signatures.models import CredentialPurpose, SigningCredential


def test_pki_demo_is_idempotent_and_writes_the_root(db, pki_dir, seal_agency, signer_user):
    call_command("pki_demo", agency=[seal_agency.code], user=[signer_user.username])
    call_command("pki_demo", agency=[seal_agency.code], user=[signer_user.username])
    counts = {p: SigningCredential.objects.filter(purpose=p).count() for p in CredentialPurpose.values}
    assert counts == {"root_ca": 1, "agency_ca": 1, "tsa": 1, "seal": 1, "personal": 1}
    assert (pki_dir / "demo-root.pem").read_text().startswith("-----BEGIN CERTIFICATE-----")


def test_hierarchy_chains_and_subjects(db, pki_dir, seal_agency, signer_user):
    h = pki.ensure_demo_hierarchy()
    root, ca = pki.load(h.root).cert, pki.load(h.agency_ca).cert
    seal = pki.load(pki.credential_for_agency(seal_agency))
    person = pki.load(pki.credential_for_user(signer_user))
    ca.verify_directly_issued_by(root)
    seal.cert.verify_directly_issued_by(ca)
    person.cert.verify_directly_issued_by(ca)
    pki.load(h.tsa).cert.verify_directly_issued_by(root)
    assert "000.00.12.H13" in seal.cert.subject.rfc4514_string()
    assert "Sở Tư pháp thành phố Cần Thơ" in seal.cert.subject.rfc4514_string()
    assert "CN=Nguyễn Văn Ánh" in person.cert.subject.rfc4514_string()
    assert [c.subject for c in seal.chain] == [ca.subject, root.subject]


def test_keys_are_protected_by_the_passphrase(db, pki_dir, seal_agency):
    cred = pki.credential_for_agency(seal_agency)
    blob = bytes(cred.pkcs12)
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(blob, b"wrong passphrase")
    key, cert, _ = pkcs12.load_key_and_certificates(blob, pki.passphrase())
    assert cert.fingerprint(__import__("cryptography.hazmat.primitives.hashes", fromlist=["SHA256"]).SHA256()).hex() \
        == cred.fingerprint


def test_file_store(db, pki_dir, settings, seal_agency):
    settings.TINHSO_PKI_STORE = "file"
    cred = pki.credential_for_agency(seal_agency)
    assert not cred.pkcs12 and (pki_dir / cred.pkcs12_path).is_file()
    assert pki.load(cred).cert.serial_number == int(cred.serial, 16)


def test_production_never_issues(db, settings, seal_agency, signer_user):
    settings.TINHSO_PKI_DEMO = False
    with pytest.raises(pki.NoCredential) as exc:
        pki.credential_for_agency(seal_agency)
    assert "Chưa có chứng thư số" in exc.value.message
    with pytest.raises(pki.NoCredential):
        pki.credential_for_user(signer_user)
    with pytest.raises(CommandError):
        call_command("pki_demo")
    assert not SigningCredential.objects.exists()


def test_passphrase_required_in_production(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TINHSO_PKI_PASSPHRASE = ""
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        pki.passphrase()


def test_trusted_roots_are_configuration(db, pki_dir, settings, tmp_path):
    h = pki.ensure_demo_hierarchy()
    assert [r.sha256.hex() for r in pki.trusted_roots()] == [h.root.fingerprint]
    settings.TINHSO_PKI_DEMO = False
    assert pki.trusted_roots() == []
    settings.TINHSO_TRUSTED_ROOTS = [str(pki_dir / "demo-root.pem")]
    assert [r.sha256.hex() for r in pki.trusted_roots()] == [h.root.fingerprint]


def test_real_image_replaces_the_generated_one(db, pki_dir, seal_agency, signer_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tinhso.audit.models import AuditEvent
    from tinhso.core.errors import InvalidInput
    from tinhso.signatures import actions, appearance

    cred = pki.credential_for_user(signer_user)
    png = appearance.signature_png("Chữ ký thật")
    cred = actions.set_appearance_image(cred, SimpleUploadedFile("ky.png", png), actor=signer_user)
    assert bytes(cred.appearance_png) == png and not cred.appearance_generated
    assert AuditEvent.objects.filter(action="signatures.appearance_image_set").exists()
    with pytest.raises(InvalidInput):
        actions.set_appearance_image(cred, SimpleUploadedFile("ky.pdf", b"%PDF-1.4\n%%EOF"), actor=signer_user)


def test_production_checks(settings):
    from tinhso.signatures.checks import signatures_settings

    settings.PRODUCTION = True
    settings.TINHSO_PKI_PASSPHRASE = ""
    settings.TINHSO_PKI_DEMO = False
    settings.TINHSO_TRUSTED_ROOTS = []
    ids = {m.id for m in signatures_settings(None)}
    assert ids == {"signatures.E001", "signatures.W002"}


def test_a_long_vietnamese_agency_name_fits_in_the_certificate(pki_dir, province):
    from tinhso.testing import make_agency
    from tinhso.signatures import pki

    agency = make_agency("000.00.02.H13", "Trung tâm Phục vụ hành chính công thành phố Cần Thơ", unit=province)
    cred = pki.credential_for_agency(agency)
    loaded = pki.load(cred)
    assert "Trung tâm Phục vụ hành chính công thành phố Cần Thơ" in loaded.asn1_cert.subject.human_friendly
