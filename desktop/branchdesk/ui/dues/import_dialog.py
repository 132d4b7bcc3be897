"""导入党费基数: choose a spreadsheet of the year's bases, see every problem by row and column and the
monthly amount each valid row gives, then import the valid rows (one transaction) or cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.dues import after_tax_base
from ...domain.members import DuesCategory, fen_to_yuan
from ...services import dues
from ...services.dues import BaseImport, BaseImportRow
from ...services.errors import ServiceError
from ..context import AppContext
from ..forms import form_layout
from ..members.dialog import member_holding_orgs
from ..members.import_dialog import SPREADSHEETS, RowsModel
from ..widgets import ErrorLabel, attempt, busy, table_view


class BaseImportDialog(QDialog):
    """Bases of `year` for the members of a branch (chosen when the scope has several).

    `choose_file(path)` and `import_rows()` are what its buttons do; given a path no file dialog
    is asked (tests drive them so). After an import `written` is the number of bases written.
    """

    def __init__(self, ctx: AppContext, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = year
        self.path: Path | None = None
        self.preview: BaseImport | None = None
        self.written = 0
        self.setWindowTitle(self.tr("导入{0}年党费基数").format(year))
        self.setMinimumSize(820, 520)

        form = form_layout()
        self.org = QComboBox()
        orgs = member_holding_orgs(ctx)
        if len(orgs) > 1:
            self.org.addItem(self.tr("请选择支部"), None)
        for label, org_id in orgs:
            self.org.addItem(label, org_id)
        self.org.currentIndexChanged.connect(lambda _i: self._load())
        form.addRow(self.tr("支部"), self.org)
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.file_edit.setPlaceholderText(self.tr("请选择要导入的 .xlsx 或 .csv 文件"))
        self.choose_button = QPushButton(self.tr("选择文件…"))
        self.choose_button.setAutoDefault(False)
        self.choose_button.clicked.connect(lambda: self.choose_file())
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        form.addRow(self.tr("表格文件"), file_row)
        hint = QLabel(self.tr("第一行为列名：姓名、身份证号、党费类别，党费基数（或应发工资、个税、扣除），"
                              "农民和其他类别填每月金额，生效月份（空白为1月）、备注。导入前先列出每个问题。"))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        form.addRow("", hint)

        self.error = ErrorLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems_model = RowsModel([self.tr("行"), self.tr("列"), self.tr("值"), self.tr("问题")], self)
        self.valid_model = RowsModel([self.tr("行"), self.tr("姓名"), self.tr("党费类别"), self.tr("基数"),
                                      self.tr("生效月份"), self.tr("月应交"), self.tr("说明")], self)
        self.problems_view = table_view(self.problems_model)
        self.valid_view = table_view(self.valid_model)
        for view, widths in ((self.problems_view, (56, 100, 180)), (self.valid_view, (56, 90, 110, 90, 80, 80))):
            for i, width in enumerate(widths):
                view.horizontalHeader().resizeSection(i, width)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.problems_view, "")
        self.tabs.addTab(self.valid_view, "")

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(self.tr("导入有效行"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setProperty("primary", True)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel).clicked.connect(self.reject)
        self.import_button.clicked.connect(self.import_rows)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self._show_preview()

    def org_id(self) -> int | None:
        return self.org.currentData()

    def choose_file(self, path: Path | str | None = None) -> bool:
        """Preview `path` (asked for when None); False when none was chosen or it cannot be read."""
        if path is None:
            start = str(self.path.parent) if self.path else ""
            chosen, _filter = QFileDialog.getOpenFileName(self, self.tr("选择党费基数表"), start, self.tr(SPREADSHEETS))
            if not chosen:
                return False
            path = chosen
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self._load()
        return self.preview is not None

    def _load(self) -> None:
        """Check the chosen file against the chosen branch; nothing is written."""
        self.preview = None
        self.error.show_messages([])
        org_id = self.org_id()
        if self.path is not None and org_id is None:
            self.error.show_messages([self.tr("请先选择支部")])
        elif self.path is not None:
            try:
                with busy():
                    self.preview = dues.import_bases(self.ctx.db, self.path, org_id, self.year)
            except ServiceError as exc:  # the file cannot be read at all: the message names it
                self.error.show_messages([str(exc)])
        self._show_preview()

    def _valid_line(self, r: BaseImportRow) -> tuple[str, ...]:
        d = r.data
        category = DuesCategory(d.category)
        if category in (DuesCategory.FARMER, DuesCategory.OTHER):
            figure = d.fixed_fen
        elif d.base_fen is None and d.gross_fen is not None:  # given as pay items
            figure = after_tax_base(d.gross_fen, d.tax_fen or 0, d.deductions_fen or 0)
        else:
            figure = d.base_fen
        return (str(r.row), r.name, category.label, fen_to_yuan(figure) if figure is not None else "",
                d.effective_from, fen_to_yuan(r.due_fen), self.tr("替换该月已有基数") if r.replaces else "")

    def _show_preview(self) -> None:
        p = self.preview
        self.problems_model.set_rows([(str(x.row), x.column, x.value, x.reason) for x in p.problems] if p else [])
        self.valid_model.set_rows([self._valid_line(r) for r in p.valid] if p else [])
        self.tabs.setTabText(0, self.tr("问题（{0}）").format(len(p.problems) if p else 0))
        self.tabs.setTabText(1, self.tr("将导入（{0}）").format(len(p.valid) if p else 0))
        if p is None:
            self.summary.setText("" if self.path else self.tr("选择文件后，这里列出将导入的基数和发现的每一个问题。"))
        else:
            text = self.tr("共读取 {0} 行：可导入 <b>{1}</b> / 有问题 <b style='color:#d93025'>{2}</b>").format(
                p.rows_read, len(p.valid), p.rows_with_problems)
            if p.problems:
                text += self.tr("<br>有问题的行不会导入；改好表格后可重新选择文件。")
            self.summary.setText(text)
            self.tabs.setCurrentIndex(0 if p.problems else 1)
        self.import_button.setEnabled(bool(p and p.valid))

    def import_rows(self) -> bool:
        """Write the valid rows in one transaction, say how many, and close (the page reloads on
        `accepted`); False when refused."""
        p, org_id = self.preview, self.org_id()
        if p is None or org_id is None or self.path is None or not p.valid:
            return False
        path = self.path
        result: list[BaseImport] = []
        with busy():
            done = attempt(self, self.tr("导入未完成"), lambda: result.append(dues.import_bases(
                self.ctx.db, path, org_id, self.year, dry_run=False, confirm_valid=True)))
        if not done:
            return False
        self.written = result[0].written
        lines = [self.tr("已导入 {0} 名党员的{1}年党费基数。").format(self.written, self.year)]
        if p.problems:
            lines.append(self.tr("{0} 行有问题，未导入。").format(p.rows_with_problems))
        QMessageBox.information(self, self.tr("导入完成"), "\n".join(lines))
        self.accept()
        return True
