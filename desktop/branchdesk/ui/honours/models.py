"""The tables of the 表彰评议 page: commendations, study output, and a branch's 民主评议 sheet."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from ...domain import honours as rules
from ...domain.honours import Level, Rating
from ...domain.members import Standing
from ...services.honours import Commendation, EvaluationEntry, StudyOutput

T = TypeVar("T")
_T = "HonoursTables"  # translation context of the column titles

_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_GREY = QColor("#8c939d")
_RED = QColor("#d93025")
_RATING_COLORS = {
    Rating.EXCELLENT: QColor("#c8161d"),
    Rating.BASICALLY_QUALIFIED: QColor("#b35c00"),
    Rating.UNQUALIFIED: _RED,
    Rating.NOT_RATED: _GREY,
}
_PROBLEM_BACKGROUND = QColor("#fff1c2")  # not the selection's pink


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str  # marked with QT_TRANSLATE_NOOP(_T, …); headerData translates it
    text: Callable[[T], str]
    key: Callable[[T], Any]
    width: int
    centered: bool = False
    tip: bool = False  # the text as tooltip too (long titles and names are cut off)
    stretch: bool = False  # takes the width the table has to spare


class RecordModel(QAbstractTableModel, Generic[T]):
    """Records of one kind, one a row, sortable by any column (rows are few: sorted in Python)."""

    def __init__(self, columns: Sequence[Column[T]], record_id: Callable[[T], int],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._id = record_id
        self._loaded: list[T] = []
        self._rows: list[T] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.ToolTipRole and column.tip:
            return column.text(record) or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER if column.centered else _LEFT
        if role == Qt.ItemDataRole.UserRole:
            return self._id(record)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(_T, self.columns[section].title)
        return super().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        self._sort_rows()
        self.layoutChanged.emit()

    def set_records(self, records: list[T]) -> None:
        self.beginResetModel()
        self._loaded = records
        self._rows = list(records)
        self._sort_rows()
        self.endResetModel()

    def record_at(self, row: int) -> T:
        return self._rows[row]

    def row_of(self, record_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if self._id(r) == record_id), None)

    def _sort_rows(self) -> None:
        if self._sort_column < 0:
            self._rows = list(self._loaded)  # the service's order
            return
        self._rows.sort(key=self.columns[self._sort_column].key,
                        reverse=self._sort_order == Qt.SortOrder.DescendingOrder)


COMMENDATION_COLUMNS: tuple[Column[Commendation], ...] = (
    Column(QT_TRANSLATE_NOOP(_T, "年度"), lambda c: str(c.data.year), lambda c: c.data.year, 56, True),
    Column(QT_TRANSLATE_NOOP(_T, "级别"), lambda c: c.data.level.label,
           lambda c: list(Level).index(c.data.level), 80, True),
    Column(QT_TRANSLATE_NOOP(_T, "称号"), lambda c: c.title_label, lambda c: c.title_label, 130, tip=True),
    Column(QT_TRANSLATE_NOOP(_T, "表彰对象"), lambda c: c.recipient_name, lambda c: c.recipient_name,
           130, tip=True),
    Column(QT_TRANSLATE_NOOP(_T, "所在支部"), lambda c: c.branch_name, lambda c: c.branch_name, 176, tip=True),
    Column(QT_TRANSLATE_NOOP(_T, "表彰单位"), lambda c: c.data.issuer, lambda c: c.data.issuer, 160, tip=True,
           stretch=True),
    Column(QT_TRANSLATE_NOOP(_T, "文号"), lambda c: c.data.document_no, lambda c: c.data.document_no, 180,
           tip=True),
    Column(QT_TRANSLATE_NOOP(_T, "表彰日期"),
           lambda c: c.data.awarded_on.isoformat() if c.data.awarded_on else "",
           lambda c: (c.data.awarded_on is None, c.data.awarded_on), 96, True),
    Column(QT_TRANSLATE_NOOP(_T, "附件"), lambda c: "", lambda c: c.attachment, 72, True),
)
ATTACHMENT_COLUMN = len(COMMENDATION_COLUMNS) - 1


class CommendationModel(RecordModel[Commendation]):
    """Commendations; the 附件 column says whether a file is attached and whether it is still there."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COMMENDATION_COLUMNS, lambda c: c.id, parent)
        self.missing: set[int] = set()  # ids whose attached file is gone from the folder

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == ATTACHMENT_COLUMN:
            c = self.record_at(index.row())
            if not c.attachment:
                return super().data(index, role)
            gone = c.id in self.missing
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr("文件缺失") if gone else self.tr("有")
            if role == Qt.ItemDataRole.ForegroundRole and gone:
                return _RED
            if role == Qt.ItemDataRole.ToolTipRole:
                return c.attachment.rsplit("/", 1)[-1]
        return super().data(index, role)


def _published(o: StudyOutput) -> str:
    return "；".join(t for t in (o.data.published_in, o.data.award) if t)


STUDY_OUTPUT_COLUMNS: tuple[Column[StudyOutput], ...] = (
    Column(QT_TRANSLATE_NOOP(_T, "日期"), lambda o: o.data.written_on.isoformat() if o.data.written_on else "",
           lambda o: (o.data.written_on is None, o.data.written_on), 96, True),
    Column(QT_TRANSLATE_NOOP(_T, "党员"), lambda o: o.member_name, lambda o: o.member_name, 80),
    Column(QT_TRANSLATE_NOOP(_T, "所在支部"), lambda o: o.branch_name, lambda o: o.branch_name, 176, tip=True),
    Column(QT_TRANSLATE_NOOP(_T, "类型"), lambda o: o.data.kind.label, lambda o: o.data.kind.label, 80, True),
    Column(QT_TRANSLATE_NOOP(_T, "题目"), lambda o: o.data.title, lambda o: o.data.title, 320, tip=True,
           stretch=True),
    Column(QT_TRANSLATE_NOOP(_T, "发表/获奖"), _published, _published, 280, tip=True),
)


def study_output_model(parent: QObject | None = None) -> RecordModel[StudyOutput]:
    return RecordModel(STUDY_OUTPUT_COLUMNS, lambda o: o.id, parent)


# The 民主评议 sheet's columns.
NAME, STANDING, RATING, NOTE = range(4)
_SHEET_TITLES = (QT_TRANSLATE_NOOP(_T, "姓名"), QT_TRANSLATE_NOOP(_T, "人员类别"),
                 QT_TRANSLATE_NOOP(_T, "等次"), QT_TRANSLATE_NOOP(_T, "备注"))
# The ratings a member on the sheet can be given, in the order of the rating list and keys.
RATINGS = (Rating.EXCELLENT, Rating.QUALIFIED, Rating.BASICALLY_QUALIFIED, Rating.UNQUALIFIED)


@dataclass
class SheetRow:
    entry: EvaluationEntry
    rating: Rating | None  # None: not rated yet
    note: str

    @property
    def stored(self) -> tuple[Rating | None, str]:
        """What is saved; a probationary member's is always 不参加评定."""
        e = self.entry
        return (Rating.NOT_RATED if e.probationary else e.rating), e.note

    @property
    def problem(self) -> str | None:
        """Why saving would refuse this line, or None."""
        if self.rating is None:
            return None
        found = rules.rating_problem(self.rating, self.entry.probationary, self.note)
        return found.message if found else None


class EvaluationModel(QAbstractTableModel):
    """One branch's members for one year: rating and note editable, probationary members fixed to
    不参加评定. Edits stay here until the page saves the whole sheet."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[SheetRow] = []

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_SHEET_TITLES)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and (index.column() == NOTE
                                or (index.column() == RATING and self.ratable(index.row()))):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        member = row.entry.member
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return member.name
            if column == STANDING:
                # As at the end of the sheet's year: one converted since was probationary then.
                standing = (Standing.PROBATIONARY if row.entry.probationary else Standing.FULL).label
                return standing if member.status.active else f"{standing}（{member.status.label}）"
            if column == RATING:
                return row.rating.label if row.rating else self.tr("未评定")
            if not row.note and row.problem and self._culprit(row) == NOTE:
                return self.tr("请写明处置意见，如限期改正")
            return row.note
        if role == Qt.ItemDataRole.EditRole:
            if column == RATING:
                return row.rating.value if row.rating else ""
            return row.note if column == NOTE else None
        if role == Qt.ItemDataRole.ToolTipRole and column == STANDING and row.entry.probationary \
                and member.data.standing is Standing.FULL and member.data.full_on:
            return self.tr("{0} 转正，当年为预备党员").format(member.data.full_on.isoformat())
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == NOTE and row.problem and not row.note:
                return _RED
            if column == RATING:
                return _RATING_COLORS.get(row.rating) if row.rating else _GREY
            if column in (NAME, STANDING) and not member.status.active:
                return _GREY
            return None
        if role == Qt.ItemDataRole.FontRole and column == RATING and row.rating is Rating.UNQUALIFIED:
            bold = QFont()
            bold.setBold(True)
            return bold
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole) and row.problem:
            if column == self._culprit(row):
                return _PROBLEM_BACKGROUND if role == Qt.ItemDataRole.BackgroundRole else row.problem
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == RATING and row.entry.probationary:
            return self.tr("预备党员不参加评定")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _CENTER if column in (STANDING, RATING) else _LEFT
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        if index.column() == RATING:
            return self.set_rating(index.row(), Rating(value) if value else None)
        if index.column() == NOTE:
            row = self.rows[index.row()]
            if row.note != value:
                row.note = str(value)
                self._changed(index.row())
            return True
        return False

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(_T, _SHEET_TITLES[section])
        return super().headerData(section, orientation, role)

    @staticmethod
    def _culprit(row: SheetRow) -> int:
        """The cell to fix on a line with a problem: 不合格 wants a note, anything else another rating."""
        return NOTE if row.rating is Rating.UNQUALIFIED and not row.entry.probationary else RATING

    # What the page uses

    def set_sheet(self, entries: list[EvaluationEntry],
                  edits: dict[int, tuple[Rating | None, str]] | None = None) -> None:
        """Show `entries` as stored, with `edits` (member id → rating, note) not yet saved on top."""
        self.beginResetModel()
        self.rows = []
        for e in entries:
            row = SheetRow(e, None, e.note)
            row.rating, row.note = (edits or {}).get(e.member.id, row.stored)
            self.rows.append(row)
        self.endResetModel()

    def ratable(self, row: int) -> bool:
        return not self.rows[row].entry.probationary

    def set_rating(self, row: int, rating: Rating | None) -> bool:
        """Rate the member on `row`; refused (False) for a probationary member."""
        if not self.ratable(row) or rating is Rating.NOT_RATED:
            return False
        if self.rows[row].rating is not rating:
            self.rows[row].rating = rating
            self._changed(row)
        return True

    def ratings(self) -> list[Rating | None]:
        return [r.rating for r in self.rows]

    def edits(self) -> dict[int, tuple[Rating | None, str]]:
        """The lines changed and not saved: member id → (rating, note)."""
        return {r.entry.member.id: (r.rating, r.note) for r in self.rows
                if (r.rating, r.note) != r.stored}

    def entries(self) -> list[tuple[int, Rating | None, str]]:
        """The whole sheet as `save_evaluations` takes it."""
        return [(r.entry.member.id, r.rating, r.note) for r in self.rows]

    def first_problem(self) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.problem), None)

    def _changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(_SHEET_TITLES) - 1))


def rating_summary(ratings: Sequence[Rating | None]) -> str:
    """"参加评定 12 人：优秀 3 人，合格 8 人…" for the sheet's current ratings."""
    counts = Counter(ratings)
    tr = QCoreApplication.translate
    rated = sum(counts[r] for r in RATINGS)
    text = tr(_T, "参加评定 {0} 人：").format(rated) + tr(_T, "，").join(
        tr(_T, "{0} {1} 人").format(r.label, counts[r]) for r in RATINGS)
    if counts[None]:
        text += tr(_T, "；未评定 {0} 人").format(counts[None])
    if counts[Rating.NOT_RATED]:
        text += tr(_T, "；不参加评定 {0} 人").format(counts[Rating.NOT_RATED])
    return text
