"""A local push service for tests that speaks the Web Push protocol's
receiving side (RFC 8030 §5): it accepts the POST a push service gets, checks
the VAPID Authorization (RFC 8292: `vapid t=<ES256 JWT>, k=<public key>`),
and decrypts the aes128gcm body (RFC 8291) with the http_ece library and the
subscription's private key — the browser's half, made here with
`cryptography`. Answers 201, or the status a test sets for an endpoint."""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Browser:
    """The browser's side of one subscription: its P-256 key pair and auth secret."""

    def __init__(self):
        import os

        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.p256dh = b64e(self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                              serialization.PublicFormat.UncompressedPoint))
        self.auth_b64 = b64e(self.auth)

    def decrypt(self, body: bytes) -> dict:
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"))


def check_vapid(authorization: str, audience: str) -> dict:
    """Verify `vapid t=..., k=...`: ES256 signature by k, aud, exp; return the claims."""
    assert authorization.startswith("vapid "), authorization
    parts = dict(p.strip().split("=", 1) for p in authorization[len("vapid "):].split(","))
    header_b64, claims_b64, sig_b64 = parts["t"].split(".")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64d(parts["k"]))
    sig = b64d(sig_b64)
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    header, claims = json.loads(b64d(header_b64)), json.loads(b64d(claims_b64))
    assert header["alg"] == "ES256"
    assert claims["aud"] == audience and claims["exp"] > time.time() and claims["sub"].startswith("mailto:")
    return {"claims": claims, "k": parts["k"]}


class PushService:
    def __init__(self):
        self.received: list[dict] = []
        self.status: dict[str, int] = {}  # path -> status to answer
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                status = service.status.get(self.path, 201)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                if status == 201:
                    self.send_header("Location", f"{self.path}/msg/{len(service.received)}")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"

    def for_path(self, name: str) -> list[dict]:
        return [r for r in self.received if r["path"] == f"/push/{name}"]

    def close(self):
        self.server.shutdown()
        self.server.server_close()
