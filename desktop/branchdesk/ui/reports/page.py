"""The 报表中心 page: pick a report, the period and (in the window's bar) the organization, see the
rows the file will hold, and export them to .xlsx off the UI thread; 汇总 adds up branches' files."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeySequence,
    QPainter,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from ...domain.honours import FIRST_YEAR
from ...domain.periods import Period, quarter_of
from ...services import organizations
from ..context import AppContext
from ..saving import save_target, tell_saved
from ..widgets import Freshness, table_view
from .model import SheetModel
from .worker import Job, reading

if TYPE_CHECKING:
    from ...services.exports import Options, Prepared, ReportInfo
    from .consolidation import ConsolidationDialog

# Options.show_full_ids is the roster's: the one report that lists ID numbers and phones.
PERSONAL_REPORTS = ("roster",)
_PERIOD_KINDS = (("year", "全年"), ("quarter", "季度"), ("month", "月份"))
_QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')  # not allowed (or awkward) in a Windows file name
_GREY = QColor("#6a737d")
_SELECTED = QColor("#fbe3e4")  # style.qss: the tables' selection
_RED = QColor("#c8161d")
_HOVER = QColor("#f3f4f6")
_SAMPLE_ROWS = 60  # rows measured for the preview's column widths


def file_name(text: str) -> str:
    """`text` made safe as a file name."""
    return _UNSAFE.sub("_", text).strip("_.") or "报表"


class ReportItem(QStyledItemDelegate):
    """A report in the list: its name in bold and, under it, its one-line description in grey."""

    _PAD = 6

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.92)
        return bold, small

    def _text(self, index: QModelIndex | QPersistentModelIndex) -> tuple[str, str]:
        return index.data(Qt.ItemDataRole.DisplayRole), index.data(Qt.ItemDataRole.ToolTipRole)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        bold, small = self._fonts(option)
        _label, description = self._text(index)
        # The list's width, not option.rect's: that is not always the item's own when asked.
        view = option.widget
        width = (view.viewport().width() if isinstance(view, QAbstractItemView) else 260) - 2 * self._PAD - 4
        height = QFontMetrics(bold).height() + QFontMetrics(small).boundingRect(
            QRect(0, 0, width, 1000), Qt.TextFlag.TextWordWrap, description).height()
        return QSize(width, height + 2 * self._PAD + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        bold, small = self._fonts(option)
        label, description = self._text(index)
        painter.save()
        if option.state & QStyle.StateFlag.State_Selected:  # as the tables' selection, with the nav's red edge
            painter.fillRect(option.rect, _SELECTED)
            painter.fillRect(option.rect.adjusted(0, 0, 3 - option.rect.width(), 0), _RED)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(option.rect, _HOVER)
        box = option.rect.adjusted(self._PAD + 4, self._PAD, -self._PAD, -self._PAD)
        painter.setFont(bold)
        painter.setPen(option.palette.text().color())
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, label)
        box.setTop(box.top() + QFontMetrics(bold).height() + 2)
        painter.setFont(small)
        painter.setPen(_GREY)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(
            Qt.TextFlag.TextWordWrap), description)
        painter.restore()


class ReportsPage(QWidget):
    """The preview is read on a worker thread whenever the report, period, options or data change
    (only the latest request is shown); 导出 writes exactly the rows previewed."""

    exported = Signal(object)  # the Path written
    previewed = Signal()  # a new preview is shown

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        from ...services import exports  # the report registry; openpyxl is loaded only when writing

        self.ctx = ctx
        self.reports: dict[str, ReportInfo] = exports.REPORTS
        self.today = dt.date.today()
        self.prepared: Prepared | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one job at a time: a preview, then an export
        self._preview_job: Job | None = None
        self._request = 0  # the number of the latest preview asked for
        self.export_job: Job | None = None
        self.progress: QProgressDialog | None = None

        title = QLabel(self.tr("报表中心"))
        title.setObjectName("pageTitle")
        self.report_list = QListWidget()
        self.report_list.setObjectName("reportList")
        self.report_list.setWordWrap(True)
        self.report_list.setFixedWidth(280)
        self.report_list.setItemDelegate(ReportItem(self.report_list))
        for info in self.reports.values():
            item = QListWidgetItem(info.label)
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            item.setToolTip(info.description)
            self.report_list.addItem(item)
        self.report_list.currentRowChanged.connect(self._report_changed)

        self.scope_label = QLabel()
        self.scope_label.setObjectName("hint")
        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, self.today.year + 1)
        self.year.setSuffix(self.tr(" 年"))
        self.year.setValue(self.today.year)
        self.period_kind = QComboBox()
        self.quarter = QComboBox()
        for number, name in enumerate(_QUARTERS, 1):
            self.quarter.addItem(self.tr(name), number)
        self.month = QComboBox()
        for number in range(1, 13):
            self.month.addItem(self.tr("{0}月").format(number), number)
        self.quarter.setCurrentIndex(quarter_of(self.today) - 1)
        self.month.setCurrentIndex(self.today.month - 1)
        # What the user picked (signals are blocked while the page sets them): kept from report to report.
        self._chosen_year: int | None = None
        self._chosen_kind: str | None = None
        self.year.valueChanged.connect(lambda year: setattr(self, "_chosen_year", year))
        self.full_ids = QCheckBox(self.tr("显示完整身份证号"))
        self.full_ids.setToolTip(self.tr("默认只显示身份证号和电话的前后几位；只在确需时勾选"))
        for signal in (self.year.valueChanged, self.quarter.currentIndexChanged, self.month.currentIndexChanged,
                       self.full_ids.toggled):
            signal.connect(self.refresh)
        self.period_kind.currentIndexChanged.connect(self._period_kind_changed)

        choices = QHBoxLayout()
        choices.addWidget(QLabel(self.tr("统计期间：")))
        for widget in (self.year, self.period_kind, self.quarter, self.month):
            choices.addWidget(widget)
        choices.addSpacing(16)
        choices.addWidget(self.full_ids)
        choices.addStretch(1)

        self.heading = QLabel()
        bold = self.heading.font()
        bold.setBold(True)
        self.heading.setFont(bold)
        # One table, its model switched by the sheet tabs: a report may have a sheet per branch.
        self.sheet_tabs = QTabBar()
        self.sheet_tabs.setDocumentMode(True)
        self.sheet_tabs.setExpanding(False)
        self.sheet_tabs.setUsesScrollButtons(True)
        self.sheet_tabs.currentChanged.connect(self._show_sheet)
        self.table = table_view(QStandardItemModel(self))
        self.table.horizontalHeader().setStretchLastSection(False)
        self._models: dict[int, SheetModel] = {}
        self.sheets = QWidget()
        sheets = QVBoxLayout(self.sheets)
        sheets.setContentsMargins(0, 0, 0, 0)
        sheets.setSpacing(0)
        sheets.addWidget(self.sheet_tabs)
        sheets.addWidget(self.table, 1)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.preview = QStackedWidget()
        self.preview.addWidget(self.sheets)
        self.preview.addWidget(self.hint)

        self.status = QLabel()
        self.status.setObjectName("hint")
        self.consolidate_button = QPushButton(self.tr("汇总各支部报表…"))
        self.consolidate_button.setToolTip(self.tr("把各支部报来的同一报表、同一期间的文件汇总为一张表"))
        self.consolidate_button.clicked.connect(lambda _checked=False: self.open_consolidation())
        self.export_button = QPushButton(self.tr("导出Excel…"))
        self.export_button.setProperty("primary", True)
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.setToolTip(self.tr("把预览中的报表导出为 Excel 文件（Ctrl+E）"))
        self.export_button.clicked.connect(lambda _checked=False: self.export())
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.consolidate_button)
        buttons.addWidget(self.export_button)

        right = QVBoxLayout()
        right.addWidget(self.scope_label)
        right.addLayout(choices)
        right.addWidget(self.heading)
        right.addWidget(self.preview, 1)
        right.addLayout(buttons)
        body = QHBoxLayout()
        body.addWidget(self.report_list)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(title)
        layout.addLayout(body, 1)
        self.setFocusProxy(self.report_list)

        self.freshness = Freshness(self, ctx, self.refresh)
        self.report_list.setCurrentRow(0)

    # Choices

    @property
    def report(self) -> str:
        item = self.report_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else next(iter(self.reports))

    def select_report(self, report: str) -> None:
        for row in range(self.report_list.count()):
            if self.report_list.item(row).data(Qt.ItemDataRole.UserRole) == report:
                self.report_list.setCurrentRow(row)
                return
        raise KeyError(report)

    def period(self) -> Period:
        kind = self.period_kind.currentData()
        year = self.year.value()
        if kind == "quarter":
            return Period(year, quarter=self.quarter.currentData())
        if kind == "month":
            return Period(year, month=self.month.currentData())
        return Period(year)

    def set_period(self, period: Period) -> None:
        """Show `period` in the choosers (its kind must be one the report allows)."""
        widgets = (self.year, self.period_kind, self.quarter, self.month)
        for widget in widgets:
            widget.blockSignals(True)
        self.year.setValue(period.year)
        self.period_kind.setCurrentIndex(max(self.period_kind.findData(period.kind), 0))
        if period.quarter is not None:
            self.quarter.setCurrentIndex(period.quarter - 1)
        if period.month is not None:
            self.month.setCurrentIndex(period.month - 1)
        for widget in widgets:
            widget.blockSignals(False)
        self._show_period_widgets()
        self.refresh()

    def _report_changed(self) -> None:
        """Offer the kinds of period the report allows, on the year and kind of period the user chose
        (until then, the report's default: evaluations are made for the year before)."""
        from ...services import exports

        info = self.reports[self.report]
        self.period_kind.blockSignals(True)
        self.period_kind.clear()
        for kind, label in _PERIOD_KINDS:
            if kind in info.periods:
                self.period_kind.addItem(self.tr(label), kind)
        self.period_kind.blockSignals(False)
        self.period_kind.setEnabled(self.period_kind.count() > 1)
        self.full_ids.setVisible(self.report in PERSONAL_REPORTS)
        self.full_ids.blockSignals(True)
        self.full_ids.setChecked(False)  # whole ID numbers only when asked for, each time (design.md §9)
        self.full_ids.blockSignals(False)
        default = exports.default_period(self.report, self.today)
        year = self._chosen_year or default.year
        kind = self._chosen_kind if self._chosen_kind in info.periods else default.kind
        self.set_period(Period(year, quarter=self.quarter.currentData() if kind == "quarter" else None,
                               month=self.month.currentData() if kind == "month" else None))

    def _period_kind_changed(self) -> None:
        self._chosen_kind = self.period_kind.currentData()
        self._show_period_widgets()
        self.refresh()

    def _show_period_widgets(self) -> None:
        kind = self.period_kind.currentData()
        self.quarter.setVisible(kind == "quarter")
        self.month.setVisible(kind == "month")

    def options(self) -> Options:
        from ...services.exports import Options

        return Options(show_full_ids=self.report in PERSONAL_REPORTS and self.full_ids.isChecked())

    # Preview

    def refresh(self) -> None:
        """Read the preview afresh for what is chosen now (on the worker thread)."""
        self.freshness.stale = False
        scope = self.ctx.scope_id
        self.prepared = None
        self.export_button.setEnabled(False)
        if scope is None:
            self._show_hint(self.tr("还没有党组织。请先在“组织”页面建立党组织。"))
            self.scope_label.setText("")
            return
        self.scope_label.setText(self.tr("统计范围：{0}（含下级组织；在窗口上方“当前组织”中切换）").format(
            organizations.get(self.ctx.db, scope).name))
        from ...services import exports

        if self._preview_job is not None:
            self._preview_job.cancel()  # not yet started: it never reads; else its rows are dropped
        self._request += 1
        request = self._request
        report, period, options, today = self.report, self.period(), self.options(), self.today
        self.status.setText(self.tr("正在读取数据…"))
        job = Job(self)
        job.succeeded.connect(lambda prepared: self._previewed(request, prepared))
        job.failed.connect(lambda message: self._preview_failed(request, message))
        job.crashed.connect(lambda _exc: self._preview_failed(request, self.tr("读取数据时出错，未能生成预览。")))
        self._preview_job = job.start(self.pool, reading(
            self.ctx.db_path, lambda db: exports.prepare(db, report, scope, period, today, options)))

    def _previewed(self, request: int, prepared: Prepared) -> None:
        if request != self._request:
            return  # the choices changed while it was read
        self.prepared = prepared
        keep = self.sheet_tabs.currentIndex()
        self._models.clear()
        self.sheet_tabs.blockSignals(True)
        while self.sheet_tabs.count():
            self.sheet_tabs.removeTab(0)
        for sheet in prepared.sheets:
            self.sheet_tabs.addTab(sheet.name)
        self.sheet_tabs.setCurrentIndex(keep if 0 <= keep < len(prepared.sheets) else 0)
        self.sheet_tabs.blockSignals(False)
        self.sheet_tabs.setVisible(len(prepared.sheets) > 1)
        self._show_sheet(self.sheet_tabs.currentIndex())
        self.heading.setText(prepared.report.title)
        self.preview.setCurrentWidget(self.sheets)
        rows = sum(len(s.rows) for s in prepared.sheets)
        self.status.setText(self.tr("预览与导出的文件内容相同（共 {0} 行）；带“自动计算”的格在 Excel 中按公式计算。")
                            .format(rows))
        self.export_button.setEnabled(True)
        self.previewed.emit()

    def _preview_failed(self, request: int, message: str) -> None:
        if request == self._request:
            self._show_hint(message)

    def _show_hint(self, text: str) -> None:
        self._models.clear()
        self.heading.setText("")
        self.hint.setText(text)
        self.preview.setCurrentWidget(self.hint)
        self.status.setText("")

    def sheet_model(self, index: int = 0) -> SheetModel:
        """The preview of the previewed report's sheet `index` (made when first asked for)."""
        assert self.prepared is not None
        if index not in self._models:
            self._models[index] = SheetModel(self.prepared.sheets[index], self)
        return self._models[index]

    def _show_sheet(self, index: int) -> None:
        if self.prepared is None or not 0 <= index < len(self.prepared.sheets):
            return
        model = self.sheet_model(index)
        self.table.setModel(model)
        # Widths from the headers and the first rows' text: measuring every row of 10,000 would
        # hold the window up.
        header = self.table.horizontalHeader()
        bold, plain = header.fontMetrics(), self.table.fontMetrics()
        for column in range(model.columnCount()):
            title = model.headerData(column, Qt.Orientation.Horizontal)
            width = max(bold.horizontalAdvance(line) for line in title.split("\n")) + 24
            for row in range(min(model.rowCount(), _SAMPLE_ROWS)):
                width = max(width, plain.horizontalAdvance(model.text(row, column)) + 16)
            self.table.setColumnWidth(column, min(max(width, 56), 320))

    # Export

    def suggested_name(self) -> str:
        """"2026年度党员花名册-办公室党支部.xlsx"."""
        assert self.prepared is not None
        report = self.prepared.report
        return file_name(f"{report.title}-{report.scope}") + ".xlsx"

    def export(self, path: Path | str | None = None) -> Job | None:
        """Write the previewed report to `path` (asked for when None) on the worker thread, with a
        progress dialog that can cancel it. The job, or None when nothing is to be written."""
        prepared = self.prepared
        if prepared is None or (self.export_job is not None and self.export_job.running):
            return None
        out = save_target(self, path, self.tr("导出Excel"), self.suggested_name(), self.tr("Excel 工作簿 (*.xlsx)"))
        if out is None:
            return None
        from ...services import exports

        progress = QProgressDialog(self.tr("正在导出 {0}…").format(out.name), self.tr("取消"), 0, 100, self)
        progress.setWindowTitle(self.tr("导出Excel"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)  # a quick export shows no dialog at all
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setValue(0)
        self.progress = progress
        job = Job(self)
        progress.canceled.connect(job.cancel)
        job.progressed.connect(lambda done, total: progress.setValue(int(100 * done / max(total, 1))))
        job.succeeded.connect(lambda written: self._exported(Path(written)))
        job.failed.connect(self._export_failed)
        job.cancelled.connect(self._export_cancelled)
        job.crashed.connect(lambda _exc: self._end_progress())
        self.export_job = job.start(
            self.pool, lambda report, cancelled: exports.write(prepared, out, report, cancelled))
        return job

    def _end_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _exported(self, out: Path) -> None:
        self._end_progress()
        self.status.setText(self.tr("已导出：{0}").format(out))
        self.exported.emit(out)
        tell_saved(self, self.tr("导出完成"), self.tr("已导出：{0}").format(out), out)

    def _export_failed(self, message: str) -> None:
        self._end_progress()
        self.status.setText(self.tr("未能导出"))
        QMessageBox.warning(self, self.tr("未能导出"), message)

    def _export_cancelled(self) -> None:
        self._end_progress()
        self.status.setText(self.tr("已取消导出，没有生成文件。"))

    # Consolidation

    def open_consolidation(self) -> ConsolidationDialog:
        from .consolidation import ConsolidationDialog

        dialog = ConsolidationDialog(self.ctx, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
