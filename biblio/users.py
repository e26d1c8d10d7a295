"""The web catalogue's users: accounts with a role (reader, librarian, admin) and an argon2id
password hash, and the rate limit on logins, kept in the catalogue so that every worker of
``biblio serve`` sees the same failures. The CLI (``biblio user``) and the admin page call
these functions."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from .errors import InvalidValue, NotFound, TooManyLogins
from .models import USER_ROLES, LoginFailure, User

MIN_PASSWORD = 8
"""The shortest password accepted (NIST SP 800-63B's minimum)."""
MAX_FAILURES = 5
"""Failed logins (for one name, or from one address) after which logins wait."""
WINDOW = 15 * 60
"""Seconds over which failures count, and how long a refused login waits at most."""

_hasher = PasswordHasher()  # argon2id, the library's RFC 9106 low-memory defaults
_DUMMY = _hasher.hash("not a password of anyone")


@dataclass(frozen=True)
class UserView:
    """A user as pages and commands show it (never the hash)."""

    id: int
    name: str
    role: str
    created_at: str
    session_epoch: int = 0

    @property
    def can_edit(self) -> bool:
        return self.role in ("librarian", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _view(user: User) -> UserView:
    return UserView(user.id, user.name, user.role, user.created_at, user.session_epoch or 0)


def _check_role(role: str) -> str:
    if role not in USER_ROLES:
        raise InvalidValue(f"unknown role {role!r} (one of {', '.join(USER_ROLES)})")
    return role


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidValue(f"password too short: at least {MIN_PASSWORD} characters")
    return password


def _named(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None:
        raise NotFound(f"no user named {name!r}")
    return user


def add_user(session: Session, name: str, role: str, password: str) -> UserView:
    """Create user ``name`` with ``role``; InvalidValue if the name is taken or empty."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidValue("a user name has 1 to 200 characters")
    _check_role(role)
    _check_password(password)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise InvalidValue(f"user {name!r} exists already")
    user = User(
        name=name,
        role=role,
        password_hash=_hasher.hash(password),
        created_at=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    )
    session.add(user)
    session.flush()
    return _view(user)


def list_users(session: Session) -> list[UserView]:
    """Every user, by name."""
    return [_view(u) for u in session.scalars(select(User).order_by(User.name))]


def get_user(session: Session, user_id: int) -> UserView | None:
    """The user with this id, or None (a removed user's session ends with it)."""
    user = session.get(User, user_id)
    return _view(user) if user is not None else None


def _last_admin(session: Session, user: User) -> bool:
    admins = session.scalar(select(func.count()).where(User.role == "admin"))
    return user.role == "admin" and admins == 1


def set_role(session: Session, name: str, role: str) -> UserView:
    """Give user ``name`` another role; the last admin keeps theirs."""
    user = _named(session, name)
    if _check_role(role) != "admin" and _last_admin(session, user):
        raise InvalidValue(f"{user.name} is the last admin; make another admin first")
    user.role = role
    session.flush()
    return _view(user)


def set_password(session: Session, name: str, password: str) -> None:
    """Replace user ``name``'s password (and forget their failed logins)."""
    user = _named(session, name)
    user.password_hash = _hasher.hash(_check_password(password))
    user.session_epoch = (user.session_epoch or 0) + 1  # every session of theirs ends
    session.execute(delete(LoginFailure).where(LoginFailure.name == user.name))


def end_sessions(session: Session, user_id: int) -> None:
    """End every session of the user (logging out ends them all, copied cookies included)."""
    user = session.get(User, user_id)
    if user is not None:
        user.session_epoch = (user.session_epoch or 0) + 1


def remove_user(session: Session, name: str) -> None:
    """Remove user ``name`` (their changes stay in the history under their name); the last
    admin stays."""
    user = _named(session, name)
    if _last_admin(session, user):
        raise InvalidValue(f"{user.name} is the last admin; make another admin first")
    session.delete(user)
    session.flush()


def authenticate(
    session: Session, name: str, password: str, address: str, now: float | None = None
) -> UserView | None:
    """The user ``name`` if ``password`` is theirs; None otherwise, recorded as a failure
    (commit it: the failures are the rate limit). TooManyLogins, without trying, while the
    name or the address has ``MAX_FAILURES`` failures within ``WINDOW`` seconds (the wait
    lasts until the oldest of them expires)."""
    now = time.time() if now is None else now
    name = name.strip()
    session.execute(delete(LoginFailure).where(LoginFailure.at < now - WINDOW))
    recent = session.scalars(
        select(LoginFailure.at)
        .where(or_(LoginFailure.name == name, LoginFailure.address == address))
        .where(LoginFailure.at >= now - WINDOW)
        .order_by(LoginFailure.at.desc())
        .limit(MAX_FAILURES)
    ).all()
    if len(recent) >= MAX_FAILURES:
        wait = max(1, int(recent[-1] + WINDOW - now) + 1)
        raise TooManyLogins(
            f"too many failed logins; try again in {-(-wait // 60)} minute(s)", retry_after=wait
        )
    user = session.scalar(select(User).where(User.name == name))
    try:
        _hasher.verify(user.password_hash if user is not None else _DUMMY, password)
        if user is None:
            raise VerificationError("no such user")
    except (VerificationError, InvalidHashError):
        session.add(LoginFailure(name=name[:200], address=address[:100], at=now))
        session.flush()
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.execute(delete(LoginFailure).where(LoginFailure.name == name))
    return _view(user)
