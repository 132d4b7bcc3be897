"""Pinyin initials for search-as-you-type (张三丰 → zsf)."""

from __future__ import annotations


def initials(name: str) -> str:
    # pypinyin loads a large dictionary: import it only when a name is first saved.
    from pypinyin import Style, lazy_pinyin

    return "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
