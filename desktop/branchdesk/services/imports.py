"""Importing members from a spreadsheet (issue 7, design.md §6 and §9): a preview of what would be
added, updated or left alone and every problem by row and column, then one transaction that
writes the chosen rows or nothing."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..domain import members as rules
from ..domain.fields import FIELD_LABELS
from ..domain.members import MemberData, fen_to_yuan
from ..imports.members import COLUMNS, LABELS, ImportProblem, MemberRow, parse_members
from ..imports.reader import UnreadableFile, read_table
from ..store import bulk
from ..store import members as q
from ..store.database import Database
from . import audit, members, organizations
from .errors import ImportFileError, ServiceError
from .exports import replace_file

__all__ = ["ImportProblem", "ImportRow", "MemberImportPreview", "apply_member_import",
           "preview_member_import", "write_member_template", "write_problem_report"]

IMPORTED = "由表格导入"
_FIELDS = list(COLUMNS.values())
_ORDER = {label: i for i, label in enumerate(COLUMNS)}


@dataclass(frozen=True)
class ImportRow:
    row: int  # 1-based spreadsheet row
    data: MemberData  # what the member will be (for an update: the stored record with the file's changes)
    member_id: int | None = None  # the stored member it matches
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (column, old, new) of an update


@dataclass(frozen=True)
class MemberImportPreview:
    file: str
    org_id: int
    org_name: str
    rows_read: int
    new: list[ImportRow]
    updates: list[ImportRow]
    present: list[ImportRow]  # already recorded exactly so (已存在)
    problems: list[ImportProblem]  # by row, then column; a row with any is in none of the lists

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems})


def preview_member_import(db: Database, org_id: int, path: Path,
                          today: dt.date | None = None) -> MemberImportPreview:
    """Read `path` and sort its rows against `org_id`'s roll; nothing is written.

    A row matches a stored member by ID number, else by name and birth date (within the branch;
    an ID number recorded in another organization is a problem). Columns the file lacks keep the
    stored values, and a blank ID number never clears a stored one.
    ImportFileError when the file cannot be read at all.
    """
    today = today or dt.date.today()
    try:
        table = read_table(Path(path))
    except UnreadableFile as exc:
        raise ImportFileError(str(exc)) from exc
    with db.snapshot():
        org = organizations.get(db, org_id)
        if not org.holds_members:
            raise ServiceError(f"“{org.name}”是{org.kind.label}，不能直接登记党员，请选择其所在的党支部")
        groups = {g.name: g.id for g in organizations.groups_of(db, org_id)}
        roll = members.list_members(db, org_id)
        holders = q.id_number_holders(db)
        org_names = q.organization_names(db)
    sheet = parse_members(table, groups)
    preview = MemberImportPreview(sheet.file, org_id, org.name, len(sheet.rows), [], [], [],
                                  list(sheet.problems))
    by_id = {m.data.id_number: m for m in roll if m.data.id_number}
    by_person = {(m.data.name, m.data.birth_date): m for m in roll}
    group_names = {v: k for k, v in groups.items()}
    _mark_duplicates(sheet.rows)
    for row in sheet.rows:
        d = row.data
        stored = by_id.get(d.id_number) if d.id_number else by_person.get((d.name, d.birth_date))
        data = _merged(stored.data, d, sheet.given) if stored else d
        _check(row, data, today, stored.id if stored else None, holders, org_id, org_names)
        if row.problems:
            preview.problems.extend(row.problems)
        elif stored is None:
            preview.new.append(ImportRow(row.row, data))
        else:
            changes = _changes(stored.data, data, group_names)
            target = preview.updates if changes else preview.present
            target.append(ImportRow(row.row, data, stored.id, changes))
    preview.problems.sort(key=lambda p: (p.row, _ORDER.get(p.column, -1)))
    return preview


def _key(data: MemberData) -> tuple:
    return ("id", data.id_number) if data.id_number else ("person", data.name, data.birth_date)


def _mark_duplicates(rows: list[MemberRow]) -> None:
    """Rows naming the same person twice (same ID number, else same name and birth date): which
    one is right is for the user to say, so each of them is a problem."""
    seen: dict[tuple, list[MemberRow]] = defaultdict(list)
    for row in rows:
        if row.data.name and (row.data.id_number or row.data.birth_date):
            seen[_key(row.data)].append(row)
    for same in seen.values():
        for row in same if len(same) > 1 else ():
            numbers = [str(r.row) for r in same if r is not row]
            others = "、".join(numbers[:5]) + (f"等{len(numbers)}" if len(numbers) > 5 else "")
            by_id = bool(row.data.id_number)
            column = "身份证号" if by_id else "姓名"
            why = "身份证号相同" if by_id else "姓名和出生日期相同"
            row.problems.append(ImportProblem(row.row, column, row.shown[COLUMNS[column]],
                                              f"与第{others}行重复（{why}）"))


def _merged(stored: MemberData, row: MemberData, given: frozenset[str]) -> MemberData:
    """The stored record with the file's columns over it."""
    values = {f: getattr(row, f) for f in given}
    if not row.id_number:
        values.pop("id_number", None)
    return replace(stored, **values)


def _check(row: MemberRow, data: MemberData, today: dt.date, member_id: int | None,
           holders: dict[str, tuple[int, int, str]], org_id: int, org_names: dict[int, str]) -> None:
    """Add the record rules' problems, but none for a cell already reported as unreadable."""
    unreadable = {p.column for p in row.problems}
    if "人员类别" in unreadable:  # whether a 转正日期 belongs depends on it
        unreadable.add("转正日期")
    for error in rules.validate(data, today):
        label = FIELD_LABELS[error.field]
        if label not in unreadable:
            row.problems.append(ImportProblem(row.row, label, row.shown.get(error.field, ""), error.message))
            unreadable.add(label)
    holder = holders.get(data.id_number) if data.id_number else None
    if holder and holder[0] != member_id and "身份证号" not in unreadable:
        where = "本支部" if holder[1] == org_id else f"“{org_names.get(holder[1], '')}”"
        row.problems.append(ImportProblem(row.row, "身份证号", row.shown.get("id_number", ""),
                                          f"该号码已登记在{where}的党员“{holder[2]}”名下"))


def _display(field: str, value: object, group_names: dict[int, str]) -> str:
    if value is None or value == "":
        return ""
    if field == "group_id":
        return group_names.get(value, str(value))  # type: ignore[arg-type]
    if field == "dues_base_fen":
        return fen_to_yuan(value)  # type: ignore[arg-type]
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(getattr(value, "label", value))


def _changes(before: MemberData, after: MemberData,
             group_names: dict[int, str]) -> list[tuple[str, str, str]]:
    return [(LABELS[f], _display(f, getattr(before, f), group_names), _display(f, getattr(after, f), group_names))
            for f in _FIELDS if getattr(before, f) != getattr(after, f)]


def apply_member_import(db: Database, org_id: int, preview: MemberImportPreview,
                        include_updates: bool = True, today: dt.date | None = None) -> tuple[int, int]:
    """Write the preview's new members (and its updates unless `include_updates` is False) in one
    transaction: all of them or, when anything fails, none. Returns (added, updated)."""
    if preview.org_id != org_id:
        raise ServiceError("预览所对应的党组织与导入的党组织不一致，请重新预览")
    on = (today or dt.date.today()).isoformat()
    updates = preview.updates if include_updates else []
    try:
        with db.atomic():
            organizations.get(db, org_id)
            first = q.next_id(db)
            new = [members.stored_values(org_id, r.data) for r in preview.new]
            if new:
                columns = list(new[0])
                bulk.insert_rows(db, "members", ["id", *columns],
                                 [(first + i, *v.values()) for i, v in enumerate(new)])
            events = [(first + i, on, "created", IMPORTED) for i in range(len(new))]
            if updates:
                changed = [members.stored_values(org_id, r.data) for r in updates]
                columns = list(changed[0])
                q.update_many(db, columns, [(*v.values(), r.member_id) for v, r in zip(changed, updates, strict=True)])
                events += [(r.member_id, on, "updated", f"{IMPORTED}修改：" + "、".join(c[0] for c in r.changes))
                           for r in updates]
            bulk.insert_rows(db, "member_events", ("member_id", "on_date", "kind", "detail"), events)
            if new or updates:
                org = organizations.get(db, org_id)
                fields = sorted({c[0] for r in updates for c in r.changes}, key=list(LABELS.values()).index)
                audit.record(db, audit.IMPORT, "members",
                             label=f"导入党员到“{org.name}”：新增 {len(new)} 名，更新 {len(updates)} 名",
                             fields=fields, uid=audit.uid_of(db, "organizations", org_id))
    except sqlite3.IntegrityError as exc:
        raise ServiceError(f"导入未完成，数据未作任何改动：预览之后数据已有变化（{exc}），请重新预览") from exc
    return len(new), len(updates)


def write_problem_report(preview: MemberImportPreview, out: Path, today: dt.date | None = None) -> Path:
    """The preview's problems as an .xlsx sheet (行, 列, 值, 问题), replacing `out` whole."""
    from ..reports import import_problems

    out = Path(out)
    _check_target(out)
    lines = [(p.row, p.column, p.value, p.reason) for p in preview.problems]
    replace_file(out, lambda target: import_problems.write(target, preview.file, preview.org_name, lines,
                                                           today or dt.date.today()))
    return out


def write_member_template(out: Path) -> Path:
    """The blank member import template (design.md §6), replacing `out` whole."""
    from ..reports import member_template

    out = Path(out)
    _check_target(out)
    replace_file(out, member_template.write_member_template)
    return out


def _check_target(out: Path) -> None:
    if out.suffix.lower() != ".xlsx":
        raise ServiceError(f"无法保存到 {out}：文件名应以 .xlsx 结尾")
    if not out.parent.is_dir():
        raise ServiceError(f"无法保存到 {out}：文件夹 {out.parent} 不存在")
