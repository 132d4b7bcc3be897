"""Rows of a yearly dues base sheet (年初核定党费基数): which column is which, and each cell's value.

Columns (header row; variants tolerated as for members): 姓名, 身份证号 (to match the member), 党费类别,
then the base either as a final figure (党费基数 or 税后收入) or from pay items (应发工资, 个税, 扣除),
每月金额 (农民 / 其他; without it their 党费基数 is taken as the monthly amount), 生效月份 and 备注.
Matching rows to members and the dues rules are the services' part (services.dues.import_bases).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from ..domain.dues import CATEGORY_BY_LABEL, parse_month
from .members import ImportProblem, choice_parser, header_key, parse_fen, parse_id_number, parse_name, shown
from .reader import Table

# The columns (as problems name them) and the field of each.
COLUMNS = {
    "姓名": "name", "身份证号": "id_number", "党费类别": "category", "党费基数": "base_fen",
    "税后收入": "after_tax_fen", "应发工资": "gross_fen", "个税": "tax_fen", "扣除": "deductions_fen",
    "每月金额": "fixed_fen", "生效月份": "effective_from", "备注": "note",
}
LABELS = {f: c for c, f in COLUMNS.items()}
_VARIANTS = {
    "姓名": ("名字", "党员姓名"),
    "身份证号": ("身份证号码", "公民身份号码", "公民身份证号码", "身份证", "证件号码"),
    "党费类别": ("缴费类别", "缴纳类别", "类别"),
    "党费基数": ("党费缴纳基数", "缴费基数", "月缴费基数", "基数"),
    "税后收入": ("税后月收入", "月税后收入", "实发工资", "离退休费", "退休金", "养老金"),
    "应发工资": ("应发合计", "工资收入", "月工资"),
    "个税": ("个人所得税", "所得税", "代扣个税"),
    "扣除": ("扣除项", "扣除额", "社保公积金", "五险一金", "个人缴纳社保公积金"),
    "每月金额": ("月交金额", "每月交纳金额", "固定金额", "定额"),
    "生效月份": ("起始月份", "执行月份", "起交月份", "生效时间"),
}
_HEADERS = {header_key(name): name for name in COLUMNS} | {
    header_key(v): name for name, variants in _VARIANTS.items() for v in variants}
_MONEY = ("base_fen", "after_tax_fen", "gross_fen", "tax_fen", "deductions_fen", "fixed_fen")


@dataclass
class BaseRow:
    row: int  # 1-based spreadsheet row
    values: dict[str, object]  # field → value of the cells read (blank money cells are None)
    shown: dict[str, str]  # field → the cell as shown
    problems: list[ImportProblem] = field(default_factory=list)


@dataclass(frozen=True)
class BaseSheet:
    file: str
    given: frozenset[str]
    rows: list[BaseRow]
    problems: list[ImportProblem]  # the header's: when any, `rows` is empty

    def label(self, name: str) -> str:
        """The column a field's problem names (the base may come as 税后收入)."""
        if name == "base_fen" and "after_tax_fen" in self.given:
            return LABELS["after_tax_fen"]
        return LABELS.get(name, name)


def _money(value: object) -> int | None:
    return None if value is None or not shown(value) else parse_fen(value)


def _month(value: object) -> str | None:
    if value is None:
        return None
    if hasattr(value, "year") and hasattr(value, "month"):  # a date cell: its month
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value))  # 202603
    return parse_month(unicodedata.normalize("NFKC", shown(value)))


def _parsers() -> dict[str, Callable[[object], object]]:
    categories = dict(CATEGORY_BY_LABEL)
    return {"name": parse_name, "id_number": parse_id_number, "category": choice_parser(categories, blank=""),
            "effective_from": _month, "note": shown} | dict.fromkeys(_MONEY, _money)


def match_headers(table: Table) -> tuple[dict[str, int], list[ImportProblem]]:
    found: dict[str, int] = {}
    problems: list[ImportProblem] = []
    for index, text in enumerate(table.headers):
        name = _HEADERS.get(header_key(text))
        if name is None:
            continue
        if COLUMNS[name] in found:
            first = table.headers[found[COLUMNS[name]]]
            problems.append(ImportProblem(table.header_row, name, text, f"与列“{first}”重复，请只保留一列"))
        else:
            found[COLUMNS[name]] = index
    if "name" not in found:
        problems.insert(0, ImportProblem(table.header_row, "", "", "缺少必需的列：姓名"))
    elif not {"base_fen", "after_tax_fen", "gross_fen", "fixed_fen", "category"} & set(found):
        problems.insert(0, ImportProblem(table.header_row, "", "", "缺少党费基数：请有“党费基数”（或“税后收入”）列，"
                                                                "或“应发工资”“个税”“扣除”列"))
    if "base_fen" in found and "after_tax_fen" in found:
        problems.append(ImportProblem(table.header_row, "税后收入", table.headers[found["after_tax_fen"]],
                                      "与“党费基数”列只能有一列"))
    return found, problems


def parse_bases(table: Table) -> BaseSheet:
    """Each row's values and the cells that could not be read."""
    columns, problems = match_headers(table)
    if problems:
        return BaseSheet(table.file, frozenset(columns), [], problems)
    parsers = _parsers()
    rows: list[BaseRow] = []
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        row = BaseRow(number, {}, {})
        for name, index in columns.items():
            raw = cells[index] if index < len(cells) else None
            row.shown[name] = shown(raw)
            try:
                row.values[name] = parsers[name](raw)
            except ValueError as exc:
                row.problems.append(ImportProblem(number, LABELS[name], row.shown[name], str(exc)))
        if "after_tax_fen" in row.values:
            row.values["base_fen"] = row.values.pop("after_tax_fen")
            row.shown["base_fen"] = row.shown.pop("after_tax_fen")
        rows.append(row)
    return BaseSheet(table.file, frozenset(columns), rows, [])

