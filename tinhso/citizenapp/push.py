"""Web Push (RFC 8030, message encryption RFC 8291 aes128gcm, VAPID RFC 8292)
with pywebpush. A notification is a `PushMessage` row (once per citizen and
`dedupe_key`), sent after commit by a background task to each of the
citizen's subscriptions that chose its topic. A push service answering 404 or
410 says the subscription is gone: it is deleted; other failures are counted
and a subscription failing `MAX_FAILURES` times in a row is dropped."""

from __future__ import annotations

import base64
import json
import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.citizenapp.models import PushMessage, PushSubscription, Topic
from tinhso.integration import log as message_log
from tinhso.integration.models import Outcome
from tinhso.integration.registry import service as registry_service

logger = logging.getLogger("tinhso.citizenapp")
MAX_FAILURES = 5
TTL_SECONDS = 24 * 3600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate_keys() -> dict:
    """A new VAPID key pair: the private key as base64url raw 32 bytes (what
    py_vapid reads), the public key as the uncompressed P-256 point the
    browser's `applicationServerKey` takes."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {"private_key": _b64(private), "public_key": _b64(public)}


def vapid_keys() -> dict | None:
    """{"private_key", "public_key"} from the environment, else from
    TINHSO_VAPID_FILE; None when push is not set up (`manage.py vapid_keys`)."""
    if settings.TINHSO_VAPID_PRIVATE_KEY and settings.TINHSO_VAPID_PUBLIC_KEY:
        return {"private_key": settings.TINHSO_VAPID_PRIVATE_KEY, "public_key": settings.TINHSO_VAPID_PUBLIC_KEY}
    try:
        data = json.loads(settings.TINHSO_VAPID_FILE.read_text())
    except (OSError, ValueError):
        return None
    return data if data.get("private_key") and data.get("public_key") else None


def queue(user, topic: str, title: str, body: str, dedupe_key: str, url: str = "/app/") -> PushMessage | None:
    """A notification for `user` on `topic`, once per `dedupe_key`; sent after
    commit when the user has a subscription that chose the topic."""
    if user is None or not any(topic in (s.topics or []) for s in user.push_subscriptions.all()):
        return None
    try:
        with transaction.atomic():
            message = PushMessage.objects.create(user=user, topic=topic, title=title[:200], body=body,
                                                 url=url[:500], dedupe_key=dedupe_key[:160])
    except IntegrityError:
        return None
    from tinhso.citizenapp.tasks import send_push_message

    transaction.on_commit(lambda: send_push_message(message.pk))
    return message


def for_citizen_message(kind: str, values: dict, dedupe: str, *, dossier=None, field_report=None) -> None:
    """The push copy of a citizen e-mail/SMS (called by
    notifications.citizen.queue_messages): to the dossier's citizen or the
    report's reporter, with the SMS text of the template in force."""
    from tinhso.notifications.citizen import _Safe, templates_for

    if dossier is not None:
        user_id, topic, dedupe_key = dossier.citizen_id, Topic.DOSSIERS, f"{kind}:d{dossier.pk}:{dedupe}"
        title, url = f"Hồ sơ {dossier.code}", "/app/#ho-so"
    elif field_report is not None:
        event_part = ":".join(dedupe.split(":")[:2])  # "fr:<event>" — one push whatever the address
        user_id, topic, dedupe_key = field_report.reporter_id, Topic.REPORTS, f"{kind}:r{field_report.pk}:{event_part}"
        title, url = f"Phản ánh {field_report.code}", f"/app/#phan-anh/{field_report.code}"  # opens it in the app
    else:
        return
    subs = list(PushSubscription.objects.filter(user_id=user_id).select_related("user")) if user_id else []
    if not any(topic in (s.topics or []) for s in subs):
        return  # the usual case: one query, nothing more
    user = subs[0].user
    templates = templates_for(kind, ["sms", "email"])
    template = templates.get("sms") or templates.get("email")
    if template is None:
        return
    body = template.body.format_map(_Safe(values)).strip()
    queue(user, topic, title, body[:1000], dedupe_key, url)


def _logged(message: PushMessage, endpoint: str, payload: str, status: int, outcome: str, started: float) -> None:
    """One message-log row per delivery attempt (service `web-push`), like every
    other outgoing exchange: the push service's origin only (the endpoint's
    path identifies the phone), the payload as a digest."""
    parts = urlsplit(endpoint)
    svc = registry_service("web-push")
    if outcome == Outcome.OK:  # the registry's health page reads it (a gone phone is not the service's failure)
        type(svc).objects.filter(pk=svc.pk).update(last_ok_at=timezone.now())
    message_log.append(direction="out", service=svc.code,
                       operation=f"POST {parts.scheme}://{parts.netloc}", purpose=f"push {message.topic}",
                       subject=message.dedupe_key, request_digest=message_log.digest(payload.encode()),
                       status=status, outcome=outcome, latency_ms=int((time.monotonic() - started) * 1000))


def send(message: PushMessage) -> tuple[int, int]:
    """Deliver to each subscription of the user that chose the topic; returns
    (sent, failed)."""
    from pywebpush import WebPushException, webpush

    from tinhso.integration.outbound import session

    keys = vapid_keys()
    if keys is None:
        logger.warning("push not sent: no VAPID keys (run manage.py vapid_keys)")
        return 0, 0
    payload = json.dumps({"title": message.title, "body": message.body, "url": message.url, "tag": message.dedupe_key},
                         ensure_ascii=False)
    sent = failed = 0
    for sub in list(PushSubscription.objects.filter(user_id=message.user_id)):
        if message.topic not in (sub.topics or []):
            continue
        info = {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
        started, status, outcome = time.monotonic(), 0, Outcome.UNAVAILABLE
        try:
            with session() as http:
                response = webpush(info, payload, vapid_private_key=keys["private_key"],
                                   vapid_claims={"sub": settings.TINHSO_VAPID_SUBJECT}, ttl=TTL_SECONDS, timeout=10,
                                   requests_session=http)
            status, outcome = getattr(response, "status_code", 201), Outcome.OK
        except WebPushException as exc:
            failed += 1
            status = exc.response.status_code if exc.response is not None else 0
            outcome = Outcome.ERROR if status >= 500 or not status else Outcome.INVALID
            if status in (404, 410) or sub.failures + 1 >= MAX_FAILURES:
                logger.info("push subscription %s removed (HTTP %s)", sub.pk, status)
                sub.delete()
            else:
                PushSubscription.objects.filter(pk=sub.pk).update(failures=sub.failures + 1)
        except Exception as exc:  # unreachable push service, bad stored key: count it, go on with the others
            failed += 1
            logger.warning("push to subscription %s failed: %s", sub.pk, exc)
            if sub.failures + 1 >= MAX_FAILURES:
                sub.delete()
            else:
                PushSubscription.objects.filter(pk=sub.pk).update(failures=sub.failures + 1)
        else:
            sent += 1
            PushSubscription.objects.filter(pk=sub.pk).update(failures=0, last_success_at=timezone.now())
        _logged(message, sub.endpoint, payload, status, outcome, started)
    PushMessage.objects.filter(pk=message.pk).update(sent=sent, failed=failed)
    return sent, failed


def announce(title: str, body: str, dedupe_key: str, url: str = "/app/", commune_ids=None) -> int:
    """A province announcement to every citizen subscribed to announcements
    (only those whose commune is in `commune_ids`, when given); call it in the
    publishing transaction — the sending happens after commit. Returns how
    many citizens."""
    subs = PushSubscription.objects.select_related("user")
    if commune_ids is not None:
        subs = subs.filter(commune_id__in=list(commune_ids))
    users = {s.user_id: s.user for s in subs if Topic.ANNOUNCEMENTS in (s.topics or [])}
    for user in users.values():
        queue(user, Topic.ANNOUNCEMENTS, title, body, f"announce:{dedupe_key}", url)
    return len(users)
