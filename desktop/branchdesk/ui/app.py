"""Starting the GUI: Qt application, Chinese translations, style, first run, main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDir, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMessageBox

from ..paths import resources_dir
from ..store.connection import StoreError, open_database
from .context import AppContext
from .main_window import MainWindow

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
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("BranchDesk", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "branchdesk.sqlite"


def run(db_path: Path | None, smoke: bool = False) -> int:
    """Open the GUI on `db_path` (the per-user data file when None); the process exit code."""
    app = application()
    if db_path is None:
        db_path = _smoke_db() if smoke else default_db_path()
    first_run = not db_path.exists()
    try:
        db = open_database(db_path)
    except StoreError as exc:
        if not smoke:
            QMessageBox.critical(None, "无法打开数据库", str(exc))
        print(exc, file=sys.stderr)
        return 1
    ctx = AppContext(db, db_path)
    if first_run and not smoke and not _first_run(ctx):
        db.close()
        db_path.unlink(missing_ok=True)
        return 0
    window = MainWindow(ctx)
    window.show()
    if smoke:
        return _smoke(app, window)
    code = app.exec()
    db.close()
    return code


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
