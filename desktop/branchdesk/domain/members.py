"""Party members (党员): their enumerations and the rules a record must satisfy."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from . import idnumber
from .dates import add_months
from .fields import FieldError


class Standing(StrEnum):
    FULL = "full"
    PROBATIONARY = "probationary"

    @property
    def label(self) -> str:
        return {"full": "正式党员", "probationary": "预备党员"}[self.value]


class Status(StrEnum):
    NORMAL = "normal"
    MOBILE = "mobile"
    LOST = "lost"
    TRANSFERRED_OUT = "transferred_out"
    DECEASED = "deceased"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def active(self) -> bool:
        """Still on the branch's roll (counted, expected at meetings, owing dues)."""
        return self in (Status.NORMAL, Status.MOBILE, Status.LOST)


_STATUS_LABELS = {
    Status.NORMAL: "正常",
    Status.MOBILE: "流动",
    Status.LOST: "失联",
    Status.TRANSFERRED_OUT: "转出",
    Status.DECEASED: "去世",
}


class DuesCategory(StrEnum):
    EMPLOYED = "employed"
    RETIRED = "retired"
    STUDENT = "student"
    FARMER = "farmer"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _DUES_LABELS[self]


_DUES_LABELS = {
    DuesCategory.EMPLOYED: "在职",
    DuesCategory.RETIRED: "离退休",
    DuesCategory.STUDENT: "学生",
    DuesCategory.FARMER: "农民",
    DuesCategory.OTHER: "其他",
}

GENDERS = ("男", "女")
EDUCATION_LEVELS = ("研究生", "大学本科", "大学专科", "中专", "高中", "初中及以下")

# 中国共产党发展党员工作细则 art. 32: probation lasts one year from the 支部大会 vote admitting
# the member, and may be extended once by 6 to 12 months.
PROBATION_MONTHS = 12
EXTENSION_MONTHS = range(6, 13)
# design.md §4: the Home page lists members due for conversion within 30 days.
CONVERSION_NOTICE_DAYS = 30

_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")


@dataclass
class MemberData:
    """What a user enters for a member; `validate` says what is wrong with it."""

    name: str
    gender: str
    birth_date: dt.date | None
    standing: Standing
    joined_on: dt.date | None
    ethnicity: str = "汉族"
    id_number: str = ""
    education: str = ""
    full_on: dt.date | None = None
    dues_category: DuesCategory = DuesCategory.EMPLOYED
    dues_base_fen: int = 0
    group_id: int | None = None
    phone: str = ""
    note: str = ""
    probation_extension_months: int = 0


def validate(data: MemberData, today: dt.date | None = None) -> list[FieldError]:
    """Every problem with `data`, in the order of the form's fields."""
    today = today or dt.date.today()
    errors: list[FieldError] = []

    def need(field: str, ok: bool, message: str) -> None:
        if not ok:
            errors.append(FieldError(field, message))

    need("name", bool(data.name.strip()), "不能为空")
    need("name", len(data.name.strip()) <= 30, "不能超过30个字")
    need("gender", data.gender in GENDERS, "请选择男或女")
    need("birth_date", data.birth_date is not None, "不能为空")
    if data.birth_date:
        need("birth_date", data.birth_date <= today, "不能晚于今天")
    if data.id_number:
        why = idnumber.problem(data.id_number, data.birth_date, today)
        need("id_number", why is None, why or "")
        if why is None and data.gender in GENDERS:
            need("id_number", idnumber.gender(data.id_number) == data.gender,
                 f"号码第17位表示{idnumber.gender(data.id_number)}性，与性别不一致")
    need("joined_on", data.joined_on is not None, "不能为空")
    if data.joined_on:
        need("joined_on", data.joined_on <= today, "不能晚于今天")
        if data.birth_date:
            need("joined_on", data.joined_on > data.birth_date, "应晚于出生日期")
    if data.standing is Standing.FULL:
        need("full_on", data.full_on is not None, "正式党员须填写转正日期")
    elif data.full_on is not None:
        errors.append(FieldError("full_on", "预备党员不应有转正日期"))
    if data.full_on:
        need("full_on", data.full_on <= today, "不能晚于今天")
        if data.joined_on:
            need("full_on", data.full_on > data.joined_on, "应晚于入党日期")
    ext = data.probation_extension_months
    need("probation_extension_months", ext == 0 or ext in EXTENSION_MONTHS,
         "预备期只能延长一次，为6至12个月")
    need("dues_base_fen", data.dues_base_fen >= 0, "不能为负数")
    if data.phone:
        need("phone", bool(_PHONE.match(data.phone)), "只能包含数字和 + - ( )，5至20位")
    return errors


def probation_end(joined_on: dt.date, extension_months: int = 0) -> dt.date:
    """The day a probationary member becomes due for conversion (转正)."""
    return add_months(joined_on, PROBATION_MONTHS + extension_months)


def conversion_due_soon(joined_on: dt.date, extension_months: int, today: dt.date,
                        notice_days: int = CONVERSION_NOTICE_DAYS) -> bool:
    """Due within `notice_days`, or already overdue (a conversion is never silently missed)."""
    return (probation_end(joined_on, extension_months) - today).days <= notice_days


def conversion_problem(joined_on: dt.date, on: dt.date, today: dt.date) -> str | None:
    """Why a conversion dated `on` cannot be recorded, or None."""
    if on <= joined_on:
        return "转正日期应晚于入党日期"
    if on > today:
        return "转正日期不能晚于今天"
    return None


def yuan_to_fen(text: str) -> int:
    """'5100', '5,100.5' or '76.50' (元) → integer fen; ValueError when it is not an amount."""
    s = text.strip().replace(",", "").replace("，", "")
    m = re.fullmatch(r"(\d+)(?:\.(\d{1,2}))?", s)
    if not m:
        raise ValueError(f"不是有效的金额：{text}")
    return int(m.group(1)) * 100 + int((m.group(2) or "0").ljust(2, "0"))


def fen_to_yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"
