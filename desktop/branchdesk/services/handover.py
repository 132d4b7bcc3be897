"""Handover packages (交接数据包, issue 7): one file holding an organization's data and attachments,
for a successor or a new PC. The format is described in docs/handover-package.md.

A package is a zip: data/<table>.json (rows keyed by stable uid, references as uids),
attachments/<row uid>/<file name> (a commendation's or an activity attachment's file), manifest.json
(format version, app version, source, export time, counts, sha256 of every other member) and
manifest.sha256 (the manifest's own sha256).
Importing matches rows by uid: new ones are added, changed ones updated, none deleted, so importing a
package twice adds nothing. A damaged, tampered or newer-format package is refused before anything is
written, and the import is one transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..domain import idnumber
from ..store import attachments, uids
from ..store import handover as q
from ..store.database import Database
from ..store.schema import SCHEMA_VERSION
from ..store.settings import NOT_HANDED_OVER
from . import audit, organizations
from .errors import ServiceError

FORMAT = "branchdesk-handover"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
SETTINGS = "settings"
# Tables naming a kept file: table → (column, folder of the attachments area it is kept in, column of the
# record whose id prefixes the file's name). services.honours and services.activities keep them there.
ATTACHMENTS = {"commendations": ("attachment", "commendations", "id"),
               "activity_attachments": ("file_name", "activities", "activity_id")}

LABELS = {
    "organizations": "党组织", "members": "党员", "member_events": "党员记事", "transfers": "组织关系转接",
    "committee_members": "委员会任职", "commendations": "表彰", "evaluations": "民主评议",
    "study_outputs": "学习成果", "activities": "会议活动", "attendance": "出席记录",
    "activity_attachments": "活动附件", "dues_bases": "党费基数", "dues_payments": "党费交纳",
    "dues_months": "党费月份", "dues_remittances": "党费上缴", SETTINGS: "设置",
}


def _ref(column: str) -> str:
    """How a reference column travels: `org_id` → `org_uid`."""
    return column.removesuffix("_id") + "_uid"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def _bare_name(relative: str) -> str:
    """A kept attachment's file name without the record-id prefix (`commendations/12-a.pdf` → `a.pdf`)."""
    name = Path(relative).name
    head, sep, rest = name.partition("-")
    return rest if sep and head.isdigit() else name


# ---------------------------------------------------------------- export


def export_package(db: Database, org_id: int, out: Path) -> dict[str, Any]:
    """Write the package of `org_id` and everything under it to `out`; its manifest.

    The zip is written beside `out` and renamed over it, so a failed export leaves no partial file
    and a file already there intact.
    """
    out = Path(out)
    if not out.parent.is_dir():
        raise ServiceError(f"无法写入数据包 {out}：文件夹 {out.parent} 不存在")
    root = organizations.get(db, org_id)
    members: dict[str, bytes] = {}
    missing: list[str] = []
    with db.atomic():
        uids.fill_missing(db)  # rows written by code that gave them no uid
        found = q.subtree_rows(db, org_id)
        uid_by_id = {table: {r[0]: r[names.index("uid")] for r in rows}
                     for table, (names, rows) in found.items()}
        counts: dict[str, int] = {}
        for table, refs in q.TABLES.items():
            names, rows = found[table]
            out_names = ["uid", *(_ref(n) if n in refs else n for n in names if n not in ("id", "uid"))]
            out_rows = []
            for r in rows:
                values = dict(zip(names, r, strict=True))
                row = [values["uid"]]
                for n in names:
                    if n in ("id", "uid"):
                        continue
                    value = values[n]
                    if n in refs and value is not None:
                        target = refs[n]
                        value = uid_by_id[target].get(value) or q.uid_of(db, target, value)
                    if table in ATTACHMENTS and n == ATTACHMENTS[table][0] and value:
                        value = _pack_attachment(db, values["uid"], value, members, missing)
                    row.append(value)
                out_rows.append(row)
            members[f"data/{table}.json"] = _json({"columns": out_names, "rows": out_rows})
            counts[table] = len(out_rows)
        settings = q.all_settings(db)
        members[f"data/{SETTINGS}.json"] = _json({"columns": ["key", "value"], "rows": [list(s) for s in settings]})
        counts[SETTINGS] = len(settings)
        counts["attachments"] = sum(1 for name in members if name.startswith("attachments/"))
        root_uid = q.uid_of(db, "organizations", root.id)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "app_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "source": {"organization": root.name, "organization_uid": root_uid, "kind": root.kind.value},
        "exported_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "counts": counts,
        "missing_attachments": missing,
        "checksums": {name: _sha256(data) for name, data in sorted(members.items())},
    }
    manifest_bytes = _json(manifest)
    partial = out.with_name(f".{out.name}.partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(MANIFEST, manifest_bytes)
            archive.writestr(MANIFEST_SUM, f"{_sha256(manifest_bytes)}  {MANIFEST}\n")
            for name, data in sorted(members.items()):
                archive.writestr(name, data)
        os.replace(partial, out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ServiceError(f"无法写入数据包 {out}：{exc.strerror or exc}") from exc
    return manifest


def _pack_attachment(db: Database, uid: str, relative: str, members: dict[str, bytes],
                     missing: list[str]) -> str:
    try:
        data = attachments.resolve(db, relative).read_bytes()
    except OSError:
        missing.append(relative)
        return ""
    name = f"attachments/{uid}/{_bare_name(relative)}"
    members[name] = data
    return name


# ---------------------------------------------------------------- reading and verifying


@dataclass
class _Package:
    path: Path
    manifest: dict[str, Any]
    members: dict[str, bytes]

    def table(self, table: str) -> tuple[list[str], list[list[Any]]]:
        name = f"data/{table}.json"
        if name not in self.members:
            # Written before the table existed (its checksums, verified by _read, do not list it either):
            # the package holds none of its rows.
            return [], []
        try:
            data = json.loads(self.members[name].decode("utf-8"))
            columns, rows = data["columns"], data["rows"]
            if not (isinstance(columns, list) and isinstance(rows, list)
                    and all(isinstance(r, list) and len(r) == len(columns) for r in rows)):
                raise ValueError
        except (KeyError, ValueError, TypeError) as exc:
            raise ServiceError(f"数据包 {self.path} 已损坏：{name} 不是有效的数据表") from exc
        return columns, rows


def _damaged(path: Path, why: str) -> ServiceError:
    return ServiceError(f"数据包 {path} 已损坏或不是 BranchDesk 交接数据包（{why}），未导入任何内容")


def _tampered(path: Path, what: str) -> ServiceError:
    return ServiceError(f"数据包 {path} 的校验和不符：{what} 在导出后被修改或损坏，未导入任何内容")


def _read(path: Path) -> _Package:
    path = Path(path)
    if not path.is_file():
        raise ServiceError(f"找不到数据包文件 {path}")
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if MANIFEST not in names or MANIFEST_SUM not in names:
                raise _damaged(path, "缺少 manifest.json 清单")
            if len(set(names)) != len(names):
                raise _tampered(path, "有重复的文件")
            members = {name: archive.read(name) for name in names}
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _damaged(path, f"不是完整的 zip 文件：{exc}") from exc
    except OSError as exc:
        raise ServiceError(f"无法读取数据包 {path}：{exc.strerror or exc}") from exc
    try:
        manifest = json.loads(members[MANIFEST].decode("utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError
    except ValueError as exc:
        raise _tampered(path, "清单 manifest.json") from exc
    if manifest.get("format") != FORMAT:
        raise _damaged(path, "清单中的格式不是 branchdesk-handover")
    version = manifest.get("format_version")
    if not isinstance(version, int):
        raise _damaged(path, "清单中没有格式版本")
    if version > FORMAT_VERSION:
        raise ServiceError(
            f"数据包 {path} 由更新版本的 BranchDesk（{manifest.get('app_version', '未知版本')}）导出"
            f"（格式版本 {version}，本程序支持 {FORMAT_VERSION}），请升级程序后再导入，未导入任何内容")
    expected_sum = members[MANIFEST_SUM].decode("utf-8", "replace").split()
    if not expected_sum or expected_sum[0] != _sha256(members[MANIFEST]):
        raise _tampered(path, "清单 manifest.json")
    checksums = manifest.get("checksums")
    if not isinstance(checksums, dict):
        raise _damaged(path, "清单中没有校验和")
    listed = set(checksums) | {MANIFEST, MANIFEST_SUM}
    for name in sorted(listed ^ set(members)):
        raise _tampered(path, f"文件 {name}（{'清单中没有' if name in members else '包中缺少'}）")
    for name, expected in checksums.items():
        if _sha256(members[name]) != expected:
            raise _tampered(path, f"文件 {name}")
    return _Package(path, manifest, members)


def inspect_package(path: Path) -> dict[str, Any]:
    """The package's manifest, once the file is verified (refused as `import_package` would)."""
    return _read(Path(path)).manifest


# ---------------------------------------------------------------- import


def import_package(db: Database, path: Path) -> dict[str, Any]:
    """Bring the package's rows and attachments into `db`: per table, how many were added, updated
    and unchanged. All of it in one transaction, or nothing (with the reason, naming the file)."""
    path = Path(path)
    package = _read(path)
    tables = {table: package.table(table) for table in (*q.TABLES, SETTINGS)}
    counts = {table: {"added": 0, "updated": 0, "unchanged": 0} for table in (*q.TABLES, SETTINGS)}
    settings_kept: list[str] = []
    planned: list[tuple[str, int, int, str, bytes]] = []  # table, row id, name's prefix id, bare file name, bytes
    written: list[Path] = []
    try:
        with db.atomic():
            local_ids = {table: q.ids_by_uid(db, table) for table in q.TABLES}
            for table, refs in q.TABLES.items():
                _merge(db, package, table, refs, tables[table], local_ids, counts[table], planned)
            keys, rows = tables[SETTINGS]
            if keys != ["key", "value"]:
                raise ServiceError(f"数据包 {path} 已损坏：data/{SETTINGS}.json 的列与本程序不符")
            present = dict(q.all_settings(db))
            for key, value in rows:
                if key in NOT_HANDED_OVER:
                    continue
                if key not in present:
                    q.add_setting(db, key, value)
                    counts[SETTINGS]["added"] += 1
                elif present[key] == value:
                    counts[SETTINGS]["unchanged"] += 1
                else:
                    settings_kept.append(key)  # this database's own setting wins
            for table, row_id, prefix_id, name, data in planned:
                column, area, _owner = ATTACHMENTS[table]
                written.append(_keep(db, area, prefix_id, name, data))
                q.update(db, table, row_id, {column: f"{area}/{written[-1].name}"})
            changed = [f"{audit.TABLE_LABELS.get(t, t)}新增{c['added']}、更新{c['updated']}"
                       for t, c in counts.items() if c["added"] or c["updated"]]
            if changed:  # a package imported again changes nothing, and leaves no entry
                source = package.manifest.get("source", {}) or {}
                audit.record(db, audit.IMPORT, "handover",
                             label=f"交接数据包 {path.name}（来自{source.get('organization', '未知')}）",
                             fields=changed, uid="")
    except BaseException:
        for file in written:
            file.unlink(missing_ok=True)
        raise
    return {"file": str(path), "source": package.manifest.get("source", {}),
            "exported_at": package.manifest.get("exported_at"), "counts": counts,
            "attachments": len(written), "settings_kept": settings_kept}


def _merge(db: Database, package: _Package, table: str, refs: dict[str, str],
           data: tuple[list[str], list[list[Any]]], local_ids: dict[str, dict[str, int]],
           counts: dict[str, int], planned: list[tuple[str, int, int, str, bytes]]) -> None:
    columns, rows = data
    if not columns:  # a package from before the table existed
        return
    local_columns = q.columns(db, table)
    expected = ["uid", *(_ref(n) if n in refs else n for n in local_columns if n != "uid")]
    if sorted(columns) != sorted(expected):
        raise ServiceError(f"数据包 {package.path} 已损坏：data/{table}.json 的列与本程序不符")
    names = [n for n in local_columns if n != "uid"]
    for number, row in enumerate(rows, start=1):
        values = dict(zip(columns, row, strict=True))
        uid = values["uid"]
        if not isinstance(uid, str) or not uid:
            raise ServiceError(f"数据包 {package.path} 已损坏：data/{table}.json 第 {number} 行没有 uid")
        label = _label(table, values, number)
        existing = q.row_by_uid(db, table, names, uid)
        resolved: dict[str, Any] = {}
        for n in names:
            if n not in refs:
                resolved[n] = values[n]
                continue
            target_uid = values[_ref(n)]
            if target_uid is None:
                resolved[n] = None
            elif target_uid in local_ids[refs[n]]:
                resolved[n] = local_ids[refs[n]][target_uid]
            elif table == "organizations" and number == 1:
                # The package's top organization: its parent stays behind in the source database.
                # Attached where it already is here, else at the top of the tree.
                resolved[n] = existing[1 + names.index(n)] if existing else None
            else:
                raise ServiceError(f"数据包 {package.path} 已损坏：{label}引用的"
                                   f"{LABELS[refs[n]]}不在包中")
        attachment = None
        file_column = ATTACHMENTS[table][0] if table in ATTACHMENTS else None
        if file_column:
            attachment = resolved.pop(file_column) or ""
        _check_conflicts(db, package.path, table, uid, resolved, label)
        if existing is None:
            row_id = q.insert(db, table, {**resolved, "uid": uid, **({file_column: ""} if file_column else {})})
            local_ids[table][uid] = row_id
            counts["added"] += 1
            changed_file = bool(attachment)
        else:
            row_id = existing[0]
            current = dict(zip(names, existing[1:], strict=True))
            current_attachment = current.pop(file_column, None) if file_column else None
            changed = {n: v for n, v in resolved.items() if current[n] != v}
            changed_file = attachment is not None and not _same_file(db, package, current_attachment, attachment)
            if file_column and not attachment and current_attachment:
                changed[file_column] = ""
            if changed:
                q.update(db, table, row_id, changed)
            counts["updated" if changed or changed_file else "unchanged"] += 1
        if changed_file and attachment:
            if attachment not in package.members:
                raise ServiceError(f"数据包 {package.path} 已损坏：{label}的附件 {attachment} 不在包中")
            owner = row_id if ATTACHMENTS[table][2] == "id" else resolved[ATTACHMENTS[table][2]]
            planned.append((table, row_id, owner, Path(attachment).name, package.members[attachment]))


def _same_file(db: Database, package: _Package, current: str | None, incoming: str) -> bool:
    if not incoming:
        return not current
    if not current or _bare_name(current) != Path(incoming).name:
        return False
    try:
        return _sha256(attachments.resolve(db, current).read_bytes()) == _sha256(package.members[incoming])
    except OSError:
        return False


def _label(table: str, values: dict[str, Any], number: int) -> str:
    name = values.get("name") or values.get("title")
    return f"{LABELS[table]}“{name}”" if table in ("organizations", "members") and name else (
        f"{LABELS[table]}第 {number} 条记录")


def _check_conflicts(db: Database, path: Path, table: str, uid: str, values: dict[str, Any],
                     label: str) -> None:
    """Refuse a row that another row of this database (another uid) already stands for."""
    refused = f"数据包 {path} 中的{label}与本数据库中的记录冲突："
    if table == "members" and values.get("id_number"):
        holder = q.member_with_id_number(db, values["id_number"])
        if holder and holder[0] != uid:
            raise ServiceError(f"{refused}身份证号 {idnumber.mask(values['id_number'])} 已属于本数据库中的"
                               f"党员“{holder[1]}”（不是同一条记录），未导入任何内容")
    if table == "organizations":
        other = q.sibling_org(db, values["parent_id"], values["name"])
        if other and other != uid:
            raise ServiceError(f"{refused}同一上级下已有另一个同名党组织，未导入任何内容")
    if table == "evaluations":
        other = q.evaluation_of(db, values["member_id"], values["year"])
        if other and other != uid:
            raise ServiceError(f"{refused}该党员 {values['year']} 年已有另一条民主评议结果，未导入任何内容")
    if table in ("dues_bases", "dues_months"):
        month = values["effective_from" if table == "dues_bases" else "month"]
        other = q.dues_row_of(db, table, values["member_id"], month)
        if other and other != uid:
            what = "党费基数" if table == "dues_bases" else "党费交纳或免交记录"
            raise ServiceError(f"{refused}该党员 {month} 已有另一条{what}，未导入任何内容")


def _keep(db: Database, area: str, record_id: int, name: str, data: bytes) -> Path:
    """Write an attachment into the managed folder under a name no other file has; its path."""
    folder = attachments.folder(db) / area
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{record_id}-{name}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{record_id}-{n}-{name}"
    partial = target.with_name(f"{target.name}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target
