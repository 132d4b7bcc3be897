"""The 民主评议 tab: one branch's ratings for one year, entered as a whole and saved in one go."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.honours import FIRST_YEAR, Rating
from ...domain.organization import OrgKind
from ...services import honours, organizations
from ...services.errors import ServiceError, ValidationError
from ..context import AppContext
from ..widgets import ErrorLabel, confirm
from .common import LazyTab, empty_state, export_excel
from .models import NAME, NOTE, RATING, RATINGS, STANDING, EvaluationModel, rating_summary

# Keys that rate the member on the current line: 1–4 or the pinyin initials of the rating
# (优 Y, 合 H, 基 J, 不 B); 0, Del and Backspace take the rating back off.
RATING_KEYS: dict[int, Rating | None] = {
    Qt.Key.Key_1: Rating.EXCELLENT, Qt.Key.Key_Y: Rating.EXCELLENT,
    Qt.Key.Key_2: Rating.QUALIFIED, Qt.Key.Key_H: Rating.QUALIFIED,
    Qt.Key.Key_3: Rating.BASICALLY_QUALIFIED, Qt.Key.Key_J: Rating.BASICALLY_QUALIFIED,
    Qt.Key.Key_4: Rating.UNQUALIFIED, Qt.Key.Key_B: Rating.UNQUALIFIED,
    Qt.Key.Key_0: None, Qt.Key.Key_Delete: None, Qt.Key.Key_Backspace: None,
}


class RatingDelegate(QStyledItemDelegate):
    """The 等次 cell's editor: the ratings in a list; picking one ends the edit."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.addItem(self.tr("未评定"), "")
        for rating in RATINGS:
            combo.addItem(rating.label, rating.value)
        combo.activated.connect(lambda _i: self._picked(combo))
        return combo

    def _picked(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(editor.findData(index.data(Qt.ItemDataRole.EditRole)), 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData())


class RatingTable(QTableView):
    """The sheet: a rating key on a line rates that member and moves on to the next one rated."""

    def sheet(self) -> EvaluationModel:
        model = self.model()
        assert isinstance(model, EvaluationModel)
        return model

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if (plain and index.isValid() and index.column() != NOTE and event.key() in RATING_KEYS
                and self.state() != QAbstractItemView.State.EditingState):
            self.rate(index.row(), RATING_KEYS[event.key()])
            event.accept()
            return
        super().keyPressEvent(event)

    def rate(self, row: int, rating: Rating | None) -> bool:
        """Rate the member on `row` (refused for a probationary member) and go to the next one."""
        sheet = self.sheet()
        if not sheet.set_rating(row, rating):
            return False
        following = next((r for r in range(row + 1, sheet.rowCount()) if sheet.ratable(r)), row)
        self.setCurrentIndex(sheet.index(following, RATING))
        return True


class EvaluationsTab(LazyTab):
    """民主评议: pick the year and a branch of the scope, rate its members, save the sheet."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.model = EvaluationModel(self)
        self._shown: tuple[int, int] | None = None  # (branch id, year) on the sheet
        self._year_set = False  # chosen once by default, then left to the user
        today = dt.date.today()

        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, today.year)
        self.year.setValue(today.year)
        self.year.setSuffix(self.tr(" 年度"))
        self.year.setKeyboardTracking(False)
        self.year.setFixedWidth(110)
        self.branch = QComboBox()
        self.branch.setMinimumContentsLength(14)
        self.branch.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.year.valueChanged.connect(self._choice_changed)
        self.branch.currentIndexChanged.connect(self._choice_changed)

        self.bulk_button = QPushButton(self.tr("全部设为合格"))
        self.bulk_button.setToolTip(self.tr("参加评定的党员全部设为合格，再逐个改出其他等次（保存后才写入）"))
        self.bulk_button.clicked.connect(lambda: self.set_all_qualified())
        self.revert_button = QPushButton(self.tr("还原"))
        self.revert_button.setToolTip(self.tr("放弃未保存的修改"))
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setProperty("primary", True)
        self.save_button.setToolTip(self.tr("保存本支部的评议结果（Ctrl+S）"))
        self.save_button.clicked.connect(self.save)
        self.export_button = QPushButton(self.tr("导出Excel"))
        self.export_button.setToolTip(self.tr("导出本组织（含下级支部）所选年度的民主评议结果汇总表"))
        self.export_button.clicked.connect(lambda: self.export())
        self.saved_label = QLabel()
        self.saved_label.setObjectName("hint")

        keys = QLabel(self.tr("快速录入：在一名党员的行上按 1 优秀、2 合格、3 基本合格、4 不合格"
                              "（或拼音首字母 Y、H、J、B），0 或 Del 清除，随即跳到下一人；双击“等次”可从列表选择。"))
        keys.setObjectName("hint")
        keys.setWordWrap(True)

        self.table = RatingTable()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(RATING, RatingDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, width in ((NAME, 110), (STANDING, 150), (RATING, 110)):
            header.resizeSection(column, width)
        self.empty_label, self.stack = empty_state()
        self.stack.insertWidget(0, self.table)

        self.summary = QLabel()
        self.warning = QLabel()
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.errors = ErrorLabel()

        choose = QHBoxLayout()
        choose.setSpacing(6)
        choose.addWidget(QLabel(self.tr("年度：")))
        choose.addWidget(self.year)
        choose.addSpacing(8)
        choose.addWidget(QLabel(self.tr("党支部：")))
        choose.addWidget(self.branch)
        choose.addStretch(1)
        choose.addWidget(self.saved_label)
        for b in (self.bulk_button, self.revert_button, self.save_button, self.export_button):
            choose.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(choose)
        layout.addWidget(keys)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.warning)
        layout.addWidget(self.errors)

        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.model.dataChanged.connect(lambda *_: self._sheet_changed())
        self.setFocusProxy(self.table)

    # Loading

    def reload(self) -> None:
        """Read the branches of the scope and the sheet again; unsaved edits to the same sheet stay."""
        scope = self.ctx.scope_id
        branches = [o for _depth, o in organizations.outline(self.ctx.db, scope)
                    if o.kind is OrgKind.BRANCH] if scope is not None else []
        keep = self._shown[0] if self._shown else None
        self.branch.blockSignals(True)
        self.branch.clear()
        for org in branches:
            self.branch.addItem(org.name, org.id)
        self.branch.setCurrentIndex(max(self.branch.findData(keep), 0))
        self.branch.blockSignals(False)
        branch = self.branch.currentData()
        if not self._year_set and branch is not None:
            # The evaluation of a year is held early the next year: this year only once begun.
            this_year = dt.date.today().year
            begun = any(e.rating for e in honours.evaluation_sheet(self.ctx.db, branch, this_year))
            self.year.blockSignals(True)
            self.year.setValue(this_year if begun else this_year - 1)
            self.year.blockSignals(False)
            self._year_set = True
        self._load_sheet()

    def _load_sheet(self) -> None:
        branch, year = self.branch.currentData(), self.year.value()
        edits = self.model.edits() if self._shown == (branch, year) else {}
        self._shown = (branch, year) if branch is not None else None
        entries = honours.evaluation_sheet(self.ctx.db, branch, year) if branch is not None else []
        self.model.set_sheet(entries, edits)
        if self.ctx.scope_id is None:
            self.empty_label.setText(self.tr("还没有党组织。请先在“组织”页建立党组织。"))
        elif branch is None:
            self.empty_label.setText(self.tr("本组织下没有党支部。民主评议按党支部进行。"))
        else:
            self.empty_label.setText(self.tr("“{0}”{1}年度没有可参加评议的党员。").format(
                self.branch.currentText(), year))
        self.stack.setCurrentWidget(self.table if entries else self.empty_label)
        first = next((r for r in range(self.model.rowCount()) if self.model.ratable(r)), 0)
        if entries:
            self.table.setCurrentIndex(self.model.index(first, RATING))
        self.errors.show_messages([])
        self._sheet_changed()

    def _choice_changed(self) -> None:
        """Another year or branch: show its sheet, after asking when this one has unsaved edits."""
        if self._shown is not None and self.model.edits():
            branch, year = self._shown
            name = self.branch.itemText(max(self.branch.findData(branch), 0))
            if not confirm(self, self.tr("放弃修改"), self.tr(
                    "{0}{1}年度的评议结果有修改尚未保存，放弃这些修改吗？").format(name, year)):
                for widget in (self.year, self.branch):
                    widget.blockSignals(True)
                self.year.setValue(year)
                self.branch.setCurrentIndex(self.branch.findData(branch))
                for widget in (self.year, self.branch):
                    widget.blockSignals(False)
                return
        self.saved_label.clear()
        self._load_sheet()

    def _sheet_changed(self) -> None:
        """Update the count line, the one-third warning and the buttons to the sheet as it is."""
        ratings = self.model.ratings()
        self.summary.setText(rating_summary(ratings) if ratings else "")
        warnings = honours.evaluation_warnings([r for r in ratings if r is not None])
        self.warning.setText("⚠ " + "；".join(warnings))
        self.warning.setVisible(bool(warnings))
        edited = bool(self.model.edits())
        if edited:
            self.saved_label.clear()
        if self.model.first_problem() is None:
            self.errors.show_messages([])
        self.revert_button.setEnabled(edited)
        self.save_button.setEnabled(bool(ratings))
        self.bulk_button.setEnabled(any(self.model.ratable(r) for r in range(len(ratings))))
        self.export_button.setEnabled(self.ctx.scope_id is not None)

    # Actions

    def set_all_qualified(self) -> None:
        """Rate every member taking part 合格 (asking first when some have another rating)."""
        rows = [r for r in range(self.model.rowCount()) if self.model.ratable(r)]
        others = [r for r in rows if self.model.rows[r].rating not in (None, Rating.QUALIFIED)]
        if others and not confirm(self, self.tr("全部设为合格"), self.tr(
                "已有 {0} 名党员评为其他等次，也都改为合格吗？").format(len(others))):
            return
        for r in rows:
            self.model.set_rating(r, Rating.QUALIFIED)

    def revert(self) -> None:
        self._shown = None  # forget the edits
        self._load_sheet()

    def save(self) -> bool:
        """Save the whole sheet in one go; a refusal names the members and keeps the edits."""
        if self._shown is None or not self.model.rows:
            return False
        branch, year = self._shown
        try:
            honours.save_evaluations(self.ctx.db, branch, year, self.model.entries())
        except ValidationError as exc:
            self.errors.show_messages([e.message for e in exc.errors])
            row = self.model.first_problem()
            if row is not None:
                column = NOTE if self.model.rows[row].rating is Rating.UNQUALIFIED else RATING
                self.table.setCurrentIndex(self.model.index(row, column))
                self.table.setFocus()
            return False
        except ServiceError as exc:
            self.errors.show_messages([str(exc)])
            return False
        self.ctx.notify_changed()
        self.saved_label.setText(self.tr("已保存"))
        return True

    def export(self) -> Path | None:
        if self.model.edits():
            QMessageBox.information(self, self.tr("导出Excel"), self.tr("评议结果有修改尚未保存，请先保存再导出。"))
            return None
        year = self.year.value()
        return export_excel(self, self.ctx, "evaluations", year, self.tr("民主评议结果汇总表_{0}.xlsx").format(year))
