"""`branchdesk package export|import` (design.md §6): handover packages from the command line.

Kept beside cli.py rather than in it, which other work edits too. Exit codes: 0 done, 1 refused.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .cli_common import open_existing

COUNT_LABELS = (
    ("organizations", "党组织", "个"), ("members", "党员", "名"), ("member_events", "党员记事", "条"),
    ("transfers", "组织关系转接", "条"), ("committee_members", "委员会任职", "条"),
    ("commendations", "表彰", "项"), ("evaluations", "民主评议", "条"), ("study_outputs", "学习成果", "篇"),
    ("settings", "设置", "项"),
)


def add_parser(commands: argparse._SubParsersAction, parser_class: type[argparse.ArgumentParser]) -> None:
    """`package export --db PATH --org ORG --out FILE` and `package import FILE --db PATH`."""
    package = commands.add_parser(
        "package", help="交接数据包（导出/导入）",
        description="把一个党组织（及其下级）的全部数据和附件导出为一个交接数据包，或导入数据包。")
    actions = package.add_subparsers(dest="package_command", metavar="{export,import}",
                                     parser_class=parser_class, required=True)
    export = actions.add_parser("export", help="导出交接数据包",
                                description="导出一个党组织（及其下级）的交接数据包（含附件）。")
    export.add_argument("--db", metavar="PATH", required=True, help="数据库文件")
    export.add_argument("--org", metavar="ORG", required=True, help="党组织：名称（须唯一）或编号")
    export.add_argument("--out", metavar="FILE", required=True, help="数据包文件；已有的同名文件将被替换")
    imp = actions.add_parser("import", help="导入交接数据包",
                             description="把交接数据包导入数据库；重复导入不会重复添加记录。")
    imp._positionals.title = "参数"
    imp.add_argument("file", metavar="FILE", help="数据包文件")
    imp.add_argument("--db", metavar="PATH", required=True, help="数据库文件（不存在时新建）")


def run(args: argparse.Namespace) -> int:
    if args.package_command == "export":
        return package_export(Path(args.db), args.org, Path(args.out))
    return package_import(Path(args.file), Path(args.db))


def package_export(path: Path, org: str, out: Path) -> int:
    from .services import handover, organizations
    from .services.errors import ServiceError

    started = time.perf_counter()
    db = open_existing(path)
    if db is None:
        return 1
    try:
        scope = organizations.resolve(db, org)
        manifest = handover.export_package(db, scope.id, out)
    except ServiceError as exc:
        print(f"导出失败：{exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    counts = manifest["counts"]
    print(f"已导出交接数据包（{scope.name}）：{out}；用时 {time.perf_counter() - started:.2f} 秒")
    print("，".join(f"{label} {counts[key]} {unit}" for key, label, unit in COUNT_LABELS)
          + f"，附件 {counts['attachments']} 个")
    for relative in manifest["missing_attachments"]:
        print(f"注意：附件 {relative} 在附件文件夹中找不到，未放入数据包", file=sys.stderr)
    return 0


def package_import(file: Path, path: Path) -> int:
    from .services import handover
    from .services.errors import ServiceError
    from .store.connection import StoreError, open_database

    started = time.perf_counter()
    try:
        handover.inspect_package(file)  # refuse a bad file before a new database is created for it
        db = open_database(path)
    except (ServiceError, StoreError) as exc:
        print(f"导入失败：{exc}", file=sys.stderr)
        return 1
    try:
        result = handover.import_package(db, file)
    except ServiceError as exc:
        print(f"导入失败：{exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    counts = result["counts"]
    print(f"已导入交接数据包 {file}（{result['source'].get('organization', '')}，"
          f"导出于 {result['exported_at']}）到 {path}；用时 {time.perf_counter() - started:.2f} 秒")
    for key, label, _unit in COUNT_LABELS:
        c = counts[key]
        print(f"  {label}：新增 {c['added']}，更新 {c['updated']}，未变 {c['unchanged']}")
    print(f"  附件：复制 {result['attachments']} 个")
    if result["settings_kept"]:
        print(f"  以下设置与本数据库不同，保留本数据库的值：{'、'.join(result['settings_kept'])}")
    return 0
