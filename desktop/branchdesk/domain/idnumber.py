"""Resident ID numbers (公民身份号码), GB 11643-1999."""

from __future__ import annotations

import datetime as dt
import re

# GB 11643-1999 §8.2: ISO 7064 MOD 11-2 weights for the 17 body digits and the check characters.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


def normalize(raw: str) -> str:
    """Strip spaces and fold a lower-case or full-width x, as people type them."""
    return raw.strip().replace(" ", "").replace("ｘ", "X").replace("x", "X")


def check_char(body17: str) -> str:
    total = sum(int(d) * w for d, w in zip(body17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def birth_date(number: str) -> dt.date | None:
    """The birth date encoded in digits 7–14, or None when they are not a real date."""
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def gender(number: str) -> str:
    """GB 11643 §7.4: the 17th digit is odd for men, even for women."""
    return "男" if int(number[16]) % 2 else "女"


def problem(number: str, birth: dt.date | None = None, today: dt.date | None = None) -> str | None:
    """Why `number` is not a valid ID number (in Chinese), or None when it is.

    When `birth` is given the encoded birth date must equal it.
    """
    if not _SHAPE.match(number):
        return "应为18位，前17位为数字，最后一位为数字或X"
    encoded = birth_date(number)
    if encoded is None:
        return "第7–14位不是有效的出生日期"
    if encoded > (today or dt.date.today()):
        return "第7–14位的出生日期晚于今天"
    if check_char(number[:17]) != number[17]:
        return "校验码不正确，请核对号码"
    if birth is not None and encoded != birth:
        return f"号码中的出生日期 {encoded.isoformat()} 与出生日期 {birth.isoformat()} 不一致"
    return None


def mask(number: str | None) -> str:
    """Show the region and last digit only (as lists and exports do unless asked)."""
    if not number:
        return ""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 5) + number[-1]
