"""Password hashing: argon2id through argon2-cffi, with the library's current recommended cost.

`hash_password` returns the PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash), which carries
its own parameters, so `needs_rehash` can tell when a stored hash is weaker than today's policy.
"""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import hash_secret


@lru_cache
def _hasher() -> PasswordHasher:
    # RFC 9106 "second recommended option" (argon2-cffi's default profile), forced to argon2id.
    return PasswordHasher(type=Type.ID)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """Hash with a fresh random salt. `salt` exists only for reproducible fixtures (the demo seed,
    which must produce byte-identical data for the same inputs); never pass it for real users."""
    if not password:
        raise ValueError("empty password")
    hasher = _hasher()
    if salt is None:
        return hasher.hash(password)
    if len(salt) < 16:
        raise ValueError("salt must be at least 16 bytes")
    return hash_secret(
        password.encode(),
        salt,
        time_cost=hasher.time_cost,
        memory_cost=hasher.memory_cost,
        parallelism=hasher.parallelism,
        hash_len=hasher.hash_len,
        type=Type.ID,
    ).decode()


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; False for a mismatch, a malformed hash or no hash at all."""
    if not password_hash or not password:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
