"""App-level safety (design.md §9): one instance per data file, the start-up password and idle
lock, and the global exception hook."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QEvent, QLockFile, QObject, QSysInfo, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..services import security
from ..store.database import Database
from ..userdata import log
from .widgets import attempt

# Single instance per data file


class InstanceLock:
    """`<db>.lock` beside the data file, held while the app has it open. A lock left by a process
    that no longer runs (a crash, a power cut) is taken over."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(f"{db_path}.lock")
        self.file = QLockFile(str(self.path))
        self.file.setStaleLockTime(0)  # stale only when its process is gone, never by age

    def acquire(self) -> bool:
        return self.file.tryLock(0)

    def holder(self) -> str:
        """Which process holds the lock, as "本机的进程 1234" or "计算机 name 上的进程 1234"."""
        pid, host, _app = self.file.getLockInfo()  # PySide6: (pid, hostname, appname); pid 0 unknown
        if not pid:
            return "另一个进程"
        return f"本机的进程 {pid}" if host == QSysInfo.machineHostName() else f"计算机 {host} 上的进程 {pid}"

    def release(self) -> None:
        self.file.unlock()


def _channel(db_path: Path) -> str:
    """The local-socket name on which the window holding `db_path` listens (one per data file)."""
    import hashlib

    return "branchdesk-" + hashlib.sha1(str(db_path.resolve()).encode("utf-8")).hexdigest()[:16]


def listen_for_raise(window: QMainWindow, db_path: Path) -> QObject:
    """Let a second copy started on the same data file bring `window` forward. QtNetwork is
    loaded here, after the window is up, so start-up does not pay for it."""
    from PySide6.QtNetwork import QLocalServer

    name = _channel(db_path)
    QLocalServer.removeServer(name)  # a socket left by a crashed copy
    server = QLocalServer(window)

    def bring_forward() -> None:
        while server.hasPendingConnections():
            server.nextPendingConnection().disconnectFromServer()
        window.showNormal()
        window.raise_()
        window.activateWindow()

    server.newConnection.connect(bring_forward)
    server.listen(name)
    return server


def ask_to_raise(db_path: Path) -> bool:
    """Ask the window holding `db_path` to come forward; False when none answers."""
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(_channel(db_path))
    answered = socket.waitForConnected(2000)
    socket.disconnectFromServer()
    return answered


def second_instance_box(db_path: Path, holder: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, "数据文件已被打开",
                      f"数据文件 {db_path.name} 已在另一个党支部工作台窗口中打开（{holder}）。\n\n"
                      "为防止两个窗口同时修改同一数据文件，本窗口只能以只读方式打开：可以查看，不能修改。")
    box.setInformativeText(f"数据文件：{db_path}")
    box.bring_forward = box.addButton("切换到已打开的窗口", QMessageBox.ButtonRole.ActionRole)
    box.read_only = box.addButton("打开只读", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(box.bring_forward)
    return box


# Start-up password and idle lock


class PasswordDialog(QDialog):
    """Asks for the start-up password; a wrong one is refused and the dialog stays."""

    def __init__(self, db: Database, parent: QWidget | None = None, message: str = "") -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("党支部工作台 — 输入密码")
        self.setMinimumWidth(360)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(message or "此数据文件设置了启动密码，请输入密码："))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("解锁")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if security.verify(self.db, self.password.text()):
            log().info("start-up password accepted")
            super().accept()
            return
        log().warning("wrong start-up password entered")
        self.error.setText("密码不正确，请重新输入")
        self.password.clear()
        self.password.setFocus()


def ask_password(db: Database) -> bool:
    """At start-up: True when no password is set or the right one was entered; False on cancel."""
    if not security.has_password(db):
        return True
    return PasswordDialog(db).exec() == QDialog.DialogCode.Accepted


_INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                    QEvent.Type.Wheel, QEvent.Type.TouchBegin})


class IdleLock(QObject):
    """Covers the main window after the set number of idle minutes, until the password is entered."""

    def __init__(self, window: QMainWindow, db: Database) -> None:
        super().__init__(window)
        self.setObjectName("idleLock")
        self.window, self.db = window, db
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.cover: QWidget | None = None
        self._watching = False
        self.refresh()

    @classmethod
    def of(cls, window: QMainWindow, db: Database) -> IdleLock:
        return window.findChild(IdleLock, "idleLock") or cls(window, db)

    def refresh(self) -> None:
        """Follow the settings: watch for input only while a lock time is set."""
        minutes = security.idle_minutes(self.db)
        app = QApplication.instance()
        if minutes and not self._watching:
            app.installEventFilter(self)
        elif not minutes and self._watching:
            app.removeEventFilter(self)
        self._watching = bool(minutes)
        self.timer.setInterval(minutes * 60_000)
        if minutes:
            self.timer.start()
        else:
            self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT and self.cover is None:
            self.timer.start()
        return False

    @property
    def locked(self) -> bool:
        return self.cover is not None

    def _parts(self) -> list[QWidget]:
        return [w for w in (self.window.centralWidget(), self.window.menuBar(), self.window.statusBar(),
                            *self.window.findChildren(QWidget, "scopeBar")) if w is not None]

    def lock(self) -> None:
        if self.cover is not None:
            return
        log().info("window locked after idle time")
        for part in self._parts():
            part.setEnabled(False)
        self.cover = QWidget(self.window)
        self.cover.setObjectName("lockCover")
        self.cover.setAutoFillBackground(True)
        self.cover.setStyleSheet("#lockCover { background: #f3f4f6; }")
        outer = QVBoxLayout(self.cover)
        outer.addStretch(1)
        title = QLabel("党支部工作台已锁定")
        title.setStyleSheet("font-size: 18pt;")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(title)
        outer.addWidget(QLabel("较长时间无操作，已自动锁定。请输入启动密码继续："),
                        alignment=Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setFixedWidth(260)
        self.password.returnPressed.connect(self.unlock)
        outer.addWidget(self.password, alignment=Qt.AlignmentFlag.AlignCenter)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        outer.addWidget(self.error, alignment=Qt.AlignmentFlag.AlignCenter)
        button = QPushButton("解锁")
        button.clicked.connect(self.unlock)
        outer.addWidget(button, alignment=Qt.AlignmentFlag.AlignCenter)
        outer.addStretch(2)
        self.cover.setGeometry(self.window.rect())
        self.window.installEventFilter(self._resizer)
        self.cover.show()
        self.cover.raise_()
        self.password.setFocus()

    def unlock(self) -> bool:
        if self.cover is None:
            return True
        if not security.verify(self.db, self.password.text()):
            log().warning("wrong password at the idle lock")
            self.error.setText("密码不正确，请重新输入")
            self.password.clear()
            return False
        log().info("window unlocked")
        self.window.removeEventFilter(self._resizer)
        self.cover.deleteLater()
        self.cover = None
        for part in self._parts():
            part.setEnabled(True)
        self.refresh()
        return True

    @property
    def _resizer(self) -> QObject:
        if not hasattr(self, "_resize_filter"):
            self._resize_filter = _FollowSize(self)
        return self._resize_filter


class _FollowSize(QObject):
    def __init__(self, lock: IdleLock) -> None:
        super().__init__(lock)
        self.idle = lock

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self.idle.cover is not None:
            self.idle.cover.setGeometry(self.idle.window.rect())
        return False


class PasswordSettingsDialog(QDialog):
    """设置启动密码: set, change or remove the password, and the idle lock time."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("设置启动密码")
        has = security.has_password(db)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("设置后，每次启动程序都要输入密码；密码只保存其加密摘要，忘记后无法找回。"
                                if not has else "修改或取消启动密码需要先输入当前密码。"))
        form = QFormLayout()
        self.current = QLineEdit()
        self.new = QLineEdit()
        self.again = QLineEdit()
        for edit in (self.current, self.new, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        if has:
            form.addRow("当前密码：", self.current)
        form.addRow("新密码：", self.new)
        form.addRow("再次输入：", self.again)
        self.remove = QCheckBox("取消启动密码")
        self.remove.setVisible(has)
        self.remove.toggled.connect(lambda on: (self.new.setEnabled(not on), self.again.setEnabled(not on)))
        if has:
            form.addRow("", self.remove)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, security.MAX_IDLE_MINUTES)
        self.minutes.setSuffix(" 分钟")
        self.minutes.setSpecialValueText("不自动锁定")
        self.minutes.setValue(security.idle_minutes(db))
        form.addRow("无操作自动锁定：", self.minutes)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        has = security.has_password(self.db)
        if self.remove.isChecked():
            if attempt(self, "不能取消密码", lambda: security.remove_password(self.db, self.current.text())):
                log().info("start-up password removed")
                super().accept()
            return
        new = self.new.text()
        if new != self.again.text():
            self.error.setText("两次输入的新密码不一致")
            return
        if has and not new:  # only the lock time changes
            def change() -> None:
                if not security.verify(self.db, self.current.text()):
                    raise security.ServiceError("当前密码不正确，设置未修改")
                security.set_idle_minutes(self.db, self.minutes.value())
        else:
            def change() -> None:
                with self.db.atomic():
                    security.set_password(self.db, new, self.current.text())
                    security.set_idle_minutes(self.db, self.minutes.value())
        if attempt(self, "不能设置启动密码", change):
            log().info("start-up password settings changed")
            super().accept()


def edit_password(window: QMainWindow, db: Database) -> None:
    """The 设置启动密码… menu item."""
    if PasswordSettingsDialog(db, window).exec() == QDialog.DialogCode.Accepted:
        IdleLock.of(window, db).refresh()


# Global exception hook


class ErrorDialog(QDialog):
    """"程序出现意外错误…" with 复制详情; the app goes on running."""

    def __init__(self, details: str) -> None:
        super().__init__()
        self.setWindowTitle("意外错误")
        self.setMinimumWidth(440)
        self.details = details
        layout = QVBoxLayout(self)
        self.message = QLabel("程序出现意外错误，您的数据未受影响：刚才的操作没有完成，已保存的数据保持原样，"
                              "可以继续使用。\n\n如果问题反复出现，请点“复制详情”，把错误信息发给技术支持。")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.text = QPlainTextEdit(details)
        self.text.setReadOnly(True)
        self.text.setVisible(False)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox()
        self.copy = buttons.addButton("复制详情", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy.clicked.connect(self.copy_details)
        self.show_details = buttons.addButton("显示详情", QDialogButtonBox.ButtonRole.ActionRole)
        self.show_details.clicked.connect(lambda: self.text.setVisible(not self.text.isVisible()))
        buttons.addButton(QDialogButtonBox.StandardButton.Ok).clicked.connect(self.accept)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details)
        self.copy.setText("已复制")


_shown: list[ErrorDialog] = []


def handle_exception(kind: type[BaseException], value: BaseException, tb: object) -> None:
    """sys.excepthook: log it, then show (not block on) the message; one dialog at a time."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    details = "".join(traceback.format_exception(kind, value, tb))
    log().error("unexpected error", exc_info=(kind, value, tb))
    if _shown and _shown[0].isVisible():
        _shown[0].details += "\n" + details
        _shown[0].text.setPlainText(_shown[0].details)
        return
    _shown.clear()
    dialog = ErrorDialog(details)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.finished.connect(lambda _code: _shown.clear())
    _shown.append(dialog)
    dialog.show()
    dialog.raise_()


def current_error_dialog() -> ErrorDialog | None:
    return _shown[0] if _shown else None


def install_exception_hook() -> None:
    sys.excepthook = handle_exception


# Start-up, in the order ui/app.py run() calls them


class Guard:
    """What `run` holds for one data file: the instance lock (or read-only mode) and the idle lock."""

    def __init__(self, db_path: Path, lock: InstanceLock | None) -> None:
        self.db_path, self.lock = db_path, lock

    @property
    def read_only(self) -> bool:
        return self.lock is None

    def open(self) -> Database:
        from ..store.connection import open_database, open_read_only

        db = open_read_only(self.db_path) if self.read_only else open_database(self.db_path)
        log().info("opened database %s%s", self.db_path.name, " read-only" if self.read_only else "")
        return db

    def unlock(self, db: Database) -> bool:
        """The start-up password, when one is set; False when the user cancels."""
        return ask_password(db)

    def watch(self, window: QMainWindow, db: Database) -> None:
        if security.idle_minutes(db):
            IdleLock.of(window, db)
        if not self.read_only:  # a second copy on this file may ask this window to come forward
            QTimer.singleShot(0, window, lambda: listen_for_raise(window, self.db_path))

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
        log().info("closed database %s", self.db_path.name)


def start_up(db_path: Path, first_run: bool) -> Guard | None:
    """The log, the exception hook and the instance lock; None when the user chose to quit."""
    from .. import __version__
    from ..userdata import private_file, setup_logging

    setup_logging()
    install_exception_hook()
    log().info("BranchDesk %s starting", __version__)
    lock = InstanceLock(db_path)
    if lock.acquire():
        if first_run:
            private_file(db_path)
        return Guard(db_path, lock)
    holder = lock.holder()
    log().info("database %s already open in %s", db_path.name, holder)
    box = second_instance_box(db_path, holder)
    box.exec()
    if box.clickedButton() is box.bring_forward:
        if not ask_to_raise(db_path):
            QMessageBox.information(None, "数据文件已被打开",
                                    f"{holder}没有响应，请在任务栏中找到已打开的党支部工作台窗口。")
        return None
    if box.clickedButton() is not box.read_only:
        return None
    return Guard(db_path, None)
