"""The optional start-up password and idle lock, kept in the settings table with the data."""

from __future__ import annotations

from ..domain import security
from ..store import settings as q
from ..store.database import Database
from .errors import ServiceError

# PASSWORD: pbkdf2_sha256$iterations$salt$digest, absent when none is set; IDLE_MINUTES: lock
# after this many idle minutes, 0 or absent: never. Neither goes into a handover package.
PASSWORD, IDLE_MINUTES = q.NOT_HANDED_OVER
MAX_IDLE_MINUTES = 24 * 60


def _stored(db: Database) -> security.PasswordHash | None:
    text = q.value(db, PASSWORD)
    if not text:
        return None
    try:
        return security.PasswordHash.decode(text)
    except ValueError as exc:
        raise ServiceError("启动密码的记录已损坏，请从备份恢复") from exc


def has_password(db: Database) -> bool:
    return bool(q.value(db, PASSWORD))


def verify(db: Database, password: str) -> bool:
    """True when `password` is the start-up password (or none is set)."""
    stored = _stored(db)
    return stored is None or security.verify(password, stored)


def set_password(db: Database, new: str, current: str = "") -> None:
    """Set or change the password; changing needs the current one."""
    if not verify(db, current):
        raise ServiceError("当前密码不正确，密码未修改")
    if len(new) < security.MIN_LENGTH:
        raise ServiceError(f"密码至少 {security.MIN_LENGTH} 个字符")
    with db.atomic():
        q.put(db, PASSWORD, security.hash_password(new).encode())


def remove_password(db: Database, current: str) -> None:
    if not verify(db, current):
        raise ServiceError("当前密码不正确，密码未取消")
    with db.atomic():
        db.conn.execute("DELETE FROM settings WHERE key IN (?, ?)", (PASSWORD, IDLE_MINUTES))


def idle_minutes(db: Database) -> int:
    """Minutes without input before the window locks; 0: never (always 0 without a password)."""
    if not has_password(db):
        return 0
    try:
        return max(0, int(q.value(db, IDLE_MINUTES) or 0))
    except ValueError:
        return 0


def set_idle_minutes(db: Database, minutes: int) -> None:
    if not 0 <= minutes <= MAX_IDLE_MINUTES:
        raise ServiceError(f"自动锁定时间应在 0～{MAX_IDLE_MINUTES} 分钟之间（0 表示不自动锁定）")
    with db.atomic():
        q.put(db, IDLE_MINUTES, str(minutes))
