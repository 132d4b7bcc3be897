"""The audit log: who changed what and when (design.md §9).

Every write operation of the services records an entry inside its own transaction: the OS user,
the action, the table and the record's uid, a readable label (a name, a title — never an ID number
or a phone) and the names of the fields changed, never their values.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..store import recycle as q
from ..store.database import Database
from .errors import ServiceError

CREATE, UPDATE, DELETE, RESTORE, PURGE, IMPORT = "新增", "修改", "删除", "恢复", "彻底删除", "导入"
ACTIONS = (CREATE, UPDATE, DELETE, RESTORE, PURGE, IMPORT)

TABLE_LABELS = {
    "organizations": "党组织",
    "members": "党员",
    "member_events": "党员历史",
    "transfers": "组织关系转接",
    "committee_members": "委员会任职",
    "commendations": "表彰",
    "evaluations": "民主评议",
    "study_outputs": "学习成果",
    "activities": "会议活动",
    "attendance": "出席记录",
    "activity_attachments": "活动附件",
    "dues_bases": "党费基数",
    "dues_payments": "党费交纳",
    "dues_months": "党费月份",
    "dues_remittances": "党费上缴",
    "settings": "设置",
    "recycle_bin": "回收站",
    "handover": "交接数据包",
}


@cache
def os_user() -> str:
    """The OS account's name ('' when the system cannot say)."""
    try:
        return getpass.getuser()
    except Exception:  # no user name (no USER variable and no passwd entry)
        return ""


def record(db: Database, action: str, table: str, row_id: int | None = None, label: str = "",
           fields: Iterable[str] = (), uid: str | None = None) -> None:
    """Add an entry; call it inside the operation's transaction. `uid` defaults to the row's."""
    if uid is None and row_id is not None:
        uid = q.uid_of(db, table, row_id)
    q.add_log(db, os_user(), action, table, uid, label, "、".join(fields))


def uid_of(db: Database, table: str, row_id: int) -> str | None:
    return q.uid_of(db, table, row_id)


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    os_user: str
    action: str
    table: str
    record_uid: str | None
    label: str
    fields: str

    @property
    def table_label(self) -> str:
        return TABLE_LABELS.get(self.table, self.table)


def entries(db: Database, first: dt.date | None = None, last: dt.date | None = None,
            action: str | None = None, limit: int | None = None) -> list[Entry]:
    """Entries from day `first` to day `last` (inclusive), of one action if given; latest first."""
    found = q.log(db, first.isoformat() if first else None, last.isoformat() if last else None, action, limit)
    return [Entry(*r) for r in found]


def actions(db: Database) -> list[str]:
    """The actions that occur in the log (for a filter)."""
    present = set(q.log_actions(db))
    return [a for a in ACTIONS if a in present] + sorted(present - set(ACTIONS))


def export(db: Database, out: Path, first: dt.date | None = None, last: dt.date | None = None,
           action: str | None = None, unit: str = "", today: dt.date | None = None) -> int:
    """The entries (filtered as `entries`) as an .xlsx sheet; how many were written."""
    from ..reports import audit_log

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise ServiceError(f"导出文件应为 .xlsx：{out}")
    found = entries(db, first, last, action)
    rows = [(e.at, e.os_user, e.action, e.table_label, e.label, e.fields) for e in found]
    try:
        audit_log.write(out, rows, unit, first, last, today or dt.date.today())
    except OSError as exc:
        raise ServiceError(f"无法写入文件 {out}：{exc.strerror or exc}") from exc
    return len(rows)
