"""Keys and certificates.

The demo hierarchy (`pki_demo`, or on demand when TINHSO_PKI_DEMO is on):

    Tỉnh Số Demo Root CA
      ├── Tỉnh Số Demo Agency CA   (intermediate; issues seals and personal certificates)
      │     ├── <agency>           seal: CN/O = agency name, organizationIdentifier = agency code
      │     └── <staff member>     personal: CN = full name, O = agency name
      └── Tỉnh Số Demo TSA         RFC 3161 time-stamping (extendedKeyUsage timeStamping)

Every private key is kept as PKCS#12 encrypted with TINHSO_PKI_PASSPHRASE, in
the database or in a file under TINHSO_PKI_DIR. Which roots are trusted when
verifying is configuration (TINHSO_TRUSTED_ROOTS, plus the demo root when the
demo PKI is on). In production (TINHSO_PKI_DEMO off) nothing is issued here:
a missing credential is an error and real certificates are imported with
`manage.py pki_import`."""

from __future__ import annotations

import datetime
import hashlib
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from tinhso.audit.actions import record
from tinhso.core.errors import Conflict
from tinhso.signatures.models import CredentialPurpose, SigningCredential

log = logging.getLogger(__name__)

ROOT_NAME = "Tỉnh Số Demo Root CA"
AGENCY_CA_NAME = "Tỉnh Số Demo Agency CA"
TSA_NAME = "Tỉnh Số Demo TSA"
DEMO_ORG = "Tỉnh Số (thử nghiệm)"
DEV_PASSPHRASE = "tinhso-demo-pki"


class NoCredential(Conflict):
    code = "no_signing_credential"
    default_message = "Chưa có chứng thư số để ký."


# --- settings ---------------------------------------------------------------

def demo_enabled() -> bool:
    return bool(getattr(settings, "TINHSO_PKI_DEMO", False))


def passphrase() -> bytes:
    value = getattr(settings, "TINHSO_PKI_PASSPHRASE", "") or ""
    if not value:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured("TINHSO_PKI_PASSPHRASE phải được đặt khi chạy production "
                                       "(mật khẩu bảo vệ các tệp PKCS#12 chứa khóa ký).")
        value = DEV_PASSPHRASE
    return value.encode()


def pki_dir() -> Path:
    return Path(getattr(settings, "TINHSO_PKI_DIR", None) or Path(settings.BASE_DIR) / "var" / "pki")


# --- certificate building ---------------------------------------------------

def _attr(oid, value: str) -> x509.NameAttribute:
    """X.520 bounds CN and O at 64 *characters*; `cryptography` checks UTF-8
    bytes, which a Vietnamese agency name of 40-64 letters exceeds. Keep the
    standard's limit and skip the library's stricter byte check."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return x509.NameAttribute(oid, value[:64], _validate=False)


def _name(cn: str, org: str | None = None, org_id: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if org:
        attrs.append(_attr(NameOID.ORGANIZATION_NAME, org))
    if org_id:
        attrs.append(_attr(NameOID.ORGANIZATION_IDENTIFIER, org_id))
    attrs.append(_attr(NameOID.COMMON_NAME, cn))
    return x509.Name(attrs)


def _new_key() -> rsa.RSAPrivateKey:
    # RSA: understood by every verifier (and by pyHanko's test TSA helper).
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _certificate(*, subject: x509.Name, key, issuer_cert: x509.Certificate | None, issuer_key, ca: bool,
                 path_length: int | None = None, days: int, tsa: bool = False) -> x509.Certificate:
    now = timezone.now().replace(microsecond=0)
    issuer_name = issuer_cert.subject if issuer_cert is not None else subject
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(issuer_name)
               .public_key(key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + datetime.timedelta(days=days))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False))
    if issuer_cert is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_cert.public_key()), critical=False)
    else:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
    if ca:
        usage = dict(digital_signature=True, content_commitment=False, key_cert_sign=True, crl_sign=True)
    else:
        usage = dict(digital_signature=True, content_commitment=not tsa, key_cert_sign=False, crl_sign=False)
    builder = builder.add_extension(x509.KeyUsage(key_encipherment=False, data_encipherment=False,
                                                  key_agreement=False, encipher_only=False, decipher_only=False,
                                                  **usage), critical=True)
    if tsa:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _pkcs12(label: str, key, cert: x509.Certificate, chain: list[x509.Certificate]) -> bytes:
    encryption = (serialization.PrivateFormat.PKCS12.encryption_builder()
                  .kdf_rounds(50_000)
                  .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
                  .hmac_hash(hashes.SHA256())
                  .build(passphrase()))
    name = label.encode()[:64].decode("utf-8", "ignore").encode()  # cut on a character boundary
    return pkcs12.serialize_key_and_certificates(name, key, cert, chain or None, encryption)


def save_credential(*, purpose: str, key, cert: x509.Certificate, chain: list[x509.Certificate], label: str,
                    agency=None, user=None, demo: bool, actor=None) -> SigningCredential:
    """Store a key + certificate as a credential (PKCS#12 in the DB, or in a
    file under TINHSO_PKI_DIR when TINHSO_PKI_STORE = "file")."""
    blob = _pkcs12(label, key, cert, chain)
    fingerprint = cert.fingerprint(hashes.SHA256()).hex()
    cred = SigningCredential(
        purpose=purpose, agency=agency, user=user, label=label[:255],
        subject=cert.subject.rfc4514_string()[:500], issuer=cert.issuer.rfc4514_string()[:500],
        serial=format(cert.serial_number, "x"), fingerprint=fingerprint,
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
        certificate_pem=_pem(cert), chain_pem="".join(_pem(c) for c in chain), demo=demo)
    if getattr(settings, "TINHSO_PKI_STORE", "db") == "file":
        directory = pki_dir()
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{fingerprint}.p12").write_bytes(blob)
        cred.pkcs12_path = f"{fingerprint}.p12"
    else:
        cred.pkcs12 = blob
    with transaction.atomic():
        cred.save()
        record(actor=actor, action="signatures.credential_saved", obj=cred,
               changes={"purpose": purpose, "subject": cred.subject, "serial": cred.serial})
    return cred


# --- loading ----------------------------------------------------------------

@dataclass(frozen=True)
class LoadedCredential:
    credential_id: int
    key: object                      # cryptography private key
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]

    @property
    def asn1_cert(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    @property
    def asn1_chain(self) -> list[asn1_x509.Certificate]:
        return [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in self.chain]

    @property
    def asn1_key(self) -> asn1_keys.PrivateKeyInfo:
        return asn1_keys.PrivateKeyInfo.load(self.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


_cache_lock = threading.Lock()
_loaded: dict[tuple[int, str], LoadedCredential] = {}


def pkcs12_bytes(cred: SigningCredential) -> bytes:
    if cred.pkcs12:
        return bytes(cred.pkcs12)
    if cred.pkcs12_path:
        path = Path(cred.pkcs12_path)
        return (path if path.is_absolute() else pki_dir() / path).read_bytes()
    raise NoCredential(f"Chứng thư “{cred.label}” không có khóa ký kèm theo.")


def load(cred: SigningCredential) -> LoadedCredential:
    """The decrypted key and certificates, cached per process (decrypting a
    PKCS#12 costs a key derivation; signing must stay fast)."""
    cache_key = (cred.pk, cred.fingerprint)
    hit = _loaded.get(cache_key)
    if hit is not None:
        return hit
    key, cert, extra = pkcs12.load_key_and_certificates(pkcs12_bytes(cred), passphrase())
    chain = tuple(extra or ())
    if not chain and cred.chain_pem:
        chain = tuple(x509.load_pem_x509_certificates(cred.chain_pem.encode()))
    loaded = LoadedCredential(cred.pk, key, cert, chain)
    with _cache_lock:
        _loaded[cache_key] = loaded
    return loaded


def asn1_certs_from_pem(data: bytes) -> list[asn1_x509.Certificate]:
    out = []
    for _type, _headers, der in asn1_pem.unarmor(data, multiple=True):
        out.append(asn1_x509.Certificate.load(der))
    return out


# --- the demo hierarchy -----------------------------------------------------

def _active(purpose: str, **filters) -> SigningCredential | None:
    now = timezone.now()
    return (SigningCredential.objects.filter(purpose=purpose, is_active=True, not_after__gt=now, **filters)
            .order_by("-not_after").first())


def _require_demo(what: str) -> None:
    if not demo_enabled():
        raise NoCredential(f"Chưa có chứng thư số cho {what}. Hệ thống không tự cấp chứng thư khi không ở chế độ "
                           "thử nghiệm (TINHSO_PKI_DEMO); hãy nhập chứng thư do tổ chức cung cấp dịch vụ chứng thực "
                           "chữ ký số cấp (manage.py pki_import).")


@dataclass(frozen=True)
class DemoHierarchy:
    root: SigningCredential
    agency_ca: SigningCredential
    tsa: SigningCredential


_demo_lock = threading.Lock()


def ensure_demo_hierarchy() -> DemoHierarchy:
    """The demo root, agency CA and TSA, created once (idempotent). The root's
    PEM is also written to TINHSO_PKI_DIR/demo-root.pem for outside tools."""
    _require_demo("CA thử nghiệm")
    with _demo_lock, transaction.atomic():
        root = _active(CredentialPurpose.ROOT_CA, demo=True)
        if root is None:
            key = _new_key()
            cert = _certificate(subject=_name(ROOT_NAME, DEMO_ORG), key=key, issuer_cert=None, issuer_key=key,
                                ca=True, path_length=1, days=3650)
            root = save_credential(purpose=CredentialPurpose.ROOT_CA, key=key, cert=cert, chain=[],
                                   label=ROOT_NAME, demo=True)
        root_loaded = load(root)
        agency_ca = _active(CredentialPurpose.AGENCY_CA, demo=True, issuer=root.subject)
        if agency_ca is None:
            key = _new_key()
            cert = _certificate(subject=_name(AGENCY_CA_NAME, DEMO_ORG), key=key, issuer_cert=root_loaded.cert,
                                issuer_key=root_loaded.key, ca=True, path_length=0, days=1825)
            agency_ca = save_credential(purpose=CredentialPurpose.AGENCY_CA, key=key, cert=cert,
                                        chain=[root_loaded.cert], label=AGENCY_CA_NAME, demo=True)
        tsa = _active(CredentialPurpose.TSA, demo=True, issuer=root.subject)
        if tsa is None:
            key = _new_key()
            cert = _certificate(subject=_name(TSA_NAME, DEMO_ORG), key=key, issuer_cert=root_loaded.cert,
                                issuer_key=root_loaded.key, ca=False, days=1825, tsa=True)
            tsa = save_credential(purpose=CredentialPurpose.TSA, key=key, cert=cert, chain=[root_loaded.cert],
                                  label=TSA_NAME, demo=True)
    try:
        directory = pki_dir()
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "demo-root.pem").write_text(root.certificate_pem)
    except OSError:  # a read-only deployment still works: the root is in the DB
        log.warning("could not write %s/demo-root.pem", pki_dir())
    return DemoHierarchy(root, agency_ca, tsa)


def issue_agency_credential(agency, *, actor=None) -> SigningCredential:
    """A demo seal certificate for the agency (subject: agency name and code)."""
    _require_demo(f"cơ quan “{agency.name}”")
    ca = load(ensure_demo_hierarchy().agency_ca)
    key = _new_key()
    cert = _certificate(subject=_name(agency.name, agency.name, agency.code), key=key, issuer_cert=ca.cert,
                        issuer_key=ca.key, ca=False, days=730)
    return save_credential(purpose=CredentialPurpose.SEAL, key=key, cert=cert, chain=[ca.cert, *ca.chain],
                           label=agency.name, agency=agency, demo=True, actor=actor)


def user_agency(user):
    from tinhso.accounts.models import RoleAssignment

    assignment = (RoleAssignment.objects.active().filter(user=user).select_related("agency")
                  .order_by("agency__depth", "pk").first())
    return assignment.agency if assignment else None


def issue_user_credential(user, *, agency=None, actor=None) -> SigningCredential:
    """A demo personal signing certificate for a staff member."""
    _require_demo(f"cán bộ “{user.get_full_name()}”")
    agency = agency or user_agency(user)
    ca = load(ensure_demo_hierarchy().agency_ca)
    key = _new_key()
    cert = _certificate(subject=_name(user.get_full_name(), agency.name if agency else None), key=key,
                        issuer_cert=ca.cert, issuer_key=ca.key, ca=False, days=730)
    return save_credential(purpose=CredentialPurpose.PERSONAL, key=key, cert=cert, chain=[ca.cert, *ca.chain],
                           label=user.get_full_name(), user=user, agency=agency, demo=True, actor=actor)


class CredentialStopped(NoCredential):
    code = "signing_credential_stopped"


def _refuse_if_stopped(purpose: str, whose: str, **filters) -> None:
    """Before the demo PKI issues a credential on its own: refuse when the
    holder's latest credential of this purpose was stopped on purpose (only
    the directory's suspend, revoke and supersede clear `is_active`, and a
    superseded one always has a newer one).
    Issuing a fresh one then would undo the suspension or revocation without
    anyone deciding it: the holder requests a new certificate instead. A
    latest credential that merely expired is replaced as before."""
    latest = (SigningCredential.objects.filter(purpose=purpose, **filters).order_by("-created_at", "-pk")
              .only("is_active", "revoked_at", "not_after").first())
    if latest is None or (latest.is_active and latest.revoked_at is None):
        return
    what = "đã bị thu hồi" if latest.revoked_at is not None else "đang bị tạm dừng"
    raise CredentialStopped(f"Chứng thư số của {whose} {what} nên không ký được. Hãy đề nghị cấp chứng thư số mới "
                            "(Danh bạ, thư công vụ, chứng thư số → Đề nghị cấp); khi chứng thư mới được cấp, "
                            "việc ký sẽ dùng chứng thư đó.")


def credential_for_agency(agency) -> SigningCredential:
    """The agency's seal credential in use; with none, the demo PKI issues
    one (never in production), unless the latest was suspended or revoked."""
    cred = _active(CredentialPurpose.SEAL, agency=agency)
    if cred is None:
        _refuse_if_stopped(CredentialPurpose.SEAL, f"cơ quan “{agency.name}”", agency=agency, user__isnull=True)
        cred = issue_agency_credential(agency)
    return cred


def credential_for_user(user) -> SigningCredential:
    """The person's credential in use; with none, the demo PKI issues one
    (never in production), unless the latest was suspended or revoked."""
    cred = _active(CredentialPurpose.PERSONAL, user=user)
    if cred is None:
        _refuse_if_stopped(CredentialPurpose.PERSONAL, f"cán bộ “{user.get_full_name()}”", user=user)
        cred = issue_user_credential(user)
    return cred


def tsa_credential() -> SigningCredential:
    return ensure_demo_hierarchy().tsa


# --- trust ------------------------------------------------------------------

_roots_cache: dict[tuple, list[asn1_x509.Certificate]] = {}


def trusted_roots() -> list[asn1_x509.Certificate]:
    """Trust anchors for verification: the PEM files in TINHSO_TRUSTED_ROOTS,
    plus the demo root when the demo PKI is on."""
    paths = tuple(str(p) for p in getattr(settings, "TINHSO_TRUSTED_ROOTS", []) or [])
    demo_pems: tuple[str, ...] = ()
    if demo_enabled():
        demo_pems = tuple(SigningCredential.objects.filter(purpose=CredentialPurpose.ROOT_CA, demo=True,
                                                           is_active=True)
                          .values_list("certificate_pem", flat=True))
    key = (paths, hashlib.sha256("".join(demo_pems).encode()).hexdigest())
    cached = _roots_cache.get(key)
    if cached is not None:
        return cached
    roots: list[asn1_x509.Certificate] = []
    for p in paths:
        try:
            roots.extend(asn1_certs_from_pem(Path(p).read_bytes()))
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"TINHSO_TRUSTED_ROOTS: không đọc được chứng thư gốc {p}: {exc}") from exc
    for pem in demo_pems:
        roots.extend(asn1_certs_from_pem(pem.encode()))
    _roots_cache.clear()
    _roots_cache[key] = roots
    return roots
