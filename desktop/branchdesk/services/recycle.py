"""The recycle bin: deleted records wait here, with the rows that went with them, until restored
or purged (design.md §9).

A kind of record is its table and the tables whose rows depend on it (a member's history,
transfers, commendations, ratings, study output); deleting moves all of them, as they were, into
one bin entry in the deleting transaction. Restoring puts them back with their ids (a new id only
when the old one has been taken since) and their uids, or refuses, changing nothing, when that
would clash with what the database holds now. Files attached to the rows stay on disk until the
entry is purged. A later area plugs in by adding its `Kind` (an activity with its attendance).
"""

from __future__ import annotations

import importlib
import json
import sqlite3
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from ..store import attachments
from ..store import members as member_store
from ..store import organizations as org_store
from ..store import recycle as q
from ..store.database import Database
from . import audit
from .errors import ServiceError

PAYLOAD_VERSION = 1


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    table: str
    # (table, column holding the record's id): rows deleted and restored with it, in this order.
    dependents: tuple[tuple[str, str], ...] = ()


KINDS = {k.name: k for k in (
    Kind("member", "党员", "members", (("member_events", "member_id"), ("transfers", "member_id"),
                                        ("commendations", "member_id"), ("evaluations", "member_id"),
                                        ("study_outputs", "member_id"), ("attendance", "member_id"),
                                        ("dues_bases", "member_id"), ("dues_payments", "member_id"),
                                        ("dues_months", "member_id"))),
    Kind("commendation", "表彰", "commendations"),
    Kind("study_output", "学习成果", "study_outputs"),
    Kind("committee_seat", "委员会任职", "committee_members"),
    Kind("dues_base", "党费基数", "dues_bases"),
    Kind("dues_payment", "党费交纳", "dues_payments", (("dues_months", "payment_id"),)),
    Kind("remittance", "党费上缴", "dues_remittances"),
    Kind("activity", "会议活动", "activities", (("attendance", "activity_id"),
                                               ("activity_attachments", "activity_id"))),
    Kind("organization", "党组织", "organizations", (("commendations", "org_id"),
                                                  ("committee_members", "org_id"),
                                                  ("dues_remittances", "org_id"))),
)}
# Kinds whose restore brings other data back in step: kind → (services module, function(db, tables)),
# imported when used (those modules import this one).
AFTER_RESTORE = {"dues_base": ("dues", "base_restored")}
# Columns naming a file in the attachments folder: removed when the entry is purged.
ATTACHMENT_COLUMNS = {"commendations": "attachment", "activity_attachments": "file_name"}
# What the bin's list calls the dependent rows.
_ROW_LABELS = {"member_events": "历史记录", "transfers": "转接记录", "commendations": "表彰",
               "evaluations": "评议结果", "study_outputs": "学习成果", "committee_members": "任职记录",
               "attendance": "出席记录", "activity_attachments": "附件"}


@dataclass(frozen=True)
class BinEntry:
    id: int
    deleted_at: str
    os_user: str
    kind: str
    label: str
    counts: dict[str, int]  # dependent rows by table

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind].label if self.kind in KINDS else self.kind

    @property
    def contents(self) -> str:
        """"历史记录 3 条、表彰 1 条": what comes back with the record."""
        return "、".join(f"{_ROW_LABELS.get(t, audit.TABLE_LABELS.get(t, t))} {n} 条"
                        for t, n in self.counts.items() if n)


def move_to_bin(db: Database, kind: str, row_id: int, label: str) -> int:
    """Move the record and its dependent rows into a new bin entry; call inside the deleting
    transaction. The entry's id."""
    k = KINDS[kind]
    root = q.rows_where(db, k.table, "id", [row_id])
    if not root:
        raise ServiceError(f"找不到要删除的{k.label}记录（编号 {row_id}）")
    tables: dict[str, list[dict[str, Any]]] = {k.table: root}
    for table, column in k.dependents:
        tables.setdefault(table, []).extend(q.rows_where(db, table, column, [row_id]))
    for table in reversed(tables):
        ids = [r["id"] for r in tables[table]]
        if ids:
            q.delete_rows(db, table, ids)
    uid = root[0].get("uid") or ""
    payload = json.dumps({"version": PAYLOAD_VERSION, "tables": tables}, ensure_ascii=False)
    entry_id = q.add_entry(db, audit.os_user(), kind, uid, label, payload)
    audit.record(db, audit.DELETE, k.table, label=label, fields=["移入回收站"], uid=uid)
    return entry_id


def _entry(r: tuple) -> BinEntry:
    tables = json.loads(r[6]).get("tables", {})
    kind = KINDS.get(r[3])
    counts = {t: len(rows) for t, rows in tables.items() if kind is None or t != kind.table}
    return BinEntry(r[0], r[1], r[2], r[3], r[5], counts)


def entries(db: Database) -> list[BinEntry]:
    """What the bin holds, latest deletion first."""
    return [_entry(r) for r in q.entries(db)]


def _get(db: Database, entry_id: int) -> tuple:
    r = q.entry(db, entry_id)
    if r is None:
        raise ServiceError(f"回收站中找不到编号为 {entry_id} 的记录（可能已恢复或已清除）")
    return r


def restore(db: Database, entry_id: int) -> str:
    """Put the entry's rows back (one transaction) and take it out of the bin; its label.

    Refused, changing nothing, when a row is back already (a handover package brought it), its
    organization or member is gone, or it clashes with a row added since (an ID number now
    recorded for someone else, an organization of the same name, a post now held by another).
    """
    with db.atomic():
        r = _get(db, entry_id)
        label = r[5]
        tables: dict[str, list[dict[str, Any]]] = json.loads(r[6])["tables"]
        moved: dict[tuple[str, int], int] = {}  # (table, old id) → new id, for ids taken since
        for table, rows in tables.items():
            present = set(q.columns(db, table))
            keys = q.foreign_keys(db, table)
            for row in rows:
                row = {c: v for c, v in row.items() if c in present}
                _check_clash(db, label, table, row)
                for column, parent, on_delete in keys:
                    value = row.get(column)
                    if value is None:
                        continue
                    if (parent, value) in moved:
                        row[column] = moved[(parent, value)]
                    elif not q.exists(db, parent, "id", value):
                        if on_delete.upper() == "SET NULL":
                            row[column] = None
                        else:
                            raise ServiceError(f"不能恢复“{label}”：其所属的{audit.TABLE_LABELS.get(parent, parent)}"
                                               "已不存在（已删除的可先从回收站恢复）")
                if q.exists(db, table, "id", row["id"]):
                    moved[(table, row["id"])] = row["id"] = q.next_id(db, table)
                try:
                    q.insert_row(db, table, row)
                except sqlite3.IntegrityError as exc:
                    raise ServiceError(f"不能恢复“{label}”：与现有记录冲突（{exc}）") from exc
        if r[3] in AFTER_RESTORE:
            module, function = AFTER_RESTORE[r[3]]
            getattr(importlib.import_module(f".{module}", __package__), function)(db, tables)
        q.remove_entry(db, entry_id)
        audit.record(db, audit.RESTORE, KINDS[r[3]].table if r[3] in KINDS else r[3], label=label,
                     fields=["从回收站恢复"], uid=r[4])
    return label


def _check_clash(db: Database, label: str, table: str, row: dict[str, Any]) -> None:
    what = audit.TABLE_LABELS.get(table, table)
    if row.get("uid") and q.exists(db, table, "uid", row["uid"]):
        raise ServiceError(f"不能恢复“{label}”：当前数据中已有这条{what}记录（可能已由交接包重新导入）")
    if table == "members" and row.get("id_number"):
        holder = member_store.holder_of_id_number(db, row["id_number"])
        if holder:
            raise ServiceError(f"不能恢复“{label}”：其身份证号已登记在党员“{holder}”名下")
    if table == "organizations" and org_store.sibling_named(db, row.get("parent_id"), row["name"]):
        raise ServiceError(f"不能恢复“{label}”：同一上级下已有名为“{row['name']}”的组织")
    if table == "committee_members" and row.get("role") != "member":
        holder = org_store.overlapping_role(db, row["org_id"], row["role"], row["term_start"],
                                            row["term_end"], None)
        if holder:
            raise ServiceError(f"不能恢复“{label}”：该任期内此职务已由{holder}担任")


def _files(payload: str) -> list[str]:
    tables = json.loads(payload).get("tables", {})
    return [row[column] for table, column in ATTACHMENT_COLUMNS.items()
            for row in tables.get(table, []) if row.get(column)]


def purge(db: Database, entry_id: int) -> str:
    """Remove the entry for good, and the files attached to its rows; its label."""
    with db.atomic():
        r = _get(db, entry_id)
        q.remove_entry(db, entry_id)
        audit.record(db, audit.PURGE, KINDS[r[3]].table if r[3] in KINDS else r[3], label=r[5], uid=r[4])
    _discard(db, _files(r[6]))
    return r[5]


def purge_all(db: Database) -> int:
    """Empty the bin (one transaction); how many entries were removed."""
    with db.atomic():
        found = q.entries(db)
        for r in found:
            q.remove_entry(db, r[0])
            audit.record(db, audit.PURGE, KINDS[r[3]].table if r[3] in KINDS else r[3], label=r[5], uid=r[4])
    _discard(db, [f for r in found for f in _files(r[6])])
    return len(found)


def _discard(db: Database, files: list[str]) -> None:
    """Remove files no record refers to; one that cannot be removed now (open in a viewer on
    Windows) is left behind rather than failing a purge already committed."""
    for relative in files:
        if any(q.exists(db, table, column, relative) for table, column in ATTACHMENT_COLUMNS.items()):
            continue
        with suppress(OSError):
            attachments.discard(db, relative)
