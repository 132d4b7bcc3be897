"""The 欠缴 tab: members who owe dues for months that have ended, the longest run unpaid first;
highlighted at 3 months owed, red with the 自行脱党 warning at 5 consecutive months (党章 art. 9)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QModelIndex, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ...domain.members import fen_to_yuan
from ...services import dues
from ...services.dues import Arrear
from ..context import AppContext
from ..honours.common import empty_state
from ..honours.models import Column, RecordModel
from ..widgets import Freshness, table_view
from . import clock

_T = "DuesArrears"
_WARN = (QColor("#fff1cc"), QColor("#7a5200"))
_DANGER = (QColor("#fde4e3"), QColor("#b3261e"))


def _tr(text: str) -> str:
    return QCoreApplication.translate(_T, text)


def _month_text(month: str) -> str:
    return _tr("{0}年{1}月").format(month[:4], int(month[5:])) if month else ""


def advice(a: Arrear, rules: dues.DuesRules) -> str:
    """What the secretary should know about the member's arrears."""
    if a.level == "danger":
        return _tr("已连续 {0} 个月未交党费。党章第九条：连续{1}个月不交纳党费，又没有正当理由，"
                   "即被认为是自行脱党。请及时谈话提醒").format(a.consecutive, rules.lapse_months)
    if a.level == "warn":
        return _tr("已欠缴 {0} 个月，请提醒补交").format(a.months_owed)
    return ""


ARREAR_COLUMNS: tuple[Column[Arrear], ...] = (
    Column(QT_TRANSLATE_NOOP(_T, "姓名"), lambda a: a.name, lambda a: a.name, 80),
    Column(QT_TRANSLATE_NOOP(_T, "所在支部"), lambda a: a.branch_name, lambda a: a.branch_name, 176, tip=True),
    Column(QT_TRANSLATE_NOOP(_T, "欠缴月数"), lambda a: str(a.months_owed), lambda a: a.months_owed, 76, True),
    Column(QT_TRANSLATE_NOOP(_T, "连续未交"), lambda a: str(a.consecutive), lambda a: a.consecutive, 76, True),
    Column(QT_TRANSLATE_NOOP(_T, "最早欠缴"), lambda a: _month_text(a.first_owed), lambda a: a.first_owed, 96, True),
    Column(QT_TRANSLATE_NOOP(_T, "欠缴金额（元）"), lambda a: fen_to_yuan(a.owed_fen), lambda a: a.owed_fen, 110,
           True),
)


class ArrearsModel(RecordModel[Arrear]):
    """Arrears, with a last column of advice; the row coloured by its level."""

    def __init__(self, parent: QObject | None = None) -> None:
        columns = (*ARREAR_COLUMNS, Column(QT_TRANSLATE_NOOP(_T, "提示"), self._advice, self._advice, 400,
                                           tip=True, stretch=True))
        super().__init__(columns, lambda a: a.member_id, parent)
        self.rules = dues.DuesRules()

    def _advice(self, a: Arrear) -> str:
        return advice(a, self.rules)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            level = self.record_at(index.row()).level
            colours = _DANGER if level == "danger" else _WARN if level == "warn" else None
            if colours is not None:
                return colours[0] if role == Qt.ItemDataRole.BackgroundRole else colours[1]
        return super().data(index, role)


class ArrearsTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.model = ArrearsModel(self)
        self.table = table_view(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for i, column in enumerate(self.model.columns):
            header.resizeSection(i, column.width)
        self.table.setSortingEnabled(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.empty_label, self.stack = empty_state()
        self.stack.insertWidget(0, self.table)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self.setFocusProxy(self.table)
        self.freshness = Freshness(self, ctx, self.reload)

    def reload(self) -> None:
        scope = self.ctx.scope_id
        self.model.rules = dues.load_rules(self.ctx.db)
        found = dues.arrears(self.ctx.db, scope, clock.today()) if scope is not None else []
        self.model.set_records(found)
        self.table.setColumnHidden(1, len({a.branch_id for a in found}) <= 1)  # one branch: no column repeating it
        self.stack.setCurrentWidget(self.table if found else self.empty_label)
        self.empty_label.setText(self.tr("没有欠缴党费的党员。") if scope is not None
                                 else self.tr("还没有党组织。请先在“组织”页建立党组织。"))
        if found:
            danger = sum(1 for a in found if a.level == "danger")
            warn = sum(1 for a in found if a.level == "warn")
            self.summary.setText(self.tr(
                "{0} 名党员有已到期未交的党费，合计 {1} 元；欠缴 {2} 个月以上的 {3} 人（黄色），"
                "连续 {4} 个月以上未交的 {5} 人（红色）。本月尚未到期，不计入。").format(
                len(found), fen_to_yuan(sum(a.owed_fen for a in found)), self.model.rules.warn_months, warn,
                self.model.rules.danger_months, danger))
        else:
            self.summary.setText("")
