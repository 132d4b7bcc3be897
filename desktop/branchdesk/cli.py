"""The command line (design.md §6): the GUI, demo data, checks, report exports, member import. Exit codes: 0 done,
1 bad data, 2 usage.

Subcommands import what they need when they run, so none of them loads Qt.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .cli_common import open_existing

if TYPE_CHECKING:
    from .domain.periods import Period

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
    def __init__(self, *args, epilog_factory: Callable[[], str] | None = None, **kwargs) -> None:
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "子命令"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示此帮助并退出")
        # Text under the help made only when the help is shown (so that it may import what it lists).
        self.epilog_factory = epilog_factory

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", "用法：", 1)

    def format_help(self) -> str:
        if self.epilog_factory is not None:
            self.epilog = self.epilog_factory()
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
    commands = parser.add_subparsers(
        dest="command", metavar="{demo,check,export,consolidate,template,import,package,backup,restore}",
        parser_class=_Parser)
    demo = commands.add_parser("demo", help="生成演示数据", description="在新的（或空的）数据库中生成演示数据。")
    demo.add_argument("--db", metavar="PATH", required=True, help="数据库文件")
    demo.add_argument("--scale", choices=("small", "large"), default="small",
                      help="规模：small 为一个机关党委、十余个支部、三百余名党员（默认）；"
                           "large 为200个支部、一万名党员")
    demo.add_argument("--seed", type=int, default=1, metavar="N", help="随机种子，相同种子生成相同数据（默认 1）")
    check = commands.add_parser("check", help="检查数据库", description="检查数据库的完整性、结构版本和记录数。")
    check.add_argument("--db", metavar="PATH", required=True, help="数据库文件")
    check.add_argument("--json", action="store_true", help="以 JSON 输出结果")
    export = commands.add_parser(
        "export", help="导出报表（Excel）", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="把一个党组织（及其下级）的报表导出为 Excel 文件（.xlsx），可直接上报。",
        epilog_factory=_reports_help)
    export._positionals.title = "参数"
    export.add_argument("report", metavar="REPORT", help="报表名称，见下表")
    export.add_argument("--db", metavar="PATH", required=True, help="数据库文件")
    export.add_argument("--out", metavar="FILE.xlsx", required=True, help="导出的文件；已有的同名文件将被替换")
    export.add_argument("--org", metavar="ORG", help="统计的党组织：名称（须唯一）或编号（默认：最上级党组织）")
    export.add_argument("--year", type=int, metavar="Y",
                        help="统计年度（默认：evaluations 为上一年，其他报表为今年）")
    export.add_argument("--quarter", type=int, choices=range(1, 5), metavar="Q", help="统计该年度的第 Q 季度（1–4）")
    export.add_argument("--month", type=int, choices=range(1, 13), metavar="M", help="统计该年度的 M 月（1–12）")
    export.add_argument("--show-ids", action="store_true",
                        help="花名册显示完整的身份证号和联系电话（默认部分遮蔽）")
    export.add_argument("--meeting", type=int, metavar="ID",
                        help="REPORT 为 sign-in 时：会议的编号（见会议编辑窗口的标题），导出其签到表"
                             "（--out 为 .xlsx 时导出 Excel，为 .pdf 时导出 A4 PDF）")
    export.set_defaults(usage_error=export.error)
    template = commands.add_parser("template", help="下载导入模板（Excel）",
                                   description="生成空白的导入模板（含下拉列表、示例行和填写说明）。")
    template._positionals.title = "参数"
    template.add_argument("what", choices=("members",), metavar="members", help="模板：members（党员信息）")
    template.add_argument("--out", metavar="FILE.xlsx", required=True, help="模板文件；已有的同名文件将被替换")
    imp = commands.add_parser(
        "import", help="从表格导入党员或党费基数",
        description="从 Excel（.xlsx）或 CSV 文件导入党员（members）或一年的党费基数（dues-bases）：先逐行检查，"
                    "列出每个问题（行、列、原因）；没有问题的行写入数据库（全部写入或全部不写），有问题的行跳过。")
    imp._positionals.title = "参数"
    imp.add_argument("what", choices=("members", "dues-bases"), metavar="{members,dues-bases}",
                     help="导入内容：members（党员）、dues-bases（党费基数）")
    imp.add_argument("file", metavar="FILE", help="要导入的 .xlsx 或 .csv 文件")
    imp.add_argument("--db", metavar="PATH", required=True, help="数据库文件")
    imp.add_argument("--org", metavar="ORG", required=True, help="导入到的党支部：名称（须唯一）或编号")
    imp.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
    imp.add_argument("--year", type=int, metavar="Y", help="dues-bases：核定的年度（默认今年）")
    from .cli_package import add_parser as add_package_parser

    add_package_parser(commands, _Parser)
    from .cli_backup import add_parsers as add_backup_parsers

    add_backup_parsers(commands, _Parser)
    from .cli_consolidate import add_parser as add_consolidate_parser

    add_consolidate_parser(commands, _Parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; the process exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.smoke and args.command:
            parser.error("--smoke 只用于图形界面，不能与子命令同用")
        if args.command == "export" and args.report == "sign-in":
            if args.meeting is None:
                args.usage_error("sign-in（签到表）须用 --meeting ID 指定会议")
            if Path(args.out).suffix.lower() not in (".xlsx", ".pdf"):
                args.usage_error(f"参数 --out：签到表的文件名应以 .xlsx（Excel）或 .pdf（PDF）结尾：{args.out}")
        elif args.command == "export":
            if args.meeting is not None:
                args.usage_error("参数 --meeting 只用于 sign-in（签到表）")
            args.period = _export_period(args)
    except SystemExit as exc:  # argparse exits on usage errors (2) and after --help (0)
        return int(exc.code or 0)
    if args.command == "demo":
        return _demo(Path(args.db), args.scale, args.seed)
    if args.command == "check":
        return _check(Path(args.db), args.json)
    if args.command == "export" and args.report == "sign-in":
        return _sign_in(Path(args.db), args.meeting, Path(args.out))
    if args.command == "export":
        return _export(Path(args.db), args.report, Path(args.out), args.org, args.period, args.show_ids)
    if args.command == "consolidate":
        from .cli_consolidate import run as run_consolidate

        return run_consolidate(args)
    if args.command == "package":
        from .cli_package import run as run_package

        return run_package(args)
    if args.command == "template":
        return _template(Path(args.out))
    if args.command in ("backup", "restore"):
        from . import cli_backup

        if args.command == "backup":
            return cli_backup.backup(Path(args.db), Path(args.out) if args.out else None)
        return cli_backup.restore(Path(args.file), Path(args.db))
    if args.command == "import" and args.what == "dues-bases":
        from .cli_dues import import_bases

        return import_bases(Path(args.db), Path(args.file), args.org, args.year, args.dry_run)
    if args.command == "import":
        return _import(Path(args.db), Path(args.file), args.org, args.dry_run)
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
          f"党员记事 {counts['member_events']} 条，会议和学习 {counts.get('activities', 0)} 次"
          f"（出勤记录 {counts.get('attendance', 0)} 条），党费缴纳 {counts.get('dues_payments', 0)} 笔，"
          f"表彰 {counts.get('commendations', 0)} 项；用时 {time.perf_counter() - started:.2f} 秒")
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


def _reports_help() -> str:
    from .services.exports import REPORTS, period_kinds_text

    return "报表（REPORT）及可选的统计期间：\n" + "\n".join(
        f"  {name:15s}{info.label}（{period_kinds_text(info)}）" for name, info in REPORTS.items()) \
        + f"\n  {'sign-in':15s}签到表（一次会议，Excel 或 PDF；用 --meeting ID 指定会议）"


def _export_period(args: argparse.Namespace) -> Period:
    """The period `export` is asked for; a usage error (exit 2) for a report or period there is not."""
    import datetime as dt

    from .domain.periods import Period
    from .services.exports import REPORTS, default_year, period_kinds_text

    info = REPORTS.get(args.report)
    if info is None:
        args.usage_error(f"参数 REPORT：没有名为“{args.report}”的报表（可选：{', '.join(REPORTS)}）")
    if args.quarter is not None and args.month is not None:
        args.usage_error("--quarter 和 --month 只能指定一个")
    year = default_year(args.report, dt.date.today()) if args.year is None else args.year
    try:
        period = Period(year, args.quarter, args.month)
    except ValueError as exc:
        args.usage_error(f"参数 --year：{exc}")
    if period.kind not in info.periods:
        option = "--quarter" if period.kind == "quarter" else "--month"
        args.usage_error(f"参数 {option}：{args.report}（{info.label}）只能按{period_kinds_text(info)}统计")
    return period


def _export(path: Path, report: str, out: Path, org: str | None, period: Period, show_ids: bool) -> int:
    import datetime as dt
    import time

    from .services import exports, organizations
    from .services.errors import ServiceError

    started = time.perf_counter()
    db = open_existing(path)
    if db is None:
        return 1
    today = dt.date.today()
    try:
        scope = organizations.resolve(db, org) if org else exports.default_scope(db)
        exports.export_report(db, report, out, scope.id, period, today, exports.Options(show_full_ids=show_ids))
    except ServiceError as exc:
        print(f"导出失败：{exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(f"已导出{exports.report_title(report, period)}（{scope.name}）：{out}；"
          f"用时 {time.perf_counter() - started:.2f} 秒")
    return 0


def _sign_in(path: Path, meeting: int, out: Path) -> int:
    """One meeting's 签到表 as an Excel sheet, or as a PDF (Qt's PDF writer: an offscreen QGuiApplication is made
    when none runs)."""
    from .services.errors import ServiceError

    db = open_existing(path)
    if db is None:
        return 1
    if out.suffix.lower() == ".xlsx":
        from .services import exports

        try:
            exports.export_sign_in(db, meeting, out)
        except ServiceError as exc:
            print(f"导出失败：{exc}", file=sys.stderr)
            return 1
        finally:
            db.close()
        print(f"已导出签到表（会议编号 {meeting}）：{out}")
        return 0
    try:
        from PySide6.QtGui import QGuiApplication

        from .services import activities

        activities.get(db, meeting)  # a meeting that is not there is said before Qt is started
        # Kept for as long as the PDF is laid out: Qt's fonts need a GUI application.
        _app = QGuiApplication.instance() or QGuiApplication(["branchdesk", "-platform", "offscreen"])
        from .ui.activities import printing

        printing.sign_in_pdf(db, meeting, out)
    except ServiceError as exc:
        print(f"导出失败：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"导出失败：无法写入文件 {out}：{exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    print(f"已导出签到表（会议编号 {meeting}）：{out}")
    return 0


def _template(out: Path) -> int:
    from .services.errors import ServiceError
    from .services.imports import write_member_template

    try:
        write_member_template(out)
    except ServiceError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"已生成党员信息导入模板：{out}")
    return 0


def _import(path: Path, file: Path, org: str, dry_run: bool) -> int:
    import time

    from .services import imports, organizations
    from .services.errors import ServiceError

    started = time.perf_counter()
    db = open_existing(path)
    if db is None:
        return 1
    try:
        branch = organizations.resolve(db, org)
        preview = imports.preview_member_import(db, branch.id, file)
        print(f"{preview.file} → {branch.name}：读取 {preview.rows_read} 行；新增 {len(preview.new)}，"
              f"更新 {len(preview.updates)}，已存在 {len(preview.present)}，有问题 {preview.rows_with_problems} 行")
        for row in preview.updates:
            changes = "；".join(f"{label}“{old}”→“{new}”" for label, old, new in row.changes)
            print(f"  第{row.row}行 {row.data.name}：{changes}")
        for problem in preview.problems:
            print(problem, file=sys.stderr)
        if dry_run:
            print("试运行（--dry-run）：未写入数据库")
        else:
            added, updated = imports.apply_member_import(db, branch.id, preview)
            print(f"已导入：新增 {added} 名，更新 {updated} 名；用时 {time.perf_counter() - started:.2f} 秒")
    except ServiceError as exc:
        print(f"导入失败：{exc}", file=sys.stderr)
        return 1
    finally:
        db.close()
    if preview.problems:
        skipped = "" if dry_run else "，这些行已跳过，未导入"
        print(f"{preview.rows_with_problems} 行有问题（共 {len(preview.problems)} 处）{skipped}；"
              "请修改后重新导入", file=sys.stderr)
        return 1
    return 0
