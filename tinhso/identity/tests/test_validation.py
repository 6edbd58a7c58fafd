"""Unit tests of the ID token validation with tokens signed here."""

import time

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tinhso.identity.errors import InvalidIdToken
from tinhso.identity.oidc import validate_id_token

ISSUER = "https://id.example.gov.vn"
CLIENT = "tinhso-dvc"
NONCE = "n-0S6_WzA2Mj"


@pytest.fixture(scope="module")
def key():
    return RSAKey.generate_key(2048, private=True, parameters={"kid": "k1"})


@pytest.fixture(scope="module")
def jwks(key):
    return KeySet([key]).as_dict(private=False)


def claims(**over):
    now = int(time.time())
    base = {"iss": ISSUER, "sub": "abc", "aud": CLIENT, "iat": now, "exp": now + 300, "nonce": NONCE,
            "id_number": "092085001234"}
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def sign(key, payload, alg="RS256", kid="k1"):
    return jwt.encode({"alg": alg, "kid": kid}, payload, key, algorithms=[alg])


def check(token, jwks, **kw):
    args = {"jwks": jwks, "issuer": ISSUER, "client_id": CLIENT, "nonce": NONCE, **kw}
    return validate_id_token(token, **args)


def test_valid_token(key, jwks):
    result = check(sign(key, claims()), jwks)
    assert result["id_number"] == "092085001234"


def test_tampered_signature_rejected(key, jwks):
    header, payload, signature = sign(key, claims()).split(".")
    flipped = ("A" if signature[5] != "A" else "B")
    with pytest.raises(InvalidIdToken):
        check(".".join([header, payload, signature[:5] + flipped + signature[6:]]), jwks)


def test_tampered_payload_rejected(key, jwks):
    import base64
    import json
    header, payload, signature = sign(key, claims()).split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=="))
    body["id_number"] = "092999999999"
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidIdToken):
        check(".".join([header, forged, signature]), jwks)


def test_signed_by_another_key_rejected(jwks):
    other = RSAKey.generate_key(2048, private=True, parameters={"kid": "k1"})
    with pytest.raises(InvalidIdToken):
        check(sign(other, claims()), jwks)


def test_unknown_kid_reported_for_refresh(key, jwks):
    other = RSAKey.generate_key(2048, private=True, parameters={"kid": "k2"})
    with pytest.raises(InvalidIdToken) as err:
        check(sign(other, claims(), kid="k2"), jwks)
    assert err.value.code == "unknown_key"


def test_hs256_with_public_key_rejected(key, jwks):
    """The classic algorithm-confusion forgery: HMAC keyed with the provider's public key."""
    import base64
    import hashlib
    import hmac
    import json
    enc = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()  # noqa: E731
    signing_input = (enc(json.dumps({"alg": "HS256", "kid": "k1"}).encode()) + "."
                     + enc(json.dumps(claims()).encode()))
    mac = hmac.new(key.as_pem(private=False), signing_input.encode(), hashlib.sha256).digest()
    token = signing_input + "." + enc(mac)
    with pytest.raises(InvalidIdToken):
        check(token, jwks)


def test_unsigned_token_rejected(jwks):
    import base64
    import json
    enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    with pytest.raises(InvalidIdToken):
        check(f"{enc({'alg': 'none'})}.{enc(claims())}.", jwks)


def test_wrong_audience_rejected(key, jwks):
    with pytest.raises(InvalidIdToken):
        check(sign(key, claims(aud="another-app")), jwks)


def test_multiple_audiences_need_azp(key, jwks):
    with pytest.raises(InvalidIdToken):
        check(sign(key, claims(aud=[CLIENT, "other"])), jwks)
    assert check(sign(key, claims(aud=[CLIENT, "other"], azp=CLIENT)), jwks)


def test_wrong_issuer_rejected(key, jwks):
    with pytest.raises(InvalidIdToken):
        check(sign(key, claims(iss="https://evil.example.com")), jwks)


def test_missing_issuer_rejected(key, jwks):
    with pytest.raises(InvalidIdToken):
        check(sign(key, claims(iss=None)), jwks)


def test_expired_rejected(key, jwks):
    now = int(time.time())
    with pytest.raises(InvalidIdToken):
        check(sign(key, claims(iat=now - 7200, exp=now - 3600)), jwks)


def test_missing_expiry_rejected(key, jwks):
    with pytest.raises(InvalidIdToken):
        check(sign(key, claims(exp=None)), jwks)


def test_nonce_mismatch_rejected(key, jwks):
    with pytest.raises(InvalidIdToken):
        check(sign(key, claims(nonce="replayed")), jwks)
    with pytest.raises(InvalidIdToken):
        check(sign(key, claims(nonce=None)), jwks)


def test_at_hash_checked(key, jwks):
    with pytest.raises(InvalidIdToken):
        check(sign(key, claims(at_hash="AAAAAAAAAAAAAAAAAAAAAA")), jwks, access_token="real-token")
