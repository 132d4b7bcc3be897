"""文件 → 导出交接包… / 导入交接包…: a package made from one database, brought into a fresh one."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from branchdesk.services import members
from branchdesk.services import organizations as orgs
from branchdesk.store.connection import open_database
from branchdesk.ui.context import AppContext
from branchdesk.ui.main_window import MainWindow
from tests.ui.conftest import answer_message_boxes

OK = QMessageBox.StandardButton.Ok


def window_on(qtbot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def everything(db) -> tuple[list[str], list[str]]:
    return (sorted(o.name for o in orgs.tree(db)),
            sorted(m.name for o in orgs.tree(db) for m in members.list_members(db, o.id) if m.org_id == o.id))


def test_file_menu_has_the_package_actions(qtbot, ctx, sample) -> None:
    window = window_on(qtbot, ctx)
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert texts[:2] == ["导出交接包(&E)…", "导入交接包(&I)…"] and texts[-1] == "退出(&X)"
    assert "设置启动密码(&P)…" in texts


def test_export_then_import_into_a_fresh_database(qtbot, ctx, sample, tmp_path) -> None:
    window = window_on(qtbot, ctx)
    assert ctx.scope_id == sample.committee
    package = tmp_path / "交接"
    seen = answer_message_boxes(OK)
    manifest = window.export_package(package)
    assert manifest is not None and (tmp_path / "交接.zip").is_file()
    assert seen[0].startswith("已导出“市直机关某局机关党委”的交接数据包")
    assert "党组织 4、党员 3" in seen[0]

    fresh = open_database(tmp_path / "fresh.sqlite")
    try:
        fresh_ctx = AppContext(fresh, tmp_path / "fresh.sqlite")
        other = window_on(qtbot, fresh_ctx)
        assert fresh_ctx.scope_id is None
        questions: list[str] = []

        def ask(_parent, title: str, text: str) -> bool:
            questions.append(f"{title}|{text}")
            return True

        seen = answer_message_boxes(OK)
        result = other.import_package(tmp_path / "交接.zip", ask=ask)
        assert result is not None
        assert "来源：市直机关某局机关党委" in questions[0] and "党员 3" in questions[0]
        assert "新增：党组织 4、党员 3" in seen[0]
        assert everything(fresh) == everything(ctx.db)
        # The selector and status bar follow the data brought in.
        assert other.scope.count() == 3 and fresh_ctx.scope_id is not None
        assert other.count_label.text().strip() == "在册党员 3 名"

        # Again: nothing new.
        seen = answer_message_boxes(OK)
        assert other.import_package(tmp_path / "交接.zip", ask=ask) is not None
        assert "新增：无" in seen[0]
        assert everything(fresh) == everything(ctx.db)
    finally:
        fresh.close()


def test_declined_or_tampered_packages_change_nothing(qtbot, ctx, sample, tmp_path) -> None:
    window = window_on(qtbot, ctx)
    answer_message_boxes(OK)
    window.export_package(tmp_path / "pkg.zip")

    fresh = open_database(tmp_path / "fresh.sqlite")
    try:
        other = window_on(qtbot, AppContext(fresh, tmp_path / "fresh.sqlite"))
        assert other.import_package(tmp_path / "pkg.zip", ask=lambda *_a: False) is None
        assert everything(fresh) == ([], [])

        # Change one member's record inside the zip, keeping the old checksums.
        tampered = tmp_path / "tampered.zip"
        with zipfile.ZipFile(tmp_path / "pkg.zip") as src, zipfile.ZipFile(tampered, "w") as dst:
            for item in src.infolist():
                data = src.read(item)
                if item.filename == "data/members.json":
                    data = data.replace("王建国".encode(), "王建军".encode())
                dst.writestr(item, data)
        asked: list[str] = []
        seen = answer_message_boxes(OK)
        assert other.import_package(tampered, ask=lambda *a: asked.append(a[2]) or True) is None
        assert asked == []  # refused before the question
        assert "校验和不符" in seen[0] and "tampered.zip" in seen[0]
        assert everything(fresh) == ([], [])

        not_a_package = tmp_path / "随便.zip"
        not_a_package.write_bytes(b"PK\x03\x04 truncated")
        seen = answer_message_boxes(OK)
        assert other.import_package(not_a_package, ask=lambda *_a: True) is None
        assert "已损坏" in seen[0]
        assert everything(fresh) == ([], [])
    finally:
        fresh.close()


def test_export_to_a_missing_folder_says_so(qtbot, ctx, sample, tmp_path) -> None:
    window = window_on(qtbot, ctx)
    seen = answer_message_boxes(OK)
    assert window.export_package(tmp_path / "没有这个文件夹" / "pkg.zip") is None
    assert "不存在" in seen[0]
    assert not Path(tmp_path / "没有这个文件夹").exists()
