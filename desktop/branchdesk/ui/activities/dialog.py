"""The dialog of one meeting or study session: its fields (those of its kind), the attendance of
the expected attendees, the minutes, and attachments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStringListModel, Qt, QUrl
from PySide6.QtGui import QBrush, QColor, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.activities import (
    ActivityData,
    ActivityKind,
    AttendanceStatus,
    format_hours,
    parse_hours,
)
from ...domain.fields import FieldError
from ...domain.organization import OrgKind
from ...services import activities, organizations
from ...services.errors import ServiceError
from ..context import AppContext
from ..forms import FormDialog, form_layout
from ..widgets import DateEdit
from .attendance import KEYED, AttendanceModel, AttendanceView, AttendeeLine

ATTACHMENT_KINDS = (("photo", "照片"), ("sign_in", "签到表扫描件"), ("file", "其他文件"))
_KIND_NAMES = dict(ATTACHMENT_KINDS)
_MISSING = QColor("#d93025")
_HINT = ("↑↓ 移动　1 出席　2 请假　3 缺席　4 列席　5 补学　空格 轮换　回车/F2 填写事由或补学日期　"
         "Shift/Ctrl+单击 多选后可批量设置")


def branch_choices(ctx: AppContext) -> list[tuple[str, int]]:
    """The branches (and 党总支) of the scope, or the branch a 党小组 in scope belongs to."""
    if ctx.scope_id is None:
        return []
    outline = organizations.outline(ctx.db, ctx.scope_id)
    found = [(o.name, o.id) for _depth, o in outline if o.kind in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)]
    if not found and outline and outline[0][1].kind is OrgKind.GROUP and outline[0][1].parent_id:
        parent = organizations.get(ctx.db, outline[0][1].parent_id)
        found = [(parent.name, parent.id)]
    return found


@dataclass
class _PendingFile:
    """A file chosen in the dialog, copied in when the activity is saved."""

    source: Path
    kind: str


def _line_edit(placeholder: str = "", max_length: int = 100) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    return edit


def _text_edit(placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    return edit


class ActivityDialog(FormDialog):
    """Record a meeting or study session (`activity` None) or edit one. The fields follow the kind
    (党课: lecturer; 党小组会: the group), the attendees follow the branch, kind, group and date."""

    def __init__(self, ctx: AppContext, activity: activities.Activity | None = None, *,
                 kind: ActivityKind | None = None, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(self._save, self._check, parent)
        self.ctx = ctx
        self.activity = activity
        self.today = today or dt.date.today()
        self.saved_id: int | None = activity.id if activity else None
        # The number is what `branchdesk export sign-in --meeting` takes.
        self.setWindowTitle(self.tr("编辑会议/活动（编号 {0}）").format(activity.id) if activity
                            else self.tr("新增会议/活动"))
        self._pending: list[_PendingFile] = []
        self._removed: set[int] = set()
        self._group_id: int | None = None  # the stored activity's, chosen once the groups are listed
        self._loading = True

        self._build_fields()
        self._build_attendance()
        self._build_minutes()
        self._build_attachments()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.attendance_tab, self.tr("出席情况"))
        self.tabs.addTab(self.minutes_tab, self.tr("议程与记录"))
        self.tabs.addTab(self.attachments_tab, self.tr("附件"))

        layout = QVBoxLayout(self)
        layout.addLayout(self.fields_grid)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

        for name, org_id in branch_choices(ctx):
            self.branch.addItem(name, org_id)
        if activity:
            self._load(activity)
        else:
            if kind is not None:
                self.kind.setCurrentIndex(self.kind.findData(kind.value))
            self.held_on.set_date_value(self.today)
        self._fill_groups()
        self._kind_changed()
        self._status_changed()
        self._loading = False
        if activity and activity.attendance:
            self._show_stored(activity)
        else:
            self.reload_attendees()
        self.branch.currentIndexChanged.connect(self._branch_changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.kind.currentIndexChanged.connect(self.reload_attendees)
        self.group.currentIndexChanged.connect(self.reload_attendees)
        self.status.currentIndexChanged.connect(self._status_changed)
        self.held_on.dateChanged.connect(self._date_changed)
        self.resize(980, 700)
        self.topic.setFocus()

    # Building

    def _build_fields(self) -> None:
        self.branch = QComboBox()
        self.kind = QComboBox()
        for k in ActivityKind:
            self.kind.addItem(k.label, k.value)
        self.status = QComboBox()
        self.status.addItem(self.tr("已召开"), "held")
        self.status.addItem(self.tr("计划（尚未召开）"), "planned")
        self.held_on = DateEdit()
        self.starts_at = _line_edit(self.tr("如 14:30"), 5)
        self.ends_at = _line_edit(self.tr("如 16:00"), 5)
        for edit in (self.starts_at, self.ends_at):
            edit.setFixedWidth(84)
        times = QWidget()
        row = QHBoxLayout(times)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.field("starts_at", self.starts_at))
        to = QLabel(self.tr("至"))
        to.setFixedHeight(self.starts_at.sizeHint().height())  # level with the fields, above their error lines
        row.addWidget(to, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.field("ends_at", self.ends_at))
        row.addStretch(1)
        self.place = _line_edit(self.tr("如：三楼党员活动室"))
        self.topic = _line_edit(self.tr("如：学习贯彻党的二十届四中全会精神"), 200)
        self.chair = _line_edit(self.tr("姓名"), 40)
        self.recorder = _line_edit(self.tr("姓名"), 40)
        self._names = QStringListModel(self)
        for edit in (self.chair, self.recorder):
            completer = QCompleter(self._names, edit)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
        self.group = QComboBox()
        self.group.setPlaceholderText(self.tr("党小组会时选择"))
        self.lecturer = _line_edit(self.tr("党课的授课人"), 40)
        self.leader = QCheckBox(self.tr("党员领导干部"))
        self.leader.setToolTip(self.tr("授课人是党员领导干部（年度统计中单列）"))
        lecturer = QWidget()
        row = QHBoxLayout(lecturer)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.lecturer, 1)
        row.addWidget(self.leader)
        self.hours = _line_edit(self.tr("如 2 或 1.5"), 6)
        self.hours.setFixedWidth(110)
        self.hours.setToolTip(self.tr("每名出席（或补学）的党员计入的学时"))

        left, right = form_layout(), form_layout()
        left.addRow(self.tr("所属支部："), self.field("branch", self.branch))
        left.addRow(self.tr("类型："), self.field("kind", self.kind))
        left.addRow(self.tr("状态："), self.field("activity_status", self.status))
        left.addRow(self.tr("日期："), self.field("held_on", self.held_on))
        left.addRow(self.tr("时间："), times)
        left.addRow(self.tr("地点："), self.field("place", self.place))
        right.addRow(self.tr("主题："), self.field("topic", self.topic))
        right.addRow(self.tr("主持人："), self.field("chair", self.chair))
        right.addRow(self.tr("记录人："), self.field("recorder", self.recorder))
        right.addRow(self.tr("党小组："), self.field("group_id", self.group))
        right.addRow(self.tr("授课人："), self.field("lecturer", lecturer))
        # The error outlines the name field (not the row with the check box), and typing clears it.
        self.form.widgets["lecturer"] = self.lecturer
        self.lecturer.textEdited.connect(lambda: self.form.mark("lecturer", []))
        right.addRow(self.tr("学时："), self.field("study_hours_tenths", self.hours))
        self.fields_grid = QGridLayout()
        self.fields_grid.setHorizontalSpacing(24)
        self.fields_grid.addLayout(left, 0, 0)
        self.fields_grid.addLayout(right, 0, 1)
        self.fields_grid.setColumnStretch(0, 2)
        self.fields_grid.setColumnStretch(1, 3)

    def _build_attendance(self) -> None:
        self.attendance = AttendanceModel(self)
        self.attendance.today = self.today
        self.table = AttendanceView(self.attendance)
        self.attendance.changed.connect(self._update_summary)
        self.all_present = QPushButton(self.tr("全部出席"))
        self.all_present.setToolTip(self.tr("把名单上每个人设为出席"))
        self.all_present.clicked.connect(
            lambda: self.attendance.set_status(list(range(self.attendance.rowCount())), AttendanceStatus.PRESENT))
        self.bulk = QPushButton(self.tr("所选设为"))
        self.bulk.setToolTip(self.tr("把选中的各行设为同一出席情况"))
        menu = QMenu(self.bulk)
        for number, status in enumerate(KEYED, 1):
            action = menu.addAction(f"{status.label}\t{number}")
            action.triggered.connect(lambda _c=False, s=status: self.set_selected(s))
        self.bulk.setMenu(menu)
        self.summary = QLabel()
        self.quorum = QLabel()
        self.quorum.setObjectName("warning")
        self.quorum.setWordWrap(True)
        self.quorum.hide()
        hint = QLabel(self.tr(_HINT))
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.attendees_note = QLabel()
        self.attendees_note.setObjectName("hint")
        self.add_observer_button = QPushButton(self.tr("添加列席…"))
        self.add_observer_button.setToolTip(self.tr("本支部不在应到名单中的党员列席会议（如支委会上的其他党员）"))
        self.add_observer_button.clicked.connect(lambda: self.add_observer())
        for b in (self.all_present, self.bulk, self.add_observer_button):
            b.setAutoDefault(False)  # Enter saves the dialog, whatever button was last pressed
        bar = QHBoxLayout()
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.all_present)
        bar.addWidget(self.bulk)
        bar.addWidget(self.add_observer_button)
        self.attendance_tab = QWidget()
        column = QVBoxLayout(self.attendance_tab)
        column.addLayout(bar)
        column.addWidget(self.quorum)
        column.addWidget(self.field("attendance", self.table), 1)
        column.addWidget(self.attendees_note)
        column.addWidget(hint)

    def _build_minutes(self) -> None:
        self.agenda = _text_edit(self.tr("一项一行，如：\n1. 传达学习……\n2. 讨论……"))
        self.minutes = _text_edit(self.tr("会议的主要内容、发言情况"))
        self.decisions = _text_edit(self.tr("会议作出的决议、决定"))
        self.note = _line_edit("", 500)
        form = form_layout()
        form.addRow(self.tr("议程："), self.field("agenda", self.agenda))
        form.addRow(self.tr("会议内容："), self.field("minutes", self.minutes))
        form.addRow(self.tr("决议决定："), self.field("decisions", self.decisions))
        form.addRow(self.tr("备注："), self.field("note", self.note))
        self.minutes_tab = QWidget()
        self.minutes_tab.setLayout(form)

    def _build_attachments(self) -> None:
        self.files = QListWidget()
        self.files.itemDoubleClicked.connect(lambda _item: self.open_attachment())
        self.files.currentRowChanged.connect(lambda _row: self._files_selection())
        add = QPushButton(self.tr("添加…"))
        add.setToolTip(self.tr("照片、签到表扫描件等，保存时复制到数据文件旁的附件文件夹"))
        menu = QMenu(add)
        for kind, label in ATTACHMENT_KINDS:
            action = menu.addAction(self.tr(label) + "…")
            action.triggered.connect(lambda _c=False, k=kind: self.add_attachment(kind=k))
        add.setMenu(menu)
        self.open_button = QPushButton(self.tr("打开"))
        self.open_button.clicked.connect(lambda: self.open_attachment())
        self.remove_button = QPushButton(self.tr("移除"))
        self.remove_button.clicked.connect(lambda: self.remove_attachment())
        buttons = QVBoxLayout()
        for b in (add, self.open_button, self.remove_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.attachments_tab = QWidget()
        row = QHBoxLayout(self.attachments_tab)
        row.addWidget(self.files, 1)
        row.addLayout(buttons)
        self._show_files()

    # Loading

    def _load(self, a: activities.Activity) -> None:
        d = a.data
        if self.branch.findData(d.org_id) < 0:  # recorded from a wider scope
            self.branch.addItem(a.branch_name, d.org_id)
        self.branch.setCurrentIndex(self.branch.findData(d.org_id))
        self.kind.setCurrentIndex(self.kind.findData(d.kind.value))
        self.status.setCurrentIndex(self.status.findData(d.status))
        self.held_on.set_date_value(d.held_on)
        self.starts_at.setText(d.starts_at)
        self.ends_at.setText(d.ends_at)
        self.place.setText(d.place)
        self.topic.setText(d.topic)
        self.chair.setText(d.chair)
        self.recorder.setText(d.recorder)
        self.lecturer.setText(d.lecturer)
        self.leader.setChecked(d.lecturer_is_leader)
        self.hours.setText(format_hours(d.study_hours_tenths) if d.study_hours_tenths else "")
        self.agenda.setPlainText(d.agenda)
        self.minutes.setPlainText(d.minutes)
        self.decisions.setPlainText(d.decisions)
        self.note.setText(d.note)
        self._group_id = d.group_id

    def _branch_id(self) -> int | None:
        return self.branch.currentData()

    def _kind(self) -> ActivityKind:
        return ActivityKind(self.kind.currentData())

    def _fill_groups(self) -> None:
        keep = self.group.currentData() if not self._loading else self._group_id
        self.group.blockSignals(True)
        self.group.clear()
        branch = self._branch_id()
        for g in organizations.groups_of(self.ctx.db, branch) if branch is not None else []:
            self.group.addItem(g.name, g.id)
        self.group.setCurrentIndex(self.group.findData(keep) if keep is not None else -1)
        self.group.blockSignals(False)

    def _branch_changed(self) -> None:
        self._fill_groups()
        self.reload_attendees()

    def _kind_changed(self) -> None:
        kind = self._kind()
        is_group, is_lecture = kind is ActivityKind.GROUP_MEETING, kind is ActivityKind.LECTURE
        self.group.setEnabled(is_group)
        if not is_group:
            self.group.setCurrentIndex(-1)
        elif self.group.currentIndex() < 0 and self.group.count() == 1:
            self.group.setCurrentIndex(0)
        self.lecturer.setEnabled(is_lecture)
        self.leader.setEnabled(is_lecture)
        if not is_lecture:
            self.lecturer.clear()
            self.leader.setChecked(False)
        self._update_summary()

    def _planned(self) -> bool:
        return self.status.currentData() == "planned"

    def _status_changed(self) -> None:
        planned = self._planned()
        for w in (self.table, self.all_present, self.bulk, self.add_observer_button):
            w.setEnabled(not planned)
        self._set_note()
        self._update_summary()

    def _date_changed(self, day: dt.date | None) -> None:
        self.attendance.set_held_on(day)
        if day is not None:
            self.reload_attendees()

    def _expected(self) -> list[activities.Attendee]:
        branch, kind = self._branch_id(), self._kind()
        if branch is None or (kind is ActivityKind.GROUP_MEETING and self.group.currentData() is None):
            return []
        return activities.expected_attendees(self.ctx.db, branch, kind, self.group.currentData(),
                                             self.held_on.date_value() or self.today)

    def reload_attendees(self) -> None:
        """List those the meeting now expects, keeping what was entered for anyone still on it
        (and the 列席 observers, who were never expected); newcomers start as present."""
        if self._loading:
            return
        kept = {line.member_id: line for line in self.attendance.lines}
        lines = []
        for person in self._expected():
            line = kept.pop(person.member_id, None)
            if line is None or line.status is AttendanceStatus.OBSERVER:
                line = AttendeeLine(person.member_id, person.name, person.voting, person.group_name)
            lines.append(line)
        lines += [line for line in kept.values() if line.status is AttendanceStatus.OBSERVER]
        self._set_lines(lines)

    def _show_stored(self, a: activities.Activity) -> None:
        self._set_lines([AttendeeLine(r.member_id, r.name, r.voting, r.group_name, r.status,
                                      r.reason, r.made_up_on) for r in a.attendance])

    def _set_lines(self, lines: list[AttendeeLine]) -> None:
        self.attendance.held_on = self.held_on.date_value()
        self.attendance.set_lines(lines)
        self._names.setStringList([line.name for line in lines])
        self._set_note()

    def _set_note(self) -> None:
        kind, lines = self._kind(), self.attendance.lines
        if self._planned():
            note = self.tr("计划中的会议：召开后再登记出席情况（状态改为“已召开”）。可先在会议列表中打印签到表。")
        elif self._branch_id() is None:
            note = self.tr("请先选择所属支部。")
        elif kind is ActivityKind.GROUP_MEETING and self.group.currentData() is None:
            note = self.tr("请先选择党小组，名单为该党小组的党员。")
        elif kind is ActivityKind.COMMITTEE_MEETING:
            note = self.tr("名单为会议当天在任的支部委员。")
        elif not lines:
            note = self.tr("会议当天本支部没有在册党员。")
        else:
            note = ""
        self.attendees_note.setText(note)
        self.attendees_note.setVisible(bool(note))

    # Attendance

    def observer_choices(self) -> list[activities.Attendee]:
        """The branch's members on the roll that day who are not on the list."""
        branch = self._branch_id()
        if branch is None:
            return []
        listed = {line.member_id for line in self.attendance.lines}
        roll = activities.expected_attendees(self.ctx.db, branch, ActivityKind.GENERAL_MEETING,
                                             on=self.held_on.date_value() or self.today)
        return [p for p in roll if p.member_id not in listed]

    def add_observer(self, member_id: int | None = None) -> bool:
        """Add a member of the branch (`member_id`, or one the user picks) to the list as 列席."""
        choices = self.observer_choices()
        if member_id is None:
            if not choices:
                QMessageBox.information(self, self.tr("添加列席"), self.tr("本支部的党员都已在名单中。"))
                return False
            labels = [f"{p.name}（{p.group_name}）" if p.group_name else p.name for p in choices]
            label, ok = QInputDialog.getItem(self, self.tr("添加列席"), self.tr("列席的党员："), labels, 0, False)
            if not ok:
                return False
            member_id = choices[labels.index(label)].member_id
        person = next((p for p in choices if p.member_id == member_id), None)
        if person is None:
            return False
        self._set_lines([*self.attendance.lines, AttendeeLine(person.member_id, person.name, person.voting,
                                                              person.group_name, AttendanceStatus.OBSERVER)])
        self.table.selectRow(self.attendance.rowCount() - 1)
        return True

    def set_selected(self, status: AttendanceStatus) -> None:
        self.attendance.set_status(self.table.selected_rows(), status)

    def _update_summary(self) -> None:
        counts = self.attendance.counts()
        expected = sum(n for s, n in counts.items() if s.expected)
        self.summary.setText(self.tr("应到 {0} 人：出席 {1}，请假 {2}，缺席 {3}，补学 {4}；列席 {5}").format(
            expected, counts[AttendanceStatus.PRESENT], counts[AttendanceStatus.LEAVE],
            counts[AttendanceStatus.ABSENT], counts[AttendanceStatus.MADE_UP], counts[AttendanceStatus.OBSERVER]))
        # The service's quorum rule (voting members on the roll that day); a warning, not a refusal.
        warnings = [] if self._loading or self._kind() is not ActivityKind.GENERAL_MEETING \
            or self._branch_id() is None or self.held_on.date_value() is None \
            else activities.warnings(self.ctx.db, self._data(), self.attendance.entries())
        warn = bool(warnings)
        if warn:
            self.quorum.setText(self.tr("{0}（可以保存）。").format("；".join(warnings)))
        self.quorum.setVisible(warn)

    # Attachments

    def _show_files(self) -> None:
        self.files.clear()
        stored = [f for f in (self.activity.attachments if self.activity else []) if f.id not in self._removed]
        for f in stored:
            text = f"[{self.tr(_KIND_NAMES.get(f.kind, f.kind))}] {f.original_name or f.path.name}"
            item = QListWidgetItem(text + (self.tr("　（文件缺失）") if f.missing else ""))
            if f.missing:
                item.setForeground(QBrush(_MISSING))
                item.setToolTip(self.tr("文件已不在附件文件夹中：{0}").format(f.path))
            else:
                item.setToolTip(str(f.path))
            item.setData(Qt.ItemDataRole.UserRole, ("stored", f.id))
            self.files.addItem(item)
        for i, p in enumerate(self._pending):
            item = QListWidgetItem(f"[{self.tr(_KIND_NAMES[p.kind])}] {p.source.name}" + self.tr("　（保存时添加）"))
            item.setToolTip(str(p.source))
            item.setData(Qt.ItemDataRole.UserRole, ("pending", i))
            self.files.addItem(item)
        self._files_selection()

    def _files_selection(self) -> None:
        chosen = self.files.currentItem() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _chosen_file(self) -> tuple[str, int] | None:
        item = self.files.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def add_attachment(self, source: Path | None = None, kind: str = "file") -> bool:
        """Add a file (`source`, or one the user picks); it is copied in when the dialog saves."""
        if source is None:
            filters = self.tr("照片和扫描件 (*.jpg *.jpeg *.png *.pdf *.ofd);;所有文件 (*)") if kind != "file" \
                else self.tr("所有文件 (*)")
            chosen, _filter = QFileDialog.getOpenFileName(self, self.tr("选择附件"), "", filters)
            if not chosen:
                return False
            source = Path(chosen)
        self._pending.append(_PendingFile(Path(source), kind))
        self._show_files()
        self.files.setCurrentRow(self.files.count() - 1)
        return True

    def _path_of(self, chosen: tuple[str, int]) -> tuple[Path, bool]:
        where, key = chosen
        if where == "pending":
            path = self._pending[key].source
            return path, not path.is_file()
        found = next(f for f in self.activity.attachments if f.id == key) if self.activity else None
        assert found is not None
        return found.path, not found.path.is_file()

    def open_attachment(self) -> bool:
        chosen = self._chosen_file()
        if chosen is None:
            return False
        path, missing = self._path_of(chosen)
        if missing:
            QMessageBox.warning(self, self.tr("文件缺失"), self.tr(
                "附件文件已不在原处：\n{0}\n\n可能已被移动或删除。可以移除这一项后重新添加。").format(path))
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            QMessageBox.warning(self, self.tr("无法打开附件"), self.tr("没有能打开此文件的程序：\n{0}").format(path))
            return False
        return True

    def remove_attachment(self) -> bool:
        """Take the chosen file off the list; a stored one is removed when the dialog saves."""
        chosen = self._chosen_file()
        if chosen is None:
            return False
        where, key = chosen
        if where == "pending":
            del self._pending[key]
        else:
            self._removed.add(key)
        self._show_files()
        return True

    # Saving

    def _hours(self) -> int:
        return parse_hours(self.hours.text())

    def _data(self) -> ActivityData:
        try:
            hours = self._hours()
        except ValueError:
            hours = 0
        return ActivityData(
            org_id=self._branch_id() or 0, kind=self._kind(), held_on=self.held_on.date_value(),
            topic=self.topic.text(), status=self.status.currentData(),
            group_id=self.group.currentData() if self._kind() is ActivityKind.GROUP_MEETING else None,
            starts_at=self.starts_at.text().strip(), ends_at=self.ends_at.text().strip(),
            place=self.place.text(), chair=self.chair.text(), recorder=self.recorder.text(),
            agenda=self.agenda.toPlainText(), minutes=self.minutes.toPlainText(),
            decisions=self.decisions.toPlainText(), study_hours_tenths=hours,
            lecturer=self.lecturer.text(), lecturer_is_leader=self.leader.isChecked(), note=self.note.text())

    def _check(self) -> list[FieldError]:
        """What the form finds itself: unreadable hours, no branch, a line of the attendance that
        cannot be saved (shown on the line and named under the table)."""
        problems = []
        if self._branch_id() is None:
            problems.append(FieldError("branch", self.tr("请选择所属支部")))
        try:
            self._hours()
        except ValueError as exc:
            problems.append(FieldError("study_hours_tenths", str(exc)))
        found = self.attendance.first_problem()
        if found is not None and not self._planned():
            row, problem = found
            name = self.attendance.lines[row].name
            problems.append(FieldError("attendance", self.tr("{0}：{1}").format(name, problem)))
            self.tabs.setCurrentWidget(self.attendance_tab)
            self.table.setCurrentIndex(self.attendance.index(row, self.attendance.culprit_column(row)))
        return problems

    def _save(self) -> None:
        data = self._data()
        entries = [] if self._planned() else self.attendance.entries()
        if self.activity:
            activities.update(self.ctx.db, self.activity.id, data, entries)
        else:
            self.saved_id = activities.create(self.ctx.db, data, entries)
        self._store_files()

    def _store_files(self) -> None:
        """Copy the files added in and drop those removed, once the activity is saved; one that
        fails is reported (the activity itself is saved)."""
        assert self.saved_id is not None
        failed = []
        for attachment_id in sorted(self._removed):
            try:
                activities.remove_attachment(self.ctx.db, attachment_id)
            except (ServiceError, OSError) as exc:
                failed.append(str(exc))
        for p in self._pending:
            try:
                activities.add_attachment(self.ctx.db, self.saved_id, p.source, p.kind)
            except (ServiceError, OSError) as exc:
                failed.append(f"{p.source.name}：{exc}")
        self._pending, self._removed = [], set()
        if failed:
            QMessageBox.warning(self, self.tr("附件未能全部保存"), self.tr(
                "会议已保存，但以下附件未能保存：\n{0}").format("\n".join(failed)))

