"""What every page shares: the database, the organization in scope, and change notices."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..store.database import Database


class AppContext(QObject):
    """Pages read `db` and `scope_id`, and call `notify_changed()` after every write."""

    scopeChanged = Signal(int)
    dataChanged = Signal()

    def __init__(self, db: Database, db_path: Path) -> None:
        super().__init__()
        self.db = db
        self.db_path = db_path
        self.scope_id: int | None = None

    def set_scope(self, org_id: int) -> None:
        if org_id != self.scope_id:
            self.scope_id = org_id
            self.scopeChanged.emit(org_id)

    def notify_changed(self) -> None:
        self.dataChanged.emit()
