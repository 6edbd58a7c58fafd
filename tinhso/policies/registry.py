"""The rules that are dated data: each key with its Vietnamese description,
its default (today's reading of the law, used while no row is in force) and a
check of the values an administrator may set. Apps declare their keys here,
so a new rule is one `Spec` and one call to `value()`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


class BadValue(ValueError):
    """The message says, in Vietnamese, what a valid value is."""


@dataclass(frozen=True)
class Spec:
    key: str
    label: str
    description: str
    default: Any
    check: Callable[[Any], Any]  # returns the normalised value or raises BadValue


REGISTRY: dict[str, Spec] = {}


def register(spec: Spec) -> Spec:
    REGISTRY[spec.key] = spec
    return spec


def integer(low: int, high: int) -> Callable[[Any], int]:
    def check(value):
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().lstrip("-").isdecimal():
            raise BadValue(f"Phải là một số nguyên từ {low} đến {high}.")
        number = int(value)
        if not low <= number <= high:
            raise BadValue(f"Phải là một số nguyên từ {low} đến {high}.")
        return number
    return check


def subset(choices: dict[str, str], *, allow_empty: bool = False) -> Callable[[Any], list[str]]:
    def check(value):
        items = [v.strip() for v in value.split(",")] if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
            raise BadValue("Phải là danh sách các giá trị, cách nhau bởi dấu phẩy.")
        items = [v for v in items if v]
        unknown = [v for v in items if v not in choices]
        if unknown:
            raise BadValue(f"Giá trị không hợp lệ: {', '.join(unknown)}. Chọn trong: {', '.join(choices)}.")
        if not items and not allow_empty:
            raise BadValue("Cần ít nhất một giá trị.")
        return sorted(set(items), key=list(choices).index)
    return check


def one_of(choices: dict[str, str]) -> Callable[[Any], str]:
    def check(value):
        if not isinstance(value, str) or value.strip() not in choices:
            raise BadValue("Chọn một trong: " + "; ".join(f"{k} ({v})" for k, v in choices.items()) + ".")
        return value.strip()
    return check
