"""Amounts in Vietnamese words, as printed on receipts (bằng chữ)."""

from __future__ import annotations

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", "nghìn", "triệu", "tỷ"]


def _three(n: int, full: bool) -> list[str]:
    """Words of 0..999; `full` when a higher group precedes, so that 5 reads
    "không trăm linh năm"."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or full):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(DIGITS[units])
    return words


def number_in_words(n: int) -> str:
    if n < 0:
        return "âm " + number_in_words(-n)
    if n == 0:
        return "không"
    if n >= 1000 ** 4:  # tỷ tỷ and beyond: read the billions part recursively
        high, low = divmod(n, 1000 ** 3)
        rest = number_in_words(low) if low else ""
        return f"{number_in_words(high)} tỷ" + (f" {rest}" if rest else "")
    groups = []
    while n:
        n, part = divmod(n, 1000)
        groups.append(part)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        part = groups[index]
        if part == 0:
            continue
        higher_exists = any(groups[i] for i in range(index + 1, len(groups)))
        words += _three(part, full=higher_exists)
        if GROUPS[index]:
            words.append(GROUPS[index])
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """“Năm mươi nghìn đồng”, with a capital first letter."""
    text = number_in_words(int(amount)) + " đồng"
    return text[0].upper() + text[1:]
