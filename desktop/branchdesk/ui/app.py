"""Starting the GUI: Qt application, Chinese translations, style, first run, main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDir, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from ..paths import resources_dir
from ..store.backup import quick_problems
from ..store.connection import StoreError, open_database
from ..store.database import Database
from .context import AppContext
from .main_window import MainWindow

# The daily backup waits until the window is up and settled.
DAILY_DELAY_MS = 3000

UI_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
            "WenQuanYi Micro Hei")


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("BranchDesk")
    app.setOrganizationName("BranchDesk")
    app.setApplicationDisplayName("党支部工作台")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    # Qt's own strings (OK/Cancel/Yes/No, context menus) in Simplified Chinese.
    if translator.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
    # Windows' Chinese UI font first, then those of UOS/Kylin and other Linux desktops.
    font = QFont()
    font.setFamilies(list(UI_FONTS))
    font.setPointSize(10)
    app.setFont(font)
    # The style sheet names its images icons:NAME.svg.
    QDir.addSearchPath("icons", str(resources_dir() / "icons"))
    app.setStyleSheet((resources_dir() / "style.qss").read_text(encoding="utf-8"))
    return app


def default_db_path() -> Path:
    from ..userdata import data_folder  # readable by the user only

    return data_folder() / "branchdesk.sqlite"


def run(db_path: Path | None, smoke: bool = False) -> int:
    """Open the GUI on `db_path` (the per-user data file when None); the process exit code."""
    app = application()
    if db_path is None:
        db_path = _smoke_db() if smoke else default_db_path()
    first_run = not db_path.exists()
    guard = None
    if not smoke:
        from .safety import start_up  # the log, the exception hook, the instance lock

        guard = start_up(db_path, first_run)
        if guard is None:
            return 0
    try:
        db = guard.open() if guard else open_database(db_path)
        _check_opened(db, db_path)
    except StoreError as exc:
        print(exc, file=sys.stderr)
        if smoke:
            return 1
        # A damaged file: offer the latest backup (the damaged one is kept aside, not overwritten).
        from .backups import recover

        recovered = recover(db_path, exc, offer=not (guard and guard.read_only))
        if recovered is None:
            return 1
        db = recovered
    if guard and not guard.unlock(db):  # the start-up password, when one is set
        db.close()
        return 0
    ctx = AppContext(db, db_path)
    if first_run and not smoke and not _first_run(ctx):
        db.close()
        db_path.unlink(missing_ok=True)
        return 0
    window = MainWindow(ctx)
    window.show()
    if smoke:
        return _smoke(app, window)
    if guard:
        guard.watch(window, db)  # the idle lock
    if not ctx.db.read_only:  # the daily backup once the window is up, and one on exit
        QTimer.singleShot(DAILY_DELAY_MS, window, lambda: _daily_backup(window))
    code = app.exec()
    if not ctx.db.read_only:
        from .backups import auto_backup

        auto_backup(ctx, on_exit=True)
    db = ctx.db  # reopened by a restore meanwhile
    db.close()
    if guard:
        guard.release()
    return code


def _check_opened(db: Database, db_path: Path) -> None:
    """A quick check after opening, which catches a damaged file SQLite still opens (a bad sector,
    a truncated copy); the database is closed and StoreError raised, naming the file."""
    problems = quick_problems(db)
    if problems:
        db.close()
        raise StoreError(f"数据库文件 {db_path} 已损坏：{'；'.join(problems[:3])}")


def _daily_backup(window: MainWindow) -> None:
    from .backups import daily_backup  # the backup UI is loaded when first needed

    daily_backup(window)


def _first_run(ctx: AppContext) -> bool:
    """Ask how to start a new database; False when the user cancels."""
    from .first_run import FirstRunDialog  # only ever needed once per data file

    return FirstRunDialog(ctx).exec() == FirstRunDialog.DialogCode.Accepted


def _smoke_db() -> Path:
    """A demo database in a temporary folder, for `--smoke` without `--db`."""
    import tempfile

    from ..services import demo

    path = Path(tempfile.mkdtemp(prefix="branchdesk-smoke-")) / "demo.sqlite"
    db = open_database(path)
    demo.build(db, scale="small", seed=1)
    db.close()
    return path


def _smoke(app: QApplication, window: MainWindow) -> int:
    """Visit every page; any exception raised meanwhile makes the exit code 1."""
    import traceback

    failures: list[str] = []

    def hook(kind, value, tb) -> None:
        failures.append("".join(traceback.format_exception(kind, value, tb)))

    sys.excepthook = hook

    def visit(row: int) -> None:
        if row < window.nav.count():
            window.nav.setCurrentRow(row)
            QTimer.singleShot(50, lambda: visit(row + 1))
        else:
            app.quit()

    QTimer.singleShot(0, lambda: visit(0))
    app.exec()
    window.close()
    sys.excepthook = sys.__excepthook__
    for failure in failures:
        print(failure, file=sys.stderr)
    # A standard button's text shows whether Qt's own Chinese translations were found (a frozen
    # build must carry qtbase_zh_CN.qm).
    cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
    print(f"smoke: visited {window.nav.count()} pages, {len(failures)} errors; Qt Cancel = {cancel}")
    return 1 if failures else 0
