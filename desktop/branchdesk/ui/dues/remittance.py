"""The 上缴 tab: dues handed over to the 机关党工委 (records with period, amount, date, receipt), and
the year's totals: due, collected, remitted and the collection rate, by month and by branch."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...domain.members import fen_to_yuan
from ...services import dues
from ...services.dues import BranchDues, DuesMonth, Remittance
from ..context import AppContext
from ..honours.common import empty_state
from ..honours.models import Column, RecordModel
from ..members.dialog import member_holding_orgs
from ..widgets import Freshness, attempt, confirm, table_view
from . import clock
from .dialogs import RemittanceDialog

_T = "DuesRemittance"


REMITTANCE_COLUMNS: tuple[Column[Remittance], ...] = (
    Column(QT_TRANSLATE_NOOP(_T, "上缴日期"), lambda r: r.remitted_on.isoformat(), lambda r: r.remitted_on, 96, True),
    Column(QT_TRANSLATE_NOOP(_T, "支部"), lambda r: r.org_name, lambda r: r.org_name, 176, tip=True),
    Column(QT_TRANSLATE_NOOP(_T, "所属期间"), lambda r: r.period_label, lambda r: (r.period_from, r.period_to), 150,
           True),
    Column(QT_TRANSLATE_NOOP(_T, "金额（元）"), lambda r: fen_to_yuan(r.amount_fen), lambda r: r.amount_fen, 96, True),
    Column(QT_TRANSLATE_NOOP(_T, "收据号"), lambda r: r.receipt_no, lambda r: r.receipt_no, 120, tip=True),
    Column(QT_TRANSLATE_NOOP(_T, "备注"), lambda r: r.note, lambda r: r.note, 200, tip=True, stretch=True),
)


# A totals row: label, due, collected, remitted, and the collection rate (None: nothing due yet).
Totals = tuple[str, int, int, int, float | None]


def _rate_text(rate: float | None) -> str:
    return f"{rate * 100:.1f}%" if rate is not None else "—"


class TotalsModel(RecordModel[Totals]):
    """Totals rows, the last one (全年 / 合计) in bold."""

    def __init__(self, first_title: str, parent: QObject | None = None) -> None:
        columns: tuple[Column[Totals], ...] = (
            Column(first_title, lambda t: t[0], lambda t: t[0], 150, tip=True),
            Column(QT_TRANSLATE_NOOP(_T, "应交（元）"), lambda t: fen_to_yuan(t[1]), lambda t: t[1], 96, True),
            Column(QT_TRANSLATE_NOOP(_T, "实交（元）"), lambda t: fen_to_yuan(t[2]), lambda t: t[2], 96, True),
            Column(QT_TRANSLATE_NOOP(_T, "收缴率"), lambda t: _rate_text(t[4]), lambda t: t[4] or 0, 70, True),
            Column(QT_TRANSLATE_NOOP(_T, "已上缴（元）"), lambda t: fen_to_yuan(t[3]) if t[3] else "", lambda t: t[3],
                   96, True, stretch=True),
        )
        super().__init__(columns, lambda t: 0, parent)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() and index.row() == self.rowCount() - 1:
            font = QFont()
            font.setBold(True)
            return font
        return super().data(index, role)


def collection_rate(months: list[DuesMonth]) -> float | None:
    """Collected over due for the months begun (a month still to come has a rate of None): paying
    ahead does not lift the rate, a month not yet come does not lower it."""
    begun = [m for m in months if m.rate is not None]
    due = sum(m.due_fen for m in begun)
    return sum(m.paid_fen for m in begun) / due if due > 0 else None


def month_rows(months: list[DuesMonth], records: list[Remittance], year: int) -> list[Totals]:
    """A row per month and one for the year; a remittance counts in the month its period ends."""
    remitted = [0] * 12
    for r in records:
        if r.period_to[:4] == str(year):
            remitted[int(r.period_to[5:]) - 1] += r.amount_fen
    rows: list[Totals] = [(QCoreApplication.translate(_T, "{0}月").format(i + 1), m.due_fen, m.paid_fen, remitted[i],
                           m.rate) for i, m in enumerate(months)]
    rows.append((QCoreApplication.translate(_T, "全年"), sum(r[1] for r in rows), sum(r[2] for r in rows),
                 sum(remitted), collection_rate(months)))
    return rows


def branch_rows(branches: list[BranchDues]) -> list[Totals]:
    rows: list[Totals] = [(b.branch_name, b.due_fen, b.paid_fen, b.remitted_fen, collection_rate(b.months))
                          for b in branches]
    every = [m for b in branches for m in b.months]
    rows.append((QCoreApplication.translate(_T, "合计"), sum(r[1] for r in rows), sum(r[2] for r in rows),
                 sum(r[3] for r in rows), collection_rate(every)))
    return rows


class RemittanceTab(QWidget):
    def __init__(self, ctx: AppContext, year: QComboBox) -> None:
        super().__init__()
        self.ctx = ctx
        self.year = year
        self.model = RecordModel(REMITTANCE_COLUMNS, lambda r: r.id, self)
        self.table = table_view(self.model)
        header = self.table.horizontalHeader()
        for i, column in enumerate(REMITTANCE_COLUMNS):
            header.resizeSection(i, column.width)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.empty_label, self.stack = empty_state()
        self.stack.insertWidget(0, self.table)

        self.months_model = TotalsModel(QT_TRANSLATE_NOOP(_T, "月份"), self)
        self.branches_model = TotalsModel(QT_TRANSLATE_NOOP(_T, "支部"), self)
        self.months_table = table_view(self.months_model)
        self.branches_table = table_view(self.branches_model)
        for view, model in ((self.months_table, self.months_model), (self.branches_table, self.branches_model)):
            for i, column in enumerate(model.columns):
                view.horizontalHeader().resizeSection(i, column.width)
        self.months_table.horizontalHeader().resizeSection(0, 60)
        self.months_table.verticalHeader().setDefaultSectionSize(24)  # the year's 13 rows in view
        self.months_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.add_button = QPushButton(self.tr("登记上缴…"))
        self.add_button.setProperty("primary", True)
        self.add_button.setToolTip(self.tr("登记向上级党组织上缴党费：所属期间、金额、日期和收据号"))
        self.add_button.clicked.connect(lambda: self.add())
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.setToolTip(self.tr("删除所选上缴记录（Del），移入回收站"))
        self.delete_button.clicked.connect(lambda: self.delete_selected())
        QShortcut(QKeySequence.StandardKey.Delete, self.table, lambda: self.delete_selected(),
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.summary = QLabel()
        self.summary.setObjectName("hint")

        toolbar = QHBoxLayout()
        toolbar.addWidget(self.summary, 1)
        toolbar.addWidget(self.add_button)
        toolbar.addWidget(self.delete_button)
        records = QWidget()
        column = QVBoxLayout(records)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(_title(self.tr("上缴记录")))
        column.addWidget(self.stack, 1)
        totals = QWidget()
        row = QHBoxLayout(totals)
        row.setContentsMargins(0, 0, 0, 0)
        for title, view, stretch in ((self.tr("按月"), self.months_table, 0),
                                     (self.tr("各支部（全年）"), self.branches_table, 1)):
            box = QVBoxLayout()
            box.addWidget(_title(title))
            box.addWidget(view, 1)
            row.addLayout(box, stretch)
        self.months_table.setMinimumWidth(440)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(records)
        splitter.addWidget(totals)
        splitter.setSizes([170, 450])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(toolbar)
        layout.addWidget(splitter, 1)
        self.setFocusProxy(self.table)
        self.freshness = Freshness(self, ctx, self.reload)
        self.year.currentIndexChanged.connect(lambda _i: self.freshness.changed())
        self._update_actions()

    def selected_year(self) -> int:
        return int(self.year.currentData())

    def reload(self) -> None:
        scope, year = self.ctx.scope_id, self.selected_year()
        records = dues.remittances(self.ctx.db, scope, year) if scope is not None else []
        months = dues.monthly_collection(self.ctx.db, scope, year, clock.today()) if scope is not None else []
        branches = dues.branch_months(self.ctx.db, scope, year, clock.today()) if scope is not None else []
        self.model.set_records(records)
        self.stack.setCurrentWidget(self.table if records else self.empty_label)
        self.empty_label.setText(self.tr("{0}年还没有上缴记录。\n\n每季度末向上级党组织上缴党费后，"
                                         "点击“登记上缴…”记下期间、金额和收据号。").format(year))
        self.months_model.set_records(month_rows(months, records, year) if months else [])
        self.branches_model.set_records(branch_rows(branches) if branches else [])
        if months:
            due, paid = sum(m.due_fen for m in months), sum(m.paid_fen for m in months)
            remitted = sum(r.amount_fen for r in records)
            self.summary.setText(self.tr("{0}年 应交 {1} 元，实交 {2} 元，已到期月份收缴率 {3}；已上缴 {4} 元").format(
                year, fen_to_yuan(due), fen_to_yuan(paid), _rate_text(collection_rate(months)),
                fen_to_yuan(remitted)))
        else:
            self.summary.setText("")
        self._update_actions()

    def _update_actions(self) -> None:
        self.add_button.setEnabled(self.ctx.scope_id is not None)
        self.delete_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def add(self) -> RemittanceDialog | None:
        if self.ctx.scope_id is None:
            return None
        branches = [(name.strip(), org_id) for name, org_id in member_holding_orgs(self.ctx)]
        dialog = RemittanceDialog(self.ctx, self.ctx.scope_id, branches, self.selected_year(), clock.today(), self)
        dialog.accepted.connect(self.ctx.notify_changed)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def delete_selected(self, ask: Callable[[QWidget, str, str], bool] = confirm) -> bool:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return False
        r = self.model.record_at(rows[0].row())
        question = self.tr("删除“{0}”{1}的上缴记录（{2} 元）？\n\n"
                           "记录将移入回收站，可在“工具 › 回收站”中恢复。").format(
            r.org_name, r.period_label, fen_to_yuan(r.amount_fen))
        if not ask(self, self.tr("删除上缴记录"), question):
            return False
        if not attempt(self, self.tr("不能删除"), lambda: dues.delete_remittance(self.ctx.db, r.id)):
            return False
        self.ctx.notify_changed()
        return True


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold;")
    return label
