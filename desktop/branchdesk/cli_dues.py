"""`branchdesk import dues-bases`: a year's dues bases from a spreadsheet (services.dues.import_bases)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from .cli_common import open_existing


def import_bases(path: Path, file: Path, org: str, year: int | None, dry_run: bool) -> int:
    """Check the file and (unless `dry_run`) write its valid rows; every problem goes to stderr.
    Exit 1 when the file cannot be read or any row has a problem (those rows are skipped)."""
    from .domain.members import fen_to_yuan
    from .services import dues, organizations
    from .services.errors import ServiceError

    year = year or dt.date.today().year
    db = open_existing(path)
    if db is None:
        return 1
    try:
        scope = organizations.resolve(db, org)
        result = dues.import_bases(db, file, scope.id, year, dry_run=dry_run, confirm_valid=True)
    except ServiceError as exc:
        print(f"导入失败：{exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(f"{result.file} → {scope.name} {year}年党费基数：读取 {result.rows_read} 行；有效 {len(result.valid)} 行"
          f"（其中替换已有基数 {sum(r.replaces for r in result.valid)} 行），有问题 {result.rows_with_problems} 行")
    for row in result.valid if dry_run else ():
        print(f"  第{row.row}行 {row.name}：{row.data.effective_from}起 {row.data.category.label} "
              f"每月 {fen_to_yuan(row.due_fen)} 元")
    for problem in result.problems:
        print(problem, file=sys.stderr)
    print("试运行（--dry-run）：未写入数据库" if dry_run else f"已导入 {result.written} 名党员的党费基数")
    if result.problems:
        skipped = "" if dry_run else "，这些行已跳过，未导入"
        print(f"{result.rows_with_problems} 行有问题（共 {len(result.problems)} 处）{skipped}；请修改后重新导入",
              file=sys.stderr)
        return 1
    return 0
