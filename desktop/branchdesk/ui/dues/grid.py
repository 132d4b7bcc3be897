"""The 收缴 tab: the year's members × months grid, where payments are recorded, bases set and months
exempted."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.dues import month_key, month_of
from ...domain.members import fen_to_yuan
from ...services import dues
from ...services.dues import GridRow
from ..context import AppContext
from ..honours.common import empty_state, export_excel
from ..widgets import Freshness, attempt, confirm
from . import clock
from .base_dialog import BaseDialog
from .dialogs import ExemptDialog, PaymentDialog
from .frozen import FrozenColumnTable
from .grid_model import BRANCH, FIRST_MONTH, STATE_LABELS, STATES, WIDTHS, DuesGridModel
from .import_dialog import BaseImportDialog

MONTH_WIDTH_MAX = 72  # wider month columns read no better


def legend() -> QWidget:
    """A line of the cell states: each mark on its own colour, named."""
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(4)
    title = QLabel(box.tr("图例："))
    title.setObjectName("hint")
    row.addWidget(title)
    rules = []
    for state, (mark, background, text) in STATES.items():
        sample = QLabel(mark or box.tr("未交"))
        sample.setObjectName(f"legend_{state}")
        sample.setAlignment(Qt.AlignmentFlag.AlignCenter)
        sample.setMinimumWidth(30)
        rules.append(f"QLabel#legend_{state} {{ background: {background.name()}; color: {text.name()}; }}")
        name = QLabel(box.tr(STATE_LABELS[state]))
        name.setObjectName("hint")
        row.addWidget(sample)
        row.addWidget(name)
        row.addSpacing(8)
    row.addStretch(1)
    # One style sheet for the line (a sheet per label costs a style pass each).
    box.setStyleSheet("QLabel[objectName^=\"legend_\"] { border: 1px solid #dfe2e6; padding: 1px 4px; }\n"
                      + "\n".join(rules))
    return box


class GridTab(QWidget):
    """One year of the scope's members: what each owed and paid, month by month.

    Enter, Space or a double-click on month cells records a payment for the months selected in
    that row; Del deletes the payment of the cell.
    """

    def __init__(self, ctx: AppContext, year: QComboBox) -> None:
        super().__init__()
        self.ctx = ctx
        self.year = year
        self.model = DuesGridModel(self)
        self.rows: list[GridRow] = []

        self.pay_action = self._action(self.tr("登记缴费…"), self.pay_selected,
                                       self.tr("为所选党员登记交纳所选月份的党费（回车、空格或双击月份格）"))
        self.pay_all_action = self._action(self.tr("本月全部已交…"), self.pay_month_for_all,
                                           self.tr("所选月份（或本月）未交的党员，一次全部按应交金额记为已交"))
        self.exempt_action = self._action(self.tr("免交…"), self.exempt_selected,
                                          self.tr("所选月份免交党费，须写明理由"))
        self.delete_action = self._action(self.tr("删除缴费记录"), self.delete_selected,
                                          self.tr("删除所选格子的缴费记录，或撤销其免交（Del）"))
        self.base_action = self._action(self.tr("党费基数…"), self.edit_base,
                                        self.tr("核定所选党员的党费类别和基数，计算月应交金额"))
        self.import_action = self._action(self.tr("导入基数…"), self.import_bases,
                                          self.tr("从表格导入本年度各党员的党费基数（年初核定）"))
        self.export_action = self._action(self.tr("导出收缴表…"), self.export,
                                          self.tr("导出所选年度的党费收缴明细表（Excel，按A4排好版，可直接打印）"))

        self.table = FrozenColumnTable()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setMinimumSectionSize(36)
        for column, width in enumerate(WIDTHS):
            header.resizeSection(column, width)
        self.table.copy_look()
        self.table.doubleClicked.connect(lambda _index: self.pay_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.table.selectionModel().currentChanged.connect(lambda *_: self._update_actions())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.addActions([self.pay_action, self.exempt_action, self.delete_action, self.base_action])
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            QShortcut(QKeySequence(key), self.table, self.pay_selected, context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence.StandardKey.Delete, self.table, self.delete_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.empty_label, self.stack = empty_state()
        self.stack.insertWidget(0, self.table)

        self.totals = QLabel()
        self.totals.setObjectName("hint")
        toolbar = QHBoxLayout()
        toolbar.setSpacing(6)
        toolbar.addWidget(self.totals, 1)
        buttons = [self._button(action) for action in (self.pay_action, self.pay_all_action, self.exempt_action,
                                                        self.delete_action, self.base_action,
                                                        self.import_action, self.export_action)]
        buttons[0].setProperty("primary", True)
        for button in buttons:
            toolbar.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(toolbar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(legend())
        self.setFocusProxy(self.table)
        self.freshness = Freshness(self, ctx, self.reload)
        self.year.currentIndexChanged.connect(lambda _i: self.freshness.changed())
        self._update_actions()

    def _action(self, text: str, slot: Callable[[], object], tip: str) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _button(self, action: QAction) -> QPushButton:
        button = QPushButton(action.text())
        button.setToolTip(action.toolTip())
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        action.changed.connect(lambda: button.setText(action.text()))  # 11月全部已交…, 撤销免交
        button.setEnabled(action.isEnabled())
        return button

    # Loading

    def selected_year(self) -> int:
        return int(self.year.currentData())

    def reload(self) -> None:
        """Read the year's grid again, keeping the cell the user was on."""
        current = self.table.currentIndex()
        keep = (self.model.rows[current.row()].member_id, current.column()) if current.isValid() else None
        scope = self.ctx.scope_id
        year = self.selected_year()
        self.rows = dues.year_grid(self.ctx.db, scope, year, clock.today()).rows if scope is not None else []
        self.model.set_rows(self.rows)
        # One branch in scope: every row would repeat its name.
        self.table.setColumnHidden(BRANCH, len({r.branch_name for r in self.rows}) <= 1)
        self._fit_months()
        if scope is None:
            empty = self.tr("还没有党组织。请先在“组织”页建立党组织。")
        else:
            empty = self.tr("本组织没有在册党员。")
        self.empty_label.setText(empty)
        self.stack.setCurrentWidget(self.table if self.rows else self.empty_label)
        self._show_totals()
        if keep is not None and (row := self.model.row_of(keep[0])) is not None:
            self.select_cells(row, [keep[1]], scroll=False)  # the view stays where the user left it
        elif self.rows:  # first shown: on this month (or January), so the keys work at once
            now = clock.today()
            self.select_cells(0, [FIRST_MONTH + (now.month - 1 if year == now.year else 0)], scroll=False)
        self._update_actions()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_months()

    def _fit_months(self) -> None:
        """Share the room the other columns leave among the months (never below their narrow width,
        so that a wide scope scrolls sideways under the frozen name column instead)."""
        header = self.table.horizontalHeader()
        others = sum(WIDTHS[c] for c in range(len(WIDTHS))
                     if not FIRST_MONTH <= c < FIRST_MONTH + 12 and not self.table.isColumnHidden(c))
        spare = self.table.viewport().width() - others
        # A paid month reads "补888.88": never narrower than that in the font in use.
        least = max(WIDTHS[FIRST_MONTH], self.table.fontMetrics().horizontalAdvance("补888.88") + 10)
        width = max(least, min(MONTH_WIDTH_MAX, spare // 12))
        for column in range(FIRST_MONTH, FIRST_MONTH + 12):
            header.resizeSection(column, width)

    def _show_totals(self) -> None:
        if not self.rows:
            self.totals.setText("")
            return
        paid = sum(r.paid_total_fen for r in self.rows)
        owed = sum(r.owed_fen for r in self.rows)
        owing = sum(1 for r in self.rows if r.owed_fen)
        self.totals.setText(self.tr("{0} 名党员　已交合计 {1} 元　欠缴 {2} 元（{3} 人）").format(
            len(self.rows), fen_to_yuan(paid), fen_to_yuan(owed), owing))

    # Selection

    def select_cells(self, row: int, columns: list[int], scroll: bool = True) -> None:
        """Select `columns` of `row` (the first one current), as a user's click and Shift+click do."""
        bars = (self.table.horizontalScrollBar(), self.table.verticalScrollBar())
        where = [bar.value() for bar in bars]
        selection = self.table.selectionModel()
        selection.clearSelection()
        for column in columns:
            selection.select(self.model.index(row, column), QItemSelectionModel.SelectionFlag.Select)
        index = self.model.index(row, columns[0])
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        if scroll:
            self.table.scrollTo(index)
        else:  # a new current cell scrolls to itself (autoScroll): back to where the view was
            for bar, value in zip(bars, where, strict=True):
                bar.setValue(value)

    def current_row(self) -> GridRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and self.model.rows else None

    def selected_months(self) -> list[str]:
        """The months selected in the current row, in order."""
        current = self.table.currentIndex()
        if not current.isValid():
            return []
        cells = {self.model.cell(i) for i in self.table.selectionModel().selectedIndexes()
                 if i.row() == current.row()} | {self.model.cell(current)}
        return sorted(c.month for c in cells if c is not None)

    def _update_actions(self) -> None:
        row = self.current_row()
        self.pay_action.setEnabled(row is not None)
        self.base_action.setEnabled(row is not None)
        self.exempt_action.setEnabled(row is not None and any(c.state == "unpaid" for c in row.cells))
        cell = self.model.cell(self.table.currentIndex())
        exempt = cell is not None and cell.state == "exempt"
        self.delete_action.setEnabled(cell is not None and (exempt or cell.payment_id is not None))
        self.delete_action.setText(self.tr("撤销免交") if exempt else self.tr("删除缴费记录"))
        self.pay_all_action.setEnabled(bool(self.rows))
        self.import_action.setEnabled(self.ctx.scope_id is not None)
        self.export_action.setEnabled(bool(self.rows))
        bulk = self._bulk_month()
        if bulk == month_of(clock.today()):
            self.pay_all_action.setText(self.tr("本月全部已交…"))
        else:
            self.pay_all_action.setText(self.tr("{0}月全部已交…").format(int(bulk[5:])))

    # Actions

    def _open(self, dialog: QDialog) -> QDialog:
        """Show `dialog` window-modal; when it saves, everything reloads (the grid on the same cell)."""
        dialog.accepted.connect(self.ctx.notify_changed)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def pay_selected(self) -> PaymentDialog | None:
        """Open the payment dialog for the current row with the selected months checked."""
        row = self.current_row()
        if row is None:
            return None
        dialog = PaymentDialog(self.ctx, row, self.selected_months(), clock.today(), self)
        self._open(dialog)
        return dialog

    def exempt_selected(self) -> ExemptDialog | None:
        row = self.current_row()
        if row is None or not any(c.state == "unpaid" for c in row.cells):
            return None
        months = self.selected_months()
        dialog = ExemptDialog(self.ctx, row, months[0] if months else None, clock.today(), self)
        self._open(dialog)
        return dialog

    def edit_base(self) -> BaseDialog | None:
        row = self.current_row()
        if row is None:
            return None
        dialog = BaseDialog(self.ctx, row.member_id, row.name, clock.today(), self)
        self._open(dialog)
        return dialog

    def import_bases(self) -> BaseImportDialog | None:
        """Open the import of the selected year's bases."""
        if self.ctx.scope_id is None:
            return None
        dialog = BaseImportDialog(self.ctx, self.selected_year(), self)
        self._open(dialog)
        return dialog

    def export(self) -> Path | None:
        year = self.selected_year()
        return export_excel(self, self.ctx, "dues", year, self.tr("党费收缴明细表_{0}.xlsx").format(year))

    def _bulk_month(self) -> str:
        """The month 本月全部已交 acts on: the one selected, else this month (December of a past year)."""
        months = self.selected_months()
        if months:
            return months[0]
        year, now = self.selected_year(), clock.today()
        return month_of(now) if year == now.year else month_key(year, 12 if year < now.year else 1)

    def pay_month_for_all(self, ask: Callable[[QWidget, str, str], bool] = confirm) -> int:
        """Mark the month paid for everyone who owes exactly its due amount, after `ask` confirms
        with the count; the number marked."""
        month = self._bulk_month()
        column = FIRST_MONTH + int(month[5:]) - 1
        owing = [r for r in self.rows if (c := r.cells[column - FIRST_MONTH]).state == "unpaid" and c.due_fen > 0]
        year, number = month.split("-")
        title = self.tr("{0}年{1}月全部已交").format(year, int(number))
        if not owing:
            QMessageBox.information(self, title, self.tr("{0}年{1}月没有未交的党员。").format(year, int(number)))
            return 0
        paid_on = clock.today()
        question = self.tr("把 {0} 名党员{1}年{2}月的党费按应交金额记为已交（交纳日期 {3}）？\n\n"
                           "应交合计 {4} 元。交了其他金额的人请逐一登记。").format(
            len(owing), year, int(number), paid_on.isoformat(), fen_to_yuan(sum(r.cells[column - FIRST_MONTH].due_fen
                                                                            for r in owing)))
        if not ask(self, title, question):
            return 0
        done: list[int] = []
        if not attempt(self, self.tr("未能登记"), lambda: done.append(
                dues.pay_month_for_all(self.ctx.db, self.ctx.scope_id, month, paid_on, today=paid_on))):
            return 0
        self.ctx.notify_changed()
        return done[0]

    def delete_selected(self, ask: Callable[[QWidget, str, str], bool] = confirm) -> bool:
        """Delete the payment of the current cell (every month it covered), or undo the cell's
        exemption, after `ask` confirms."""
        row, cell = self.current_row(), self.model.cell(self.table.currentIndex())
        if row is None or cell is None:
            return False
        if cell.state == "exempt":
            month = self.tr("{0}年{1}月").format(cell.month[:4], int(cell.month[5:]))
            if not ask(self, self.tr("撤销免交"), self.tr("撤销{0}{1}的免交（{2}）？撤销后该月为未交。").format(
                    row.name, month, cell.exempt_reason)):
                return False
            done = attempt(self, self.tr("不能撤销"),
                           lambda: dues.clear_exemption(self.ctx.db, row.member_id, cell.month))
        elif cell.payment_id is not None:
            payment = dues.get_payment(self.ctx.db, cell.payment_id)
            months = "、".join(self.tr("{0}年{1}月").format(m[:4], int(m[5:])) for m in payment.months)
            question = self.tr("删除{0}于 {1} 交纳的党费记录（{2}，{3} 元{4}）？\n\n"
                               "这笔缴费涵盖的月份都将变为未交；记录移入回收站，可在“工具 › 回收站”中恢复。").format(
                row.name, payment.paid_on.isoformat(), months, fen_to_yuan(payment.amount_fen + payment.extra_fen),
                self.tr("，收据号 {0}").format(payment.receipt_no) if payment.receipt_no else "")
            if not ask(self, self.tr("删除缴费记录"), question):
                return False
            done = attempt(self, self.tr("不能删除"), lambda: dues.delete_payment(self.ctx.db, payment.id))
        else:
            return False
        if done:
            self.ctx.notify_changed()
        return done
