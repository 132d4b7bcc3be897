"""Asking where to save an exported file, in the folder last saved to, and saying where it went."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

FOLDER_KEY = "export/folder"  # the folder last saved to, shared by every export


def last_folder() -> Path:
    folder = QSettings().value(FOLDER_KEY) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(str(folder))


def save_target(parent: QWidget, path: Path | str | None, caption: str, name: str, file_filter: str,
                suffix: str = ".xlsx") -> Path | None:
    """Where to save: `path`, or the file the user picks (starting in the folder last saved to, with
    `name`), with `suffix` added when typed without it; the folder is remembered. None when the user
    cancels."""
    if path is None:
        path, _filter = QFileDialog.getSaveFileName(parent, caption, str(last_folder() / name), file_filter)
        if not path:
            return None
    out = Path(path)
    if out.suffix.lower() != suffix:
        out = out.with_name(f"{out.name}{suffix}")
    QSettings().setValue(FOLDER_KEY, str(out.parent))
    return out


def tell_saved(parent: QWidget, title: str, text: str, out: Path) -> None:
    """Say where `out` was saved, offering to open its folder."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    open_folder = box.addButton(parent.tr("打开所在文件夹"), QMessageBox.ButtonRole.ActionRole)
    box.exec()
    if box.clickedButton() is open_folder:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(out.parent)))
