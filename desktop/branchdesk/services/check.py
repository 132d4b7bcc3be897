"""`branchdesk check`: integrity, schema version and record counts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..store import connection

# The keys of `check --json` (design.md §6), each with the table it counts. Tables that later
# features add count 0 until they exist in the database.
COUNTED_TABLES = {
    "organizations": "organizations",
    "members": "members",
    "activities": "activities",
    "attendance": "attendance",
    "dues_payments": "dues_payments",
    "commendations": "commendations",
    "evaluations": "evaluations",
}


def check(path: str | Path) -> dict[str, Any]:
    """Open read-only and report; `ok` is False with `problems` when the file is damaged."""
    path = Path(path)
    if not path.is_file():
        return {"ok": False, "schema_version": None, "counts": {},
                "problems": [f"找不到数据库文件 {path}"]}
    try:
        db = connection.connect_for_reading(path)
    except connection.StoreError as exc:
        return {"ok": False, "schema_version": None, "counts": {}, "problems": [str(exc)]}
    try:
        problems = connection.integrity_problems(db)
        version = connection.schema_version(db)
        if version > connection.SCHEMA_VERSION:
            problems.append(f"结构版本 {version} 高于本程序支持的 {connection.SCHEMA_VERSION}")
        tables = set(db.table_names())
        counts = {key: (db.count(table) if table in tables else 0)
                  for key, table in COUNTED_TABLES.items()}
    finally:
        db.close()
    result: dict[str, Any] = {"ok": not problems, "schema_version": version, "counts": counts}
    if problems:
        result["problems"] = problems
    return result
