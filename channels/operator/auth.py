"""Operator accounts, passwords, sessions and the failed-login lock.

Accounts live in one JSON file (`HAVEN_OPERATORS_FILE`, default `HAVEN_DATA_DIR/operators.json`),
written by `haven operator add`: `{"name": {"role": "operator" | "editor", "hash": "scrypt$..."}}`.
Passwords are stored only as salted scrypt hashes. Sessions and failure counters live in memory:
a restart logs everyone out. Failures are counted per user name only, never per address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.paths import data_dir

ROLES = ("operator", "editor")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SALT_BYTES = 16
KEY_BYTES = 32
SESSION_SECONDS = 8 * 3600
MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
MIN_PASSWORD_LENGTH = 10
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
DEV_USER = "dev"


def operators_file(base: Path | None = None) -> Path:
    """HAVEN_OPERATORS_FILE, else `operators.json` in the data directory."""
    return Path(os.environ.get("HAVEN_OPERATORS_FILE") or (base or data_dir()) / "operators.json")


# -- passwords -------------------------------------------------------------------------------
def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$key` (base64): a strong, salted, self-describing hash."""
    salt = salt or secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=KEY_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        actual = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# A hash checked when the user name is unknown, so that the answer takes the same time.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


# -- accounts --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Account:
    name: str
    role: str
    hash: str


def read_accounts(path: Path) -> dict[str, Account]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a JSON object of accounts")
    accounts = {}
    for name, entry in raw.items():
        if not isinstance(entry, dict) or entry.get("role") not in ROLES or not str(entry.get("hash", "")).startswith("scrypt$"):
            raise ValueError(f"{path}: account '{name}' needs a role ({' or '.join(ROLES)}) and a scrypt hash")
        accounts[name] = Account(name, entry["role"], entry["hash"])
    return accounts


def add_account(path: Path, name: str, role: str, password: str) -> None:
    """Create or replace one account (the file is created with owner-only permissions)."""
    if not USERNAME.match(name):
        raise ValueError("user name: 2-32 characters, lower-case letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise ValueError(f"role must be one of: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    raw[name] = {"role": role, "hash": hash_password(password)}
    _write_private(path, json.dumps(raw, indent=2, sort_keys=True) + "\n")


def remove_account(path: Path, name: str) -> bool:
    raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    if name not in raw:
        return False
    del raw[name]
    _write_private(path, json.dumps(raw, indent=2, sort_keys=True) + "\n")
    return True


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


# -- sessions --------------------------------------------------------------------------------
@dataclass
class Session:
    user: str
    role: str
    csrf: str
    expires: float

    @property
    def editor(self) -> bool:
        return self.role == "editor"


@dataclass
class Authenticator:
    """Checks passwords, keeps sessions and locks a user name after repeated failures."""

    path: Path
    development: bool = False
    clock: object = time.monotonic
    _sessions: dict[str, Session] = field(default_factory=dict)
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _locked: dict[str, float] = field(default_factory=dict)
    _accounts: dict[str, Account] = field(default_factory=dict)
    _signature: tuple | None = None
    _dev_password: str | None = None
    _dev_hash: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- accounts, re-read when the file changes (so `haven operator add` needs no restart)
    def accounts(self) -> dict[str, Account]:
        try:
            stat = self.path.stat()
            signature = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            signature = None
        if signature != self._signature:
            try:
                self._accounts = read_accounts(self.path) if signature else {}
            except ValueError as error:  # includes bad JSON: nobody can log in until it is fixed
                print(f"haven: operator accounts unusable: {error}", file=sys.stderr, flush=True)
                self._accounts = {}
            self._signature = signature
        if not self._accounts and signature is None and self.development:
            return {DEV_USER: Account(DEV_USER, "editor", self._development_hash())}
        return self._accounts

    def _development_hash(self) -> str:
        """Development only, and only while no accounts file exists: user `dev` with a random
        password printed once. There is never a fixed default password."""
        if self._dev_password is None:
            self._dev_password = secrets.token_urlsafe(12)
            self._dev_hash = hash_password(self._dev_password)
            print(
                f"haven: operator console (development): no {self.path.name}; log in at /operator as "
                f"'{DEV_USER}' with the password {self._dev_password} (create real accounts with "
                "`haven operator add NAME --role editor`)",
                file=sys.stderr,
                flush=True,
            )
        return self._dev_hash

    def configured(self) -> bool:
        return bool(self.accounts())

    # -- login
    def locked(self, user: str) -> float:
        """Seconds until `user` may try again (0: not locked)."""
        with self._lock:
            until = self._locked.get(user, 0.0)
            remaining = until - self.clock()
            if remaining <= 0 and until:
                self._locked.pop(user, None)
            return max(0.0, remaining)

    def login(self, user: str, password: str) -> tuple[str, Session] | None:
        """(token, session) for a new session, or None (wrong name or password, or locked)."""
        user = user.strip().lower()[:64]
        if self.locked(user):
            return None
        account = self.accounts().get(user)
        ok = verify_password(password, account.hash if account else _DUMMY_HASH) and account is not None
        if not ok:
            self._failed(user)
            return None
        with self._lock:
            self._failures.pop(user, None)
            session = Session(user, account.role, secrets.token_urlsafe(32), self.clock() + SESSION_SECONDS)
            token = secrets.token_urlsafe(32)
            self._sessions[token] = session
            self._expire_sessions()
        return token, session

    def _failed(self, user: str) -> None:
        now = self.clock()
        with self._lock:
            recent = [t for t in self._failures.get(user, []) if now - t < FAILURE_WINDOW_SECONDS]
            recent.append(now)
            self._failures[user] = recent
            if len(recent) >= MAX_FAILURES:
                self._locked[user] = now + LOCK_SECONDS
                self._failures.pop(user, None)
            if len(self._failures) > 10_000:  # bounded memory under a flood of made-up names
                oldest = sorted(self._failures, key=lambda name: self._failures[name][-1])[:5_000]
                for name in oldest:
                    self._failures.pop(name, None)

    # -- sessions
    def session(self, token: str | None) -> Session | None:
        if not token:
            return None
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return None
            if session.expires <= self.clock():
                self._sessions.pop(token, None)
                return None
            return session

    def logout(self, token: str | None) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)

    def _expire_sessions(self) -> None:
        now = self.clock()
        for token in [t for t, s in self._sessions.items() if s.expires <= now]:
            del self._sessions[token]
