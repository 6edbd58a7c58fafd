"""Official-document rules that are dated data (tinhso/policies)."""

from __future__ import annotations

from tinhso.accounts.models import Role
from tinhso.policies.registry import Spec, register, subset
from tinhso.policies.rules import value

REVIEW_ROLES = register(Spec(
    "officialdocs.review_roles", "Các bước duyệt dự thảo trước khi trình ký",
    "Dự thảo văn bản đi được trình lần lượt qua các vai trò này (trong cơ quan ban hành) rồi mới đến lãnh đạo ký; "
    "để trống: trình thẳng lãnh đạo ký (ví dụ cơ quan cấp xã không có phòng).",
    [Role.HEAD_OF_DIVISION.value], subset({Role.HEAD_OF_DIVISION.value: Role.HEAD_OF_DIVISION.label}, allow_empty=True)))


def review_roles(at=None) -> list[str]:
    return value(REVIEW_ROLES.key, at)
