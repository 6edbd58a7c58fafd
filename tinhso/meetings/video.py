"""The video side of a meeting, on an existing conferencing engine, Jitsi Meet
(`TINHSO_JITSI_URL`): a room name nobody can guess and, when the province's
server uses Jitsi's token authentication (`TINHSO_JITSI_APP_ID` +
`TINHSO_JITSI_SECRET`), a signed room token (HS256 JWT) per participant."""

from __future__ import annotations

import base64
import datetime
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone


def new_room_name() -> str:
    """`tinhso-` and 24 random base32 letters (120 bits): not guessable,
    lower case (Jitsi folds room names), safe in a URL."""
    return "tinhso-" + base64.b32encode(secrets.token_bytes(15)).decode().lower()


def server_domain() -> str:
    return urlsplit(settings.TINHSO_JITSI_URL).hostname or ""


def tokens_enabled() -> bool:
    return bool(settings.TINHSO_JITSI_APP_ID and settings.TINHSO_JITSI_SECRET)


def room_token(meeting, *, name: str, email: str = "", user_id: str = "", moderator: bool = False,
               now: datetime.datetime | None = None) -> str:
    """The JWT Jitsi's token authentication (prosody `token` module) checks:
    aud, iss (the app id), sub (the server's domain), room, nbf/exp (from an
    hour before the start to `meetings.token_grace_minutes` after the end)
    and context.user shown in the meeting."""
    from joserfc import jwt
    from joserfc.jwk import OctKey

    from tinhso.meetings.policies import token_grace_minutes

    now = now or timezone.now()
    claims = {
        "aud": "jitsi",
        "iss": settings.TINHSO_JITSI_APP_ID,
        "sub": server_domain(),
        "room": meeting.video_room,
        "iat": int(now.timestamp()),
        "nbf": int((min(now, meeting.start) - datetime.timedelta(hours=1)).timestamp()),
        "exp": int((meeting.end + datetime.timedelta(minutes=token_grace_minutes())).timestamp()),
        "context": {"user": {"id": user_id, "name": name, "email": email, "moderator": moderator}},
        "moderator": moderator,
    }
    return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, OctKey.import_key(settings.TINHSO_JITSI_SECRET))


def room_url(meeting) -> str:
    return f"{settings.TINHSO_JITSI_URL}/{meeting.video_room}"


def join_url(meeting, *, name: str, email: str = "", user_id: str = "", moderator: bool = False) -> str:
    """The link one participant follows: the room, with their own token when
    the server checks tokens."""
    url = room_url(meeting)
    if tokens_enabled():
        url += "?jwt=" + room_token(meeting, name=name, email=email, user_id=user_id, moderator=moderator)
    return url
