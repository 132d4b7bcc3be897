"""The start-up password: PBKDF2-HMAC-SHA256, salted, ≥ 600,000 iterations, never stored in clear."""

from __future__ import annotations

import pytest

from branchdesk.domain import security
from branchdesk.services import security as service
from branchdesk.services.errors import ServiceError


def test_hash_verifies_the_right_password_only() -> None:
    stored = security.hash_password("支部2026!")
    assert stored.iterations >= 600_000
    assert security.verify("支部2026!", stored)
    assert not security.verify("支部2026", stored)
    assert security.PasswordHash.decode(stored.encode()) == stored


def test_salt_differs_each_time() -> None:
    first, second = security.hash_password("secret"), security.hash_password("secret")
    assert len(first.salt) >= 16
    assert first.salt != second.salt and first.digest != second.digest


def test_service_set_change_remove(db) -> None:
    assert not service.has_password(db) and service.verify(db, "")
    service.set_password(db, "open sesame")
    stored = db.conn.execute("SELECT value FROM settings WHERE key = ?", (service.PASSWORD,)).fetchone()[0]
    assert "open sesame" not in stored and stored.startswith("pbkdf2_sha256$600000$")
    assert service.verify(db, "open sesame") and not service.verify(db, "wrong")
    with pytest.raises(ServiceError, match="当前密码不正确"):
        service.set_password(db, "new one", current="wrong")
    with pytest.raises(ServiceError, match="至少"):
        service.set_password(db, "abc", current="open sesame")
    service.set_password(db, "new one", current="open sesame")
    service.set_idle_minutes(db, 5)
    assert service.idle_minutes(db) == 5
    with pytest.raises(ServiceError):
        service.remove_password(db, "open sesame")
    service.remove_password(db, "new one")
    assert not service.has_password(db) and service.idle_minutes(db) == 0
