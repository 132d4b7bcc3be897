"""Settings kept in the database with the data (the Settings page comes later): what reports print."""

from __future__ import annotations

from ..store import settings as q
from ..store.database import Database
from . import audit
from .errors import ServiceError

REPORT_UNIT = "report_unit"  # 填报单位 on reports; blank: the name of the organization reported on
REPORT_PREPARER = "report_preparer"  # 制表人 on reports; blank: left for a signature
KEYS = {REPORT_UNIT: "报表填报单位", REPORT_PREPARER: "制表人"}


def _known(key: str) -> None:
    if key not in KEYS:
        raise ServiceError(f"没有名为“{key}”的设置，可用的有：{'、'.join(KEYS)}")


def get(db: Database, key: str) -> str:
    """The setting's text; blank when it was never set."""
    _known(key)
    return q.value(db, key) or ""


def save(db: Database, key: str, value: str) -> None:
    _known(key)
    with db.atomic():
        q.put(db, key, value.strip())
        audit.record(db, audit.UPDATE, "settings", label=KEYS[key], fields=[KEYS[key]])


def save_all(db: Database, values: dict[str, str]) -> None:
    """Several settings in one transaction (a Settings page group), audited once naming those that changed."""
    for key in values:
        _known(key)
    with db.atomic():
        changed = [KEYS[key] for key, value in values.items() if (q.value(db, key) or "") != value.strip()]
        for key, value in values.items():
            q.put(db, key, value.strip())
        if changed:
            audit.record(db, audit.UPDATE, "settings", label="报表设置", fields=changed)
