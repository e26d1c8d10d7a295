"""Logging in and out, roles, and the admin's page of users. The rules (argon2id, the rate
limit, the last admin) are ``biblio.users``'s; this module only calls and renders."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from ..errors import BiblioError, TooManyLogins
from ..models import USER_ROLES
from ..users import UserView, add_user, authenticate, get_user, list_users, remove_user, set_role
from .store import reading, store

pages = Blueprint("auth", __name__)


class WebUser:
    """A logged-in user for Flask-Login, or the anonymous reader."""

    def __init__(self, view: UserView | None) -> None:
        self.view = view

    @classmethod
    def anonymous(cls) -> WebUser:
        return cls(None)

    @property
    def is_authenticated(self) -> bool:
        return self.view is not None

    is_active = is_authenticated

    @property
    def is_anonymous(self) -> bool:
        return self.view is None

    def get_id(self) -> str | None:
        return str(self.view.id) if self.view is not None else None

    @property
    def name(self) -> str:
        return self.view.name if self.view is not None else ""

    @property
    def role(self) -> str:
        return self.view.role if self.view is not None else ""

    @property
    def can_edit(self) -> bool:
        return self.view is not None and self.view.can_edit

    @property
    def is_admin(self) -> bool:
        return self.view is not None and self.view.is_admin


def load_user(user_id: str) -> WebUser | None:
    """The session's user, read afresh on every request (a new role applies at once; a
    removed user is logged out)."""
    from flask import session

    if not user_id.isdigit():
        return None
    view = reading(lambda s: get_user(s, int(user_id)))
    if view is None or session.get("epoch") != view.session_epoch:
        return None  # logged out (or a new password) since this session began
    return WebUser(view)


def _requires(allowed: Callable[[WebUser], bool]) -> Callable[[Callable[..., Any]], Any]:
    def decorator(view: Callable[..., Any]) -> Any:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


librarian_only = _requires(lambda user: user.can_edit)
"""A view for librarians and admins: others log in first, or get 403."""
admin_only = _requires(lambda user: user.is_admin)
"""A view for admins."""


def change(work: Callable[[Any], Any], what: str, commit: bool = True) -> Any:
    """Run ``work(session)`` as one change to the catalogue, recorded in the history under
    the logged-in user's name, with ``what`` the form did as its command; without
    ``commit``, a preview, rolled back."""
    return store().write(work, user=current_user.name, command=f"web: {what}", commit=commit)


def _safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site, never another site (an open
    redirect); browsers drop tabs and newlines and read a backslash as a slash, so any of
    them, or a second leading slash, sends to the index instead."""
    from urllib.parse import urlsplit

    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and all(c.isprintable() and not c.isspace() and c != "\\" for c in target)
        and not urlsplit(target).netloc
    ):
        return target
    return "/"


@pages.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    try:
        user = store().write(
            lambda s: authenticate(s, name, password, address), user=name, command="web: login"
        )
    except TooManyLogins as exc:
        page = render_template("login.html", error=str(exc), next=request.form.get("next", ""))
        return page, 429, {"Retry-After": str(exc.retry_after)}
    if user is None:
        page = render_template("login.html", error="Wrong name or password.",
                               next=request.form.get("next", ""), name=name)  # fmt: skip
        return page, 401
    from flask import session

    session.clear()  # no session fixation: a new session for the logged-in user
    session["epoch"] = user.session_epoch
    login_user(WebUser(user))
    return redirect(_safe_next(request.form.get("next")), code=303)


@pages.post("/logout")
def logout() -> Any:
    from ..users import end_sessions

    if current_user.is_authenticated:
        user_id = int(current_user.get_id())
        change(lambda s: end_sessions(s, user_id), "logout")
    logout_user()
    return redirect("/", code=303)


@pages.get("/users")
@admin_only
def users() -> Any:
    return render_template("users.html", users=reading(list_users), roles=USER_ROLES)


@pages.post("/users")
@admin_only
def users_change() -> Any:
    """Add a user, change a role or remove a user, as the form's ``action`` says."""
    action = request.form.get("action")
    name = request.form.get("name", "")
    try:
        if action == "add":
            role, password = request.form.get("role", "reader"), request.form.get("password", "")
            change(lambda s: add_user(s, name, role, password), "add user")
            flash(f"Added {name}.")
        elif action == "role":
            role = request.form.get("role", "")
            change(lambda s: set_role(s, name, role), "change role")
            flash(f"{name} is now {role}.")
        elif action == "remove":
            change(lambda s: remove_user(s, name), "remove user")
            flash(f"Removed {name}.")
        else:
            abort(400)
    except BiblioError as exc:
        page = render_template("users.html", users=reading(list_users), roles=USER_ROLES,
                               error=str(exc))  # fmt: skip
        return page, 400
    return redirect(url_for("auth.users"), code=303)
