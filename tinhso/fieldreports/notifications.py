"""The addresses and placeholder values of citizen messages about a report
(templates are notifications.MessageTemplate rows of the fr_* events)."""

from __future__ import annotations

from tinhso.notifications.models import Channel


def targets(report) -> list[tuple[str, str]]:
    """The reporter (what they gave, else their account's) and followers; each address once."""
    found: list[tuple[str, str]] = []
    user = report.reporter
    email = report.reporter_email or (user.email if user and user.notify_email else "")
    phone = report.reporter_phone or (user.phone if user and user.notify_sms else "")
    for follower in report.followers.select_related("user"):
        if follower.user_id and follower.user_id == report.reporter_id:
            continue
        if follower.email or (follower.user and follower.user.notify_email and follower.user.email):
            found.append((Channel.EMAIL, follower.email or follower.user.email))
        if follower.phone:
            found.append((Channel.SMS, follower.phone))
    if email:
        found.insert(0, (Channel.EMAIL, email))
    if phone:
        found.insert(0, (Channel.SMS, phone))
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
