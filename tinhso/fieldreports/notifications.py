"""The addresses and placeholder values of citizen messages about a report
(templates are notifications.MessageTemplate rows of the fr_* events)."""

from __future__ import annotations

from tinhso.notifications.models import Channel


def reporter_targets(report) -> list[tuple[str, str]]:
    """The reporter's own addresses (what they gave, else their account's)."""
    user = report.reporter
    email = report.reporter_email or (user.email if user and user.notify_email else "")
    phone = report.reporter_phone or (user.phone if user and user.notify_sms else "")
    return [pair for pair in ((Channel.SMS, phone), (Channel.EMAIL, email)) if pair[1]]


def reporter_link(report) -> str:
    """The report's page with a signed token that lets the reporter rate or
    reopen it from any device (a reporter without e-ID has no account)."""
    from django.core import signing

    from tinhso.fieldreports.actions.common import public_url

    return f"{public_url(report)}?t={signing.dumps(report.code, salt=REPORTER_SALT)}"


REPORTER_SALT = "fieldreports.reporter-link"
REPORTER_LINK_DAYS = 90


def code_from_link(token: str) -> str | None:
    from django.core import signing

    try:
        return signing.loads(token, salt=REPORTER_SALT, max_age=REPORTER_LINK_DAYS * 86400)
    except signing.BadSignature:
        return None


def targets(report) -> list[tuple[str, str]]:
    """The reporter and followers; each address once, the reporter's first."""
    found: list[tuple[str, str]] = []
    for follower in report.followers.select_related("user"):
        if follower.user_id and follower.user_id == report.reporter_id:
            continue
        if follower.email or (follower.user and follower.user.notify_email and follower.user.email):
            found.append((Channel.EMAIL, follower.email or follower.user.email))
        if follower.phone:
            found.append((Channel.SMS, follower.phone))
    found = reporter_targets(report) + found
    seen, unique = set(), []
    for pair in found:
        if pair not in seen:
            seen.add(pair)
            unique.append(pair)
    return unique


def values(report, event) -> dict:
    from tinhso.fieldreports.actions.common import public_url

    return {"ma_phan_anh": report.code, "linh_vuc": report.category.name,
            "trang_thai": report.get_status_display(), "ly_do": (event.note or report.reason_text or "").strip(),
            "ket_qua": report.answer, "tra_cuu": public_url(report)}
