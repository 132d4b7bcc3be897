"""The member import template (design.md §6): the header row in order, dropdowns for the
enumerated columns, an example row (skipped on import), ID and phone columns as text, and a
填写说明 sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..domain.members import EDUCATION_LEVELS, GENDERS, DuesCategory, Standing
from ..imports.members import COLUMNS, EXAMPLE_NOTE, REQUIRED
from .sheet import FONT_NAME, text_width

SHEET = "党员信息"
HELP_SHEET = "填写说明"
# Rows the dropdowns and text formats cover (a branch has tens of members; a committee hundreds).
LAST_ROW = 2000
HEADERS = {name: "党费基数（元/月）" if name == "党费基数" else name for name in COLUMNS}
CHOICES = {
    "性别": GENDERS,
    "学历": EDUCATION_LEVELS,
    "人员类别": tuple(s.label for s in Standing),
    "党费类别": tuple(c.label for c in DuesCategory),
}
TEXT_COLUMNS = ("身份证号", "联系电话")
EXAMPLE = {
    "姓名": "张三", "性别": "男", "民族": "汉族", "出生日期": "1985-03-04", "身份证号": "110105198503040012",
    "学历": "大学本科", "人员类别": "正式党员", "入党日期": "2008-06-01", "转正日期": "2009-06-01",
    "党费类别": "在职", "党费基数": 5100, "所在党小组": "", "联系电话": "13800138000", "备注": EXAMPLE_NOTE,
}
_HELP = (
    "1. 第一行为表头，请勿修改列名、顺序或合并单元格；不需要的非必填列可以删除。",
    f"2. 必填列：{'、'.join(REQUIRED)}；正式党员还须填写转正日期，预备党员不填转正日期。",
    "3. 日期可写成 2024-05-01、2024/5/1、2024.5.1、2024年5月1日 或 20240501，也可以是 Excel 日期。",
    "4. 身份证号、联系电话两列已设为文本格式；如从其他表格粘贴，请用“选择性粘贴—值”，"
    "以免身份证号被 Excel 转为科学计数法（如 1.1010519491231E+17），后三位会丢失。",
    f"5. 性别、学历、人员类别、党费类别请从下拉列表中选择；党费类别：{'、'.join(CHOICES['党费类别'])}。",
    "6. 党费基数以元为单位（月收入或离退休费），可带两位小数；学生、农民等可不填。",
    "7. 所在党小组须与本支部已建立的党小组名称一致，可不填。",
    f"8. 第二行为示例，其备注为“{EXAMPLE_NOTE}”，导入时会自动跳过，也可以直接删除或覆盖。",
    "9. 已登记的党员（身份证号相同，或无身份证号时姓名和出生日期相同）再次导入时只更新有变化的项，不会重复登记。",
)


def write_member_template(out: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    bold = Font(name=FONT_NAME, size=11, bold=True)
    fill = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
    example_font = Font(name=FONT_NAME, size=11, italic=True, color="808080")
    ws.append(list(HEADERS.values()))
    ws.append([EXAMPLE[name] for name in COLUMNS])
    for col, name in enumerate(COLUMNS, 1):
        letter = get_column_letter(col)
        header = ws.cell(1, col)
        header.font, header.fill = bold, fill
        header.alignment = Alignment(horizontal="center", vertical="center")
        ws.cell(2, col).font = example_font
        width = max(text_width(HEADERS[name]), text_width(str(EXAMPLE[name])))
        ws.column_dimensions[letter].width = min(width + 4, 40)
        if name in TEXT_COLUMNS:
            ws.column_dimensions[letter].number_format = "@"
            for row in range(2, LAST_ROW + 1):
                ws.cell(row, col).number_format = "@"
        if name in CHOICES:
            rule = DataValidation(type="list", formula1='"' + ",".join(CHOICES[name]) + '"', allow_blank=True,
                                  showErrorMessage=True, errorTitle="请从列表中选择",
                                  error=f"{name}只能是：{'、'.join(CHOICES[name])}")
            rule.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.add_data_validation(rule)
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.column_dimensions["A"].width = 110
    help_ws.append(["党员信息导入模板填写说明"])
    help_ws["A1"].font = Font(name=FONT_NAME, size=14, bold=True)
    for line in _HELP:
        help_ws.append([line])
        help_ws.cell(help_ws.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        help_ws.cell(help_ws.max_row, 1).font = Font(name=FONT_NAME, size=11)
    wb.save(out)
    return out
