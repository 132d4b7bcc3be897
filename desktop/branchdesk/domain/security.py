"""The start-up password (design.md §9): PBKDF2-HMAC-SHA256 with a random salt; only the salt,
the iteration count and the derived key are kept, never the password."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

ITERATIONS = 600_000  # OWASP's 2023 figure for PBKDF2-HMAC-SHA256
SALT_BYTES = 16
MIN_LENGTH = 4


@dataclass(frozen=True)
class PasswordHash:
    salt: bytes
    digest: bytes
    iterations: int

    def encode(self) -> str:
        """"pbkdf2_sha256$ITERATIONS$SALT_HEX$DIGEST_HEX", as kept in the settings table."""
        return f"pbkdf2_sha256${self.iterations}${self.salt.hex()}${self.digest.hex()}"

    @classmethod
    def decode(cls, text: str) -> PasswordHash:
        scheme, iterations, salt, digest = text.split("$")
        if scheme != "pbkdf2_sha256":
            raise ValueError(f"unknown password scheme {scheme!r}")
        return cls(bytes.fromhex(salt), bytes.fromhex(digest), int(iterations))


def _derive(password: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)


def hash_password(password: str, iterations: int = ITERATIONS) -> PasswordHash:
    import secrets  # only when a password is set

    salt = secrets.token_bytes(SALT_BYTES)
    return PasswordHash(salt, _derive(password, salt, iterations), iterations)


def verify(password: str, stored: PasswordHash) -> bool:
    """Constant-time comparison of the derived keys."""
    return hmac.compare_digest(_derive(password, stored.salt, stored.iterations), stored.digest)
