"""Member rows of an import sheet (design.md §6): which column is which, and each cell's value.

Headers are matched tolerantly (common variants, stray spaces, full-width characters, a unit in
brackets); cells are parsed as Excel and people leave them (dates as text, serials or date cells;
ID numbers that Excel turned into numbers are caught, their last digits are already lost). The
record rules (dates in order, ID check digit, duplicates) are the services' part.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..domain import idnumber
from ..domain.dates import parse_date
from ..domain.members import EDUCATION_LEVELS, GENDERS, DuesCategory, MemberData, Standing, yuan_to_fen
from .reader import Table

# The columns, in the order of the template's header row, and the MemberData field of each.
COLUMNS = {
    "姓名": "name", "性别": "gender", "民族": "ethnicity", "出生日期": "birth_date",
    "身份证号": "id_number", "学历": "education", "人员类别": "standing", "入党日期": "joined_on",
    "转正日期": "full_on", "党费类别": "dues_category", "党费基数": "dues_base_fen",
    "所在党小组": "group_id", "联系电话": "phone", "备注": "note",
}
LABELS = {f: c for c, f in COLUMNS.items()}
REQUIRED = ("姓名", "性别", "出生日期", "人员类别", "入党日期")
# The template's example row carries this 备注 and is skipped, should it be left in.
EXAMPLE_NOTE = "示例行（导入时自动跳过）"

_VARIANTS = {
    "姓名": ("名字", "党员姓名"),
    "出生日期": ("出生年月日", "出生时间", "生日"),
    "身份证号": ("身份证号码", "公民身份号码", "公民身份证号码", "身份证", "证件号码"),
    "学历": ("文化程度", "最高学历"),
    "人员类别": ("党员类别", "党员身份", "类别"),
    "入党日期": ("入党时间", "加入党组织日期"),
    "转正日期": ("转正时间", "转为正式党员日期"),
    "党费类别": ("缴费类别", "缴纳类别"),
    "党费基数": ("党费缴纳基数", "缴费基数", "月缴费基数"),
    "所在党小组": ("党小组",),
    "联系电话": ("电话", "手机", "手机号", "手机号码", "联系方式"),
}
_BRACKETS = re.compile(r"[(\[【].*?[)\]】]")


def header_key(text: str) -> str:
    """A header as compared: full-width folded, spaces, required marks and a bracketed unit gone."""
    s = unicodedata.normalize("NFKC", text)
    s = _BRACKETS.sub("", s)
    return re.sub(r"[\s*:：]", "", s)


_HEADERS = {header_key(name): name for name in COLUMNS} | {
    header_key(v): name for name, variants in _VARIANTS.items() for v in variants}

_GENDERS = {g: g for g in GENDERS} | {"男性": "男", "女性": "女"}
_STANDINGS = {s.label: s for s in Standing} | {"正式": Standing.FULL, "预备": Standing.PROBATIONARY}
_DUES = {c.label: c for c in DuesCategory} | {"退休": DuesCategory.RETIRED, "离休": DuesCategory.RETIRED}
_EDUCATION = {e: e for e in EDUCATION_LEVELS} | {
    "本科": "大学本科", "大学": "大学本科", "大专": "大学专科", "专科": "大学专科", "硕士": "研究生",
    "博士": "研究生", "硕士研究生": "研究生", "博士研究生": "研究生", "初中": "初中及以下", "小学": "初中及以下"}
# Excel's 1900 date system, as its serial numbers count days.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_LAST_SERIAL = 2958465  # 9999-12-31
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_SCIENTIFIC_REASON = "已被 Excel 转为科学计数法，请将该列设为文本后重新填写"
_CJK_SPACED = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


@dataclass(frozen=True)
class ImportProblem:
    row: int  # 1-based spreadsheet row
    column: str  # the column's name as in design.md §6 ("" for the whole file)
    value: str  # the cell as shown
    reason: str

    def __str__(self) -> str:
        where = f"第{self.row}行 {self.column}“{self.value}”" if self.column else f"第{self.row}行"
        return f"{where}：{self.reason}"


@dataclass
class MemberRow:
    row: int
    data: MemberData  # defaults stand in for absent columns and for cells in `problems`
    shown: dict[str, str]  # each given field's cell as shown
    problems: list[ImportProblem] = field(default_factory=list)


@dataclass(frozen=True)
class MemberSheet:
    file: str
    given: frozenset[str]  # the fields whose column the file has
    rows: list[MemberRow]
    problems: list[ImportProblem]  # the header's: when any, `rows` is empty


def shown(value: object) -> str:
    """A cell as Excel shows it (numbers without a trailing .0, large ones in E notation)."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value).upper()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value).strip()


def match_headers(table: Table) -> tuple[dict[str, int], list[ImportProblem]]:
    """Each known field's column index, and the header's problems (missing or repeated columns)."""
    found: dict[str, int] = {}
    problems: list[ImportProblem] = []
    for index, text in enumerate(table.headers):
        name = _HEADERS.get(header_key(text))
        if name is None:
            continue
        if COLUMNS[name] in found:
            first = table.headers[found[COLUMNS[name]]]
            problems.append(ImportProblem(table.header_row, name, text,
                                          f"与列“{first}”重复，请只保留一列"))
        else:
            found[COLUMNS[name]] = index
    missing = [name for name in REQUIRED if COLUMNS[name] not in found]
    if missing:
        problems.insert(0, ImportProblem(table.header_row, "", "",
                                         f"缺少必需的列：{'、'.join(missing)}（请检查表头，可下载导入模板对照）"))
    return found, problems


def parse_members(table: Table, groups: Mapping[str, int]) -> MemberSheet:
    """Each row as MemberData plus the cells that could not be read; `groups` are the branch's 党小组
    by name."""
    columns, problems = match_headers(table)
    if problems:
        return MemberSheet(table.file, frozenset(columns), [], problems)
    parsers = _parsers(groups)
    rows: list[MemberRow] = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        values: dict[str, object] = {}
        row = MemberRow(number, _blank_data(), {})
        for name, index in columns.items():
            raw = cells[index] if index < len(cells) else None
            row.shown[name] = shown(raw)
            try:
                values[name] = parsers[name](raw)
            except ValueError as exc:
                row.problems.append(ImportProblem(number, LABELS[name], row.shown[name], str(exc)))
        if values.get("note") == EXAMPLE_NOTE:
            continue
        for name, value in values.items():
            setattr(row.data, name, value)
        rows.append(row)
    return MemberSheet(table.file, frozenset(columns), rows, [])


def _blank_data() -> MemberData:
    return MemberData(name="", gender="", birth_date=None, standing=Standing.FULL, joined_on=None,
                      education="")


# Cell parsers shared with the other sheets (imports/dues.py): each raises ValueError with the reason.

def parse_name(value: object) -> str:
    # Two-character names are often padded to line up with three-character ones: "张  三".
    return _CJK_SPACED.sub("", shown(value))


def choice_parser(choices: Mapping[str, object], blank: object = None) -> Callable[[object], object]:
    """A parser of an enumerated column; a blank cell gives `blank`, or is a problem when None."""
    listed = "、".join(dict.fromkeys(str(getattr(v, "label", v)) for v in choices.values()))

    def parse(value: object) -> object:
        key = re.sub(r"\s", "", unicodedata.normalize("NFKC", shown(value)))
        if not key:
            if blank is None:
                raise ValueError(f"不能为空（可选：{listed}）")
            return blank
        if key not in choices:
            raise ValueError(f"不是可选的值（可选：{listed}）")
        return choices[key]

    return parse


def _date(value: object) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 99991231:
            return _date(str(int(value)))
        if 1 <= value <= _LAST_SERIAL:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise ValueError("不是有效的日期")
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        text = re.sub(r"\s+0{1,2}:00(:00)?$", "", text)  # a date cell saved as text with its time
        try:
            return parse_date(text)
        except ValueError:
            raise ValueError("无法识别的日期，请写成 2024-05-01、2024/5/1 或 2024年5月1日") from None
    raise ValueError("不是日期")


def parse_id_number(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value >= 1e15:
            raise ValueError(_SCIENTIFIC_REASON)
        return shown(value)
    text = shown(value)
    if _SCIENTIFIC.match(text):
        raise ValueError(_SCIENTIFIC_REASON)
    return idnumber.normalize(unicodedata.normalize("NFKC", text))


def parse_fen(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool):
        fen = round(value * 100)
        if value < 0:
            raise ValueError("不能为负数")
        if abs(value * 100 - fen) > 1e-6:
            raise ValueError("金额最多两位小数")
        return fen
    text = unicodedata.normalize("NFKC", shown(value)).removesuffix("元").strip()
    try:
        return yuan_to_fen(text)
    except ValueError:
        raise ValueError("不是有效的金额（以元为单位，如 5100 或 76.50）") from None


def _parsers(groups: Mapping[str, int]) -> dict[str, Callable[[object], object]]:
    def group(value: object) -> int | None:
        text = shown(value)
        if not text:
            return None
        if text not in groups:
            known = "、".join(groups) or "无"
            raise ValueError(f"不是本支部的党小组（本支部的党小组：{known}）")
        return groups[text]

    def ethnicity(value: object) -> str:
        return shown(value) or "汉族"

    return {
        "name": parse_name, "gender": choice_parser(_GENDERS), "ethnicity": ethnicity,
        "birth_date": _date, "id_number": parse_id_number, "education": choice_parser(_EDUCATION, blank=""),
        "standing": choice_parser(_STANDINGS), "joined_on": _date, "full_on": _date,
        "dues_category": choice_parser(_DUES, blank=DuesCategory.EMPLOYED), "dues_base_fen": parse_fen,
        "group_id": group,
        "phone": shown, "note": shown,
    }
