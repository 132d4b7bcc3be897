"""The command line (design.md §6): the GUI, demo data, checks. Exit codes: 0 done, 1 bad data, 2 usage.

Subcommands import what they need when they run, so none of them loads Qt.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

# argparse's own messages, in Chinese (its gettext catalogue has no zh_CN).
_MESSAGES = (
    (re.compile(r"^the following arguments are required: (.*)$"), r"缺少必需的参数：\1"),
    (re.compile(r"^unrecognized arguments: (.*)$"), r"无法识别的参数：\1"),
    (re.compile(r"^argument (\S+): invalid choice: (.*?) \(choose from (.*)\)$"),
     r"参数 \1：无效的选择 \2（可选：\3）"),
    (re.compile(r"^argument (\S+): invalid (\w+) value: (.*)$"), r"参数 \1：不是有效的数值：\3"),
    (re.compile(r"^argument (\S+): expected one argument$"), r"参数 \1：需要一个值"),
)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "子命令"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示此帮助并退出")

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "用法：", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", "用法：", 1)

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, chinese in _MESSAGES:
            message = pattern.sub(chinese, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="branchdesk", description="党支部工作台：不带子命令时打开图形界面。")
    parser.add_argument("--db", metavar="PATH", help="数据库文件（默认：本用户的数据文件夹）")
    parser.add_argument("--smoke", action="store_true",
                        help="冒烟测试：打开主窗口，逐一访问各页面后退出；出错时退出码非零")
    commands = parser.add_subparsers(dest="command", metavar="{demo,check}", parser_class=_Parser)
    demo = commands.add_parser("demo", help="生成演示数据", description="在新的（或空的）数据库中生成演示数据。")
    demo.add_argument("--db", metavar="PATH", required=True, help="数据库文件")
    demo.add_argument("--scale", choices=("small", "large"), default="small",
                      help="规模：small 为一个机关党委、十余个支部、三百余名党员（默认）；"
                           "large 为200个支部、一万名党员")
    demo.add_argument("--seed", type=int, default=1, metavar="N", help="随机种子，相同种子生成相同数据（默认 1）")
    check = commands.add_parser("check", help="检查数据库", description="检查数据库的完整性、结构版本和记录数。")
    check.add_argument("--db", metavar="PATH", required=True, help="数据库文件")
    check.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; the process exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.smoke and args.command:
            parser.error("--smoke 只用于图形界面，不能与子命令同用")
    except SystemExit as exc:  # argparse exits on usage errors (2) and after --help (0)
        return int(exc.code or 0)
    if args.command == "demo":
        return _demo(Path(args.db), args.scale, args.seed)
    if args.command == "check":
        return _check(Path(args.db), args.json)
    from .ui.app import run

    return run(Path(args.db) if args.db else None, smoke=args.smoke)


def _demo(path: Path, scale: str, seed: int) -> int:
    import time

    from .services import demo
    from .services.errors import ServiceError
    from .store.connection import StoreError, open_database

    started = time.perf_counter()
    try:
        db = open_database(path)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        counts = demo.build(db, scale=scale, seed=seed)
    except ServiceError as exc:
        print(f"{path}：{exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(f"已生成演示数据（规模 {scale}，随机种子 {seed}）：{path}")
    print(f"党组织 {counts['organizations']} 个，党员 {counts['members']} 名，"
          f"委员会任职 {counts['committee_members']} 条，组织关系转接 {counts['transfers']} 条，"
          f"党员记事 {counts['member_events']} 条；用时 {time.perf_counter() - started:.2f} 秒")
    return 0


# The counts of `check`, in the order and words shown to people.
_COUNT_LABELS = (
    ("organizations", "党组织", "个"),
    ("members", "党员", "名"),
    ("activities", "会议和活动", "次"),
    ("attendance", "考勤记录", "条"),
    ("dues_payments", "党费缴纳", "笔"),
    ("commendations", "表彰", "项"),
    ("evaluations", "民主评议", "条"),
)


def _check(path: Path, as_json: bool) -> int:
    import json

    from .services.check import check

    result = check(path)
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(f"数据库文件：{path}")
        if result["schema_version"] is not None:
            print(f"结构版本：{result['schema_version']}")
        if result["counts"]:
            print("，".join(f"{label} {result['counts'][key]} {unit}" for key, label, unit in _COUNT_LABELS))
        if result["ok"]:
            print("检查通过")
    if not result["ok"]:
        print(f"数据库文件 {path} 检查未通过：", file=sys.stderr)
        for problem in result["problems"]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0
