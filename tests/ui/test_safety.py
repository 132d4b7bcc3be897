"""App-level safety: one instance per data file, read-only mode, password and idle lock, the log,
private data folder, and the global exception hook."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from branchdesk.services import members
from branchdesk.services import security as service
from branchdesk.services.errors import ReadOnlyError
from branchdesk.store.connection import open_read_only
from branchdesk.ui import safety
from branchdesk.ui.app import run
from branchdesk.ui.context import AppContext
from branchdesk.ui.main_window import MainWindow
from branchdesk.ui.widgets import attempt
from branchdesk.userdata import LOGGER
from tests.conftest import TODAY, member_data

ID_NUMBER = "110105198503040012"
PHONE = "13912345678"


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    """The per-user data folder under tmp_path; the log handler and exception hook put back."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    hook = sys.excepthook
    yield tmp_path / "xdg" / "BranchDesk"
    sys.excepthook = hook
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def test_second_instance_is_refused_and_a_stale_lock_taken_over(qapp, db_path) -> None:
    first = safety.InstanceLock(db_path)
    assert first.acquire()
    second = safety.InstanceLock(db_path)
    assert not second.acquire()
    assert second.holder() == f"本机的进程 {os.getpid()}"
    box = safety.second_instance_box(db_path, second.holder())
    assert "已在另一个党支部工作台窗口中打开" in box.text()
    assert sorted(b.text() for b in box.buttons()) == sorted(["切换到已打开的窗口", "打开只读", "退出"])
    first.release()
    assert second.acquire()
    second.release()
    # A process that dies holding the lock leaves a stale lock file, which is taken over.
    code = ("import os, sys; from PySide6.QtCore import QLockFile; f = QLockFile(sys.argv[1]);"
            " f.setStaleLockTime(0); assert f.tryLock(0); os._exit(0)")
    subprocess.run([sys.executable, "-c", code, f"{db_path}.lock"], check=True)
    assert Path(f"{db_path}.lock").exists()
    third = safety.InstanceLock(db_path)
    assert third.acquire()
    third.release()


def test_a_second_copy_brings_the_open_window_forward(qtbot, db_path) -> None:
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    assert not safety.ask_to_raise(db_path)  # nobody listens yet
    server = safety.listen_for_raise(window, db_path)
    with qtbot.waitSignal(server.newConnection, timeout=3000):
        assert safety.ask_to_raise(db_path)


def test_read_only_mode_refuses_every_write(qtbot, db, db_path, sample, monkeypatch) -> None:
    reader = open_read_only(db_path)
    try:
        assert reader.read_only
        with pytest.raises(ReadOnlyError, match="只读"):
            members.create(reader, sample.branch, member_data("李四"), today=TODAY)
        assert reader.count("members") == 3
        window = MainWindow(AppContext(reader, db_path))
        qtbot.addWidget(window)
        assert window.windowTitle().endswith("（只读）")
        shown = []
        monkeypatch.setattr("branchdesk.ui.widgets.QMessageBox.warning", lambda *a: shown.append(a[2]))
        assert not attempt(window, "不能保存", lambda: members.delete(reader, sample.secretary))
        assert "只读" in shown[0]
    finally:
        reader.close()


def test_password_dialog_refuses_a_wrong_password(qtbot, db) -> None:
    service.set_password(db, "correct horse")
    dialog = safety.PasswordDialog(db)
    qtbot.addWidget(dialog)
    dialog.password.setText("wrong")
    dialog.accept()
    assert dialog.error.text() == "密码不正确，请重新输入"
    assert dialog.password.text() == "" and dialog.result() != dialog.DialogCode.Accepted
    dialog.password.setText("correct horse")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_idle_lock_covers_the_window_until_the_password(qtbot, db, db_path, sample) -> None:
    service.set_password(db, "correct horse")
    service.set_idle_minutes(db, 3)
    window = MainWindow(AppContext(db, db_path))
    qtbot.addWidget(window)
    window.show()
    idle = safety.IdleLock.of(window, db)
    assert idle.timer.interval() == 3 * 60_000 and idle.timer.isActive()
    idle.timer.timeout.emit()
    assert idle.locked and not window.centralWidget().isEnabled() and not window.menuBar().isEnabled()
    assert idle.cover.geometry() == window.rect()
    idle.password.setText("wrong")
    assert not idle.unlock() and idle.locked and idle.error.text() == "密码不正确，请重新输入"
    idle.password.setText("correct horse")
    assert idle.unlock()
    assert not idle.locked and window.centralWidget().isEnabled()
    service.set_idle_minutes(db, 0)
    idle.refresh()
    assert not idle.timer.isActive()


def test_password_settings_dialog_sets_the_password(qtbot, db) -> None:
    dialog = safety.PasswordSettingsDialog(db)
    qtbot.addWidget(dialog)
    dialog.new.setText("abcd1234")
    dialog.again.setText("abcd123")
    dialog.accept()
    assert dialog.error.text() == "两次输入的新密码不一致" and not service.has_password(db)
    dialog.again.setText("abcd1234")
    dialog.minutes.setValue(10)
    dialog.accept()
    assert service.verify(db, "abcd1234") and not service.verify(db, "") and service.idle_minutes(db) == 10


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_data_folder_and_new_database_are_private(data_home, qapp) -> None:
    from branchdesk.ui.app import default_db_path
    from branchdesk.userdata import private_file

    path = default_db_path()
    private_file(path)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    from branchdesk.store.connection import open_database

    open_database(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.qt_no_exception_capture
def test_unexpected_error_shows_a_message_and_the_app_goes_on(qtbot, data_home) -> None:
    from branchdesk.userdata import setup_logging

    log_file = setup_logging()
    safety.install_exception_hook()
    button = QPushButton()
    qtbot.addWidget(button)

    def broken() -> None:
        raise RuntimeError(f"boom for {ID_NUMBER}")

    button.clicked.connect(broken)
    button.click()
    dialog = safety.current_error_dialog()
    assert dialog is not None and dialog.isVisible()
    assert dialog.message.text().startswith("程序出现意外错误，您的数据未受影响")
    dialog.copy.click()
    copied = QApplication.clipboard().text()
    assert "RuntimeError: boom" in copied and "in broken" in copied
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error" in logged and "RuntimeError" in logged and ID_NUMBER not in logged
    dialog.accept()
    assert safety.current_error_dialog() is None


@pytest.mark.qt_no_exception_capture
def test_a_full_session_leaves_no_personal_data_in_the_log(qtbot, data_home, db_path, db, sample,
                                                           monkeypatch) -> None:
    db.close()
    # The daily backup runs during the session, not in a later test after the database closed.
    monkeypatch.setattr("branchdesk.ui.app.DAILY_DELAY_MS", 0)
    done: list[str] = []

    def session() -> None:
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        ctx = window.ctx
        members.create(ctx.db, sample.branch, member_data("欧阳慧敏", id_number=ID_NUMBER, phone=PHONE),
                       today=TODAY)
        ctx.notify_changed()
        for row in range(window.nav.count()):
            window.nav.setCurrentRow(row)
            QApplication.processEvents()
        window.nav.setCurrentRow(1)
        page = window.page(1)
        page.search.setText("欧阳") if hasattr(page, "search") else None
        QApplication.processEvents()
        done.append(window.windowTitle())
        QTimer.singleShot(0, lambda: (safety.current_error_dialog() and safety.current_error_dialog().close(),
                                      window.close(), QApplication.quit()))
        raise ValueError(f"member 欧阳慧敏 {ID_NUMBER} {PHONE}")  # an error that quotes personal data

    QTimer.singleShot(100, session)
    assert run(db_path) == 0
    # Closing the last window posted one more quit, which would end every later event loop (and so
    # later tests' waits) at once: let it land now, then end one loop of our own.
    QApplication.processEvents()
    QTimer.singleShot(0, QApplication.quit)
    QApplication.exec()
    assert done == ["党支部工作台 BranchDesk"]
    logged = (data_home / "logs" / "branchdesk.log").read_text(encoding="utf-8")
    assert "opened database branchdesk.sqlite" in logged and "unexpected error" in logged
    for personal in (ID_NUMBER, PHONE, "欧阳慧敏", "欧阳", "王建国"):
        assert personal not in logged
    assert not Path(f"{db_path}.lock").exists()
