"""从表格导入党员: choose a spreadsheet, see what it would add and change and every problem by row
and column, then import the valid rows (one transaction) or cancel; nothing is written before."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain import idnumber
from ...services import imports
from ...services.errors import ServiceError
from ...services.imports import ImportRow, MemberImportPreview
from ..context import AppContext
from ..forms import form_layout
from ..widgets import ErrorLabel, attempt, busy, table_view
from .dialog import member_holding_orgs
from .model import mask_phone

SPREADSHEETS = "表格文件 (*.xlsx *.csv);;Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)"
# Personal data is masked in lists (design.md §9); the problem list shows cells as the file has them.
_MASKED = {"身份证号": idnumber.mask, "联系电话": mask_phone}

Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """Read-only text rows under fixed headers (a preview can hold thousands of rows)."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


def _table(model: RowsModel, widths: Sequence[int]) -> QTableView:
    view = table_view(model)
    for i, width in enumerate(widths):
        view.horizontalHeader().resizeSection(i, width)
    return view


def _masked(column: str, value: str) -> str:
    mask = _MASKED.get(column)
    return mask(value) if mask and value else value


def _day(value: object) -> str:
    return value.isoformat() if value is not None else ""  # type: ignore[attr-defined]


class ImportDialog(QDialog):
    """The import wizard on one page: branch (when the scope has several), file, preview, import.

    `choose_file(path)`, `save_problems(path)` and `import_rows()` are what its buttons do; given a
    path they ask no file dialog (tests drive them so). On import `added` and `updated` are set.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path: Path | None = None
        self.preview: MemberImportPreview | None = None
        self.added = self.updated = 0
        self.setWindowTitle(self.tr("从表格导入党员"))
        self.setMinimumSize(860, 560)

        form = form_layout()
        orgs = member_holding_orgs(ctx)
        self.org = QComboBox()
        self.org_label = QLabel()
        if len(orgs) == 1:
            self._fixed_org: int | None = orgs[0][1]
            self.org_label.setText(orgs[0][0].strip())
            self.org.hide()
            form.addRow(self.tr("导入到"), self.org_label)
        else:
            self._fixed_org = None
            self.org.addItem(self.tr("请选择导入到哪个支部"), None)
            for label, org_id in orgs:
                self.org.addItem(label, org_id)
            self.org.currentIndexChanged.connect(lambda _i: self._load())
            form.addRow(self.tr("导入到"), self.org)

        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.file_edit.setPlaceholderText(self.tr("请选择要导入的 .xlsx 或 .csv 文件"))
        self.choose_button = QPushButton(self.tr("选择文件…"))
        self.choose_button.setAutoDefault(False)  # Enter is for the dialog's own buttons
        self.choose_button.clicked.connect(lambda: self.choose_file())
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        form.addRow(self.tr("表格文件"), file_row)
        hint = QLabel(self.tr("第一行为列名，每行一名党员；可在“导入”菜单中下载模板。"
                              "导入前会先列出每个问题，确认后才写入。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        form.addRow("", hint)

        self.error = ErrorLabel()
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        self.problems_model = RowsModel([self.tr("行"), self.tr("列"), self.tr("值"), self.tr("问题")], self)
        self.new_model = RowsModel([self.tr("行"), self.tr("姓名"), self.tr("性别"), self.tr("出生日期"),
                                    self.tr("身份证号"), self.tr("人员类别"), self.tr("入党日期"),
                                    self.tr("联系电话")], self)
        self.updates_model = RowsModel([self.tr("行"), self.tr("姓名"), self.tr("字段"),
                                        self.tr("原值 → 新值")], self)
        self.problems_view = _table(self.problems_model, (56, 100, 180))
        self.new_view = _table(self.new_model, (56, 90, 50, 100, 170, 90, 100))
        self.updates_view = _table(self.updates_model, (56, 90, 100))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.problems_view, "")
        self.tabs.addTab(self.new_view, "")
        self.tabs.addTab(self.updates_view, "")

        self.include_updates = QCheckBox(self.tr("同时更新已有党员的信息"))
        self.include_updates.setChecked(True)
        self.include_updates.setToolTip(self.tr("不勾选时只新增党员，已有党员的信息保持不变"))
        self.include_updates.toggled.connect(lambda _on: self._update_buttons())
        self.saved_label = QLabel()
        self.saved_label.setObjectName("hint")
        self.saved_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        options = QHBoxLayout()
        options.addWidget(self.include_updates)
        options.addStretch(1)
        options.addWidget(self.saved_label)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(self.tr("导入有效行"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setProperty("primary", True)
        self.save_button = self.buttons.addButton(self.tr("保存问题清单…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.setToolTip(self.tr("把问题清单保存为 Excel 文件，改好表格后再导入"))
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.clicked.connect(self.import_rows)
        self.save_button.clicked.connect(lambda: self.save_problems())
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(options)
        layout.addWidget(self.buttons)
        self._show_preview()

    # The steps

    def org_id(self) -> int | None:
        return self._fixed_org if self._fixed_org is not None else self.org.currentData()

    def choose_file(self, path: Path | str | None = None) -> bool:
        """Preview `path` (asked for with a file dialog when None); False when none was chosen or
        it cannot be read (the message then shows here and another file can be chosen)."""
        if path is None:
            start = str(self.path.parent) if self.path else ""
            chosen, _filter = QFileDialog.getOpenFileName(self, self.tr("选择要导入的表格"), start,
                                                          self.tr(SPREADSHEETS))
            if not chosen:
                return False
            path = chosen
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self._load()
        return self.preview is not None

    def _load(self) -> None:
        """Preview the chosen file against the chosen branch; nothing is written."""
        self.preview = None
        self.error.show_messages([])
        self.saved_label.clear()
        org_id = self.org_id()
        if self.path is not None and org_id is None:
            self.error.show_messages([self.tr("请先选择导入到哪个支部")])
        elif self.path is not None:
            try:
                with busy():
                    self.preview = imports.preview_member_import(self.ctx.db, org_id, self.path)
            except ServiceError as exc:  # ImportFileError names the file and says why
                self.error.show_messages([str(exc)])
        self._show_preview()

    def _show_preview(self) -> None:
        p = self.preview
        self.problems_model.set_rows([(str(x.row), x.column, x.value, x.reason) for x in p.problems] if p else [])
        self.new_model.set_rows([self._new_line(r) for r in p.new] if p else [])
        self.updates_model.set_rows([line for r in p.updates for line in self._update_lines(r)] if p else [])
        counts = (len(p.problems), len(p.new), len(p.updates)) if p else (0, 0, 0)
        for i, (label, n) in enumerate(zip((self.tr("问题"), self.tr("新增"), self.tr("更新")), counts, strict=True)):
            self.tabs.setTabText(i, self.tr("{0}（{1}）").format(label, n))
        if p is None:
            self.summary.setText("" if self.path else self.tr(
                "选择文件后，这里列出将新增、更新的党员和发现的每一个问题。"))
        else:
            text = self.tr("共读取 {0} 行：新增 <b>{1}</b> / 更新 <b>{2}</b> / 已存在 <b>{3}</b> / "
                           "有问题 <b style='color:#d93025'>{4}</b>").format(
                p.rows_read, len(p.new), len(p.updates), len(p.present), p.rows_with_problems)
            if p.problems:
                text += self.tr("<br>有问题的 {0} 行（共 {1} 处）不会导入；"
                                "可保存问题清单，改好表格后重新导入。").format(p.rows_with_problems, len(p.problems))
            self.summary.setText(text)
            self.tabs.setCurrentIndex(0 if p.problems else 1 if p.new or not p.updates else 2)
            (self.import_button if self._rows_to_write() else self.choose_button).setFocus()
        self.include_updates.setEnabled(bool(p and p.updates))
        self._update_buttons()

    def _new_line(self, r: ImportRow) -> tuple[str, ...]:
        d = r.data
        return (str(r.row), d.name, d.gender, _day(d.birth_date), idnumber.mask(d.id_number),
                d.standing.label, _day(d.joined_on), mask_phone(d.phone) if d.phone else "")

    def _update_lines(self, r: ImportRow) -> list[tuple[str, ...]]:
        """One line per changed field; the row and name on the member's first line only."""
        empty = self.tr("（空）")
        return [(str(r.row) if i == 0 else "", r.data.name if i == 0 else "", label,
                 f"{_masked(label, old) or empty} → {_masked(label, new) or empty}")
                for i, (label, old, new) in enumerate(r.changes)]

    def _rows_to_write(self) -> int:
        p = self.preview
        if p is None:
            return 0
        return len(p.new) + (len(p.updates) if self.include_updates.isChecked() else 0)

    def _update_buttons(self) -> None:
        self.import_button.setEnabled(self._rows_to_write() > 0)
        self.save_button.setEnabled(bool(self.preview and self.preview.problems))

    def save_problems(self, path: Path | str | None = None) -> Path | None:
        """Save the problem list as .xlsx (asked for with a file dialog when `path` is None)."""
        if self.preview is None or not self.preview.problems:
            return None
        if path is None:
            assert self.path is not None
            suggested = self.path.with_name(self.tr("{0}-问题清单.xlsx").format(self.path.stem))
            chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("保存问题清单"), str(suggested),
                                                          self.tr("Excel 工作簿 (*.xlsx)"))
            if not chosen:
                return None
            path = chosen
        out = Path(path)
        if out.suffix.lower() != ".xlsx":
            out = out.with_name(out.name + ".xlsx")
        preview = self.preview
        with busy():
            saved = attempt(self, self.tr("未能保存问题清单"), lambda: imports.write_problem_report(preview, out))
        if not saved:
            return None
        self.saved_label.setText(self.tr("问题清单已保存：{0}").format(out))
        return out

    def import_rows(self) -> bool:
        """Write the valid rows in one transaction; report the counts and close. False (and the
        dialog stays) when there is nothing to import or the service refuses."""
        p, org_id = self.preview, self.org_id()
        if p is None or org_id is None or self._rows_to_write() == 0:
            return False
        include = self.include_updates.isChecked()
        result: list[tuple[int, int]] = []
        with busy():
            done = attempt(self, self.tr("导入未完成"),
                           lambda: result.append(imports.apply_member_import(self.ctx.db, org_id, p, include)))
        if not done:
            return False
        self.added, self.updated = result[0]
        self.ctx.notify_changed()
        lines = [self.tr("已导入到“{0}”：新增党员 {1} 名，更新 {2} 名。").format(p.org_name, self.added, self.updated)]
        if p.updates and not include:
            lines.append(self.tr("另有 {0} 名已有党员的信息有变化，未更新。").format(len(p.updates)))
        if p.present:
            lines.append(self.tr("{0} 名党员已存在且信息相同，未重复导入。").format(len(p.present)))
        if p.problems:
            lines.append(self.tr("{0} 行有问题，未导入。").format(p.rows_with_problems))
        QMessageBox.information(self, self.tr("导入完成"), "\n".join(lines))
        self.accept()
        return True
