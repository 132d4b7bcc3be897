"""Pinyin initials for search-as-you-type (张三丰 → zsf)."""

from __future__ import annotations

# Surnames read differently from the character's common reading (曾 zēng, not céng):
# pypinyin reads single characters by their most common sound, so the first one is overridden.
SURNAME_INITIALS = {
    "曾": "z", "单": "s", "解": "x", "查": "z", "覃": "q", "仇": "q", "区": "o", "朴": "p",
    "乐": "y", "盖": "g", "缪": "m", "尉": "y", "种": "c", "冼": "x", "召": "s",
}


def initials(name: str) -> str:
    # pypinyin loads a large dictionary: import it only when a name is first saved.
    from pypinyin import Style, lazy_pinyin

    letters = "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
    if name[:1] in SURNAME_INITIALS:
        letters = SURNAME_INITIALS[name[0]] + letters[1:]
    return letters
