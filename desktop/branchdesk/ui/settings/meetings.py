"""Settings › 会议与学时: how often each kind of meeting is required, and the yearly study hours."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QSpinBox

from ...domain.activities import (
    DEFAULT_RULES,
    PERS,
    ActivityKind,
    ActivityRules,
    Requirement,
    format_hours,
)
from ...services import activities
from ..context import AppContext
from ..forms import form_layout
from .common import SettingsGroup, hint

PER_LABELS = {"month": "每月", "quarter": "每季度", "year": "每年"}
# Where each default comes from, shown beside it (domain/activities.py cites the same articles).
_BRANCH_RULES = "《中国共产党支部工作条例（试行）》第十五条"
SOURCES = {
    ActivityKind.GENERAL_MEETING: _BRANCH_RULES,
    ActivityKind.COMMITTEE_MEETING: _BRANCH_RULES,
    ActivityKind.GROUP_MEETING: _BRANCH_RULES,
    ActivityKind.LECTURE: _BRANCH_RULES + "；各地另有规定的从其规定",
    ActivityKind.THEME_DAY: "《中国共产党党员教育管理工作条例》第十六条",
    ActivityKind.LIFE_MEETING: "《中国共产党党员教育管理工作条例》第十七条",
    ActivityKind.EVALUATION_MEETING: "《中国共产党党员教育管理工作条例》第十八条",
}
_NONE = Requirement(0, "year")
HOURS_SOURCE = "《中国共产党党员教育管理工作条例》第二十条；《2019—2023年全国党员教育培训工作规划》"
# Kinds that may be required: those with a rule, then the study kinds a local rule may add.
KINDS = [*DEFAULT_RULES.required, *(k for k in ActivityKind if k not in DEFAULT_RULES.required
                                    and k is not ActivityKind.OTHER)]


def _hours_box() -> QDoubleSpinBox:
    """学时 to a tenth, as the rules keep them."""
    box = QDoubleSpinBox()
    box.setDecimals(1)
    box.setRange(0, 999)
    box.setSuffix(" 学时")
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    box.setFixedWidth(140)
    return box


def _default_text(kind: ActivityKind) -> str:
    found = DEFAULT_RULES.required.get(kind)
    return f"默认{found.label}" if found and found.count else "默认不作要求"


class MeetingRulesGroup(SettingsGroup):
    """Per kind: at least N per month / quarter / year (0: not required); the 党小组会 count is per group.
    Then the yearly study hours; a refusal by the service (`rules`) shows on the general line."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        for column, text in enumerate((self.tr("会议或活动"), self.tr("周期"), self.tr("至少"), self.tr("默认与依据"))):
            heading = QLabel(text)
            heading.setStyleSheet("font-weight: bold;")
            grid.addWidget(heading, 0, column)
        self.pers: dict[ActivityKind, QComboBox] = {}
        self.counts: dict[ActivityKind, QSpinBox] = {}
        for row, kind in enumerate(KINDS, start=1):
            name = QLabel(kind.label + (self.tr("（每个党小组）") if kind is ActivityKind.GROUP_MEETING else ""))
            per = QComboBox()
            for value in PERS:
                per.addItem(self.tr(PER_LABELS[value]), value)
            count = QSpinBox()
            count.setRange(0, 31)
            count.setSuffix(self.tr(" 次"))
            count.setSpecialValueText(self.tr("不要求"))
            count.setMinimumWidth(96)
            per.setObjectName(f"per_{kind.value}")
            count.setObjectName(f"count_{kind.value}")
            self.pers[kind], self.counts[kind] = per, count
            source = SOURCES.get(kind, self.tr("各单位自行规定"))
            grid.addWidget(name, row, 0)
            grid.addWidget(per, row, 1)
            grid.addWidget(count, row, 2)
            grid.addWidget(hint(f"{_default_text(kind)}；{source}"), row, 3)
        grid.setColumnStretch(3, 1)
        self.add(grid)

        self.member_hours = _hours_box()
        self.committee_hours = _hours_box()
        hours = form_layout()
        hours.addRow(self.tr("党员每年学时："), self.form.field("member_hours", self.member_hours, hint(
            self.tr("默认 {0} 学时；{1}").format(format_hours(DEFAULT_RULES.member_hours_tenths), HOURS_SOURCE))))
        hours.addRow(self.tr("书记、支委每年学时："), self.form.field("committee_hours", self.committee_hours, hint(
            self.tr("默认 {0} 学时；同上").format(format_hours(DEFAULT_RULES.committee_hours_tenths)))))
        self.add(hours)
        self.load()

    def _show(self, rules: ActivityRules) -> None:
        for kind in KINDS:
            # A kind not required shows the period of its default rule (a year for the study kinds).
            found = rules.required.get(kind) or Requirement(0, DEFAULT_RULES.required.get(kind, _NONE).per)
            self.pers[kind].setCurrentIndex(PERS.index(found.per))
            self.counts[kind].setValue(found.count)
        self.member_hours.setValue(rules.member_hours_tenths / 10)
        self.committee_hours.setValue(rules.committee_hours_tenths / 10)

    def load(self) -> None:
        self._show(activities.load_rules(self.ctx.db))

    def defaults(self) -> None:
        self._show(DEFAULT_RULES)

    def rules(self) -> ActivityRules:
        """The rules the fields hold (after `check` found nothing wrong)."""
        required = {kind: Requirement(self.counts[kind].value(), self.pers[kind].currentData(),
                                      kind is ActivityKind.GROUP_MEETING)
                    for kind in KINDS if self.counts[kind].value()}
        return ActivityRules(required, round(self.member_hours.value() * 10), round(self.committee_hours.value() * 10))

    def store(self) -> None:
        activities.save_rules(self.ctx.db, self.rules())
