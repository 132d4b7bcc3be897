"""`branchdesk backup` and `branchdesk restore` (design.md §6, §9). Exit codes: 0 done, 1 refused.

Kept beside cli.py rather than in it, which other work edits too.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli_common import open_existing

COUNT_LABELS = (("organizations", "党组织", "个"), ("members", "党员", "名"), ("activities", "会议和活动", "次"),
                ("dues_payments", "党费缴纳", "笔"))


def add_parsers(commands: argparse._SubParsersAction, parser_class: type[argparse.ArgumentParser]) -> None:
    """`backup --db PATH [--out FILE]` and `restore FILE --db PATH`."""
    backup = commands.add_parser(
        "backup", help="备份数据库",
        description="用 SQLite 在线备份把数据库复制一份并检查完整性。不给 --out 时存入备份文件夹"
                    "（设置中的文件夹，默认为数据库旁的“备份”文件夹），只保留最近的若干份。")
    backup.add_argument("--db", metavar="PATH", required=True, help="数据库文件")
    backup.add_argument("--out", metavar="FILE", help="备份到这个文件；已有的同名文件将被替换")
    restore = commands.add_parser(
        "restore", help="从备份恢复数据库",
        description="先检查备份文件，再把当前数据库备份到备份文件夹（已损坏的则改名为 .damaged-时间 保留），"
                    "然后用备份替换数据库。请先关闭正在使用该数据库的图形界面。")
    restore._positionals.title = "参数"
    restore.add_argument("file", metavar="FILE", help="备份文件")
    restore.add_argument("--db", metavar="PATH", required=True, help="要恢复的数据库文件")


def _summary(counts: dict[str, int]) -> str:
    return "，".join(f"{label} {counts[key]} {unit}" for key, label, unit in COUNT_LABELS if key in counts)


def backup(path: Path, out: Path | None) -> int:
    from .services import backups
    from .services.errors import ServiceError

    db = open_existing(path)
    if db is None:
        return 1
    try:
        written = backups.backup_to(db, out) if out else backups.backup_now(db, path)
    except ServiceError as exc:
        print(f"备份失败：{exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    size = written.stat().st_size
    print(f"已备份数据库 {path} 到 {written}（{size / 1024 / 1024:.1f} MB，已检查完整性）")
    print(_summary(backups.counts(written)))
    return 0


def restore(file: Path, path: Path) -> int:
    from .services import backups
    from .services.errors import ServiceError

    if not path.parent.is_dir():
        print(f"无法恢复到 {path}：文件夹 {path.parent} 不存在", file=sys.stderr)
        return 1
    try:
        result = backups.restore(file, path, backups.configured_folder(path))
    except ServiceError as exc:
        print(f"恢复失败：{exc}", file=sys.stderr)
        return 1
    print(f"已用备份 {file} 恢复数据库 {path}")
    if result.previous_damaged:
        print(f"原数据库文件已损坏，已改名保留为 {result.previous}")
    elif result.previous:
        print(f"恢复前的数据库已备份到 {result.previous}")
    print(_summary(backups.counts(path)))
    return 0
