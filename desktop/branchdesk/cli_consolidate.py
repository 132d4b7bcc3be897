"""`branchdesk consolidate FILE... --out FILE.xlsx` (汇总): the same services as the 汇总 dialog.

Kept beside cli.py rather than in it, which other work edits too. Exit codes: 0 done, 1 a file
refused (each named on stderr), nothing written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(commands: argparse._SubParsersAction, parser_class: type[argparse.ArgumentParser]) -> None:
    consolidate = commands.add_parser(
        "consolidate", help="汇总各支部报来的报表（Excel）",
        description="把各支部导出的同一报表、同一统计期间的 Excel 文件汇总为一张表（每个支部一行，最后是合计行）。",
        epilog_factory=_labels)
    consolidate._positionals.title = "参数"
    consolidate.add_argument("files", metavar="FILE", nargs="+", help="要汇总的 .xlsx 文件（由本程序导出）")
    consolidate.add_argument("--out", metavar="FILE.xlsx", required=True, help="汇总表；已有的同名文件将被替换")
    consolidate.add_argument("--unit", metavar="NAME", default="",
                             help="汇总表的填报单位（默认：各文件的填报单位相同时用它，否则留空待填）")
    consolidate.add_argument("--preparer", metavar="NAME", default="", help="制表人（默认留空待签）")


def _labels() -> str:
    """Listed only when the help is shown: the list imports the report services (~0.1 s), which
    every start of the program, the GUI's included, would otherwise pay for."""
    from .services.consolidation import consolidated_labels

    return f"可汇总的报表：{'、'.join(consolidated_labels())}"


def run(args: argparse.Namespace) -> int:
    from .services import consolidation
    from .services.errors import ServiceError

    files = [Path(f) for f in args.files]
    try:
        done = consolidation.consolidate(files, Path(args.out), args.unit, args.preparer)
    except ServiceError as exc:
        print(f"未能汇总，没有生成文件：\n{exc}", file=sys.stderr)
        return 1
    first = done.sources[0]
    print(f"已汇总 {len(files)} 个文件（{first.period.label}{first.label}，{done.branches} 个支部）：{done.path}")
    return 0
