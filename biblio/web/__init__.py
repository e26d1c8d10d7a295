"""The catalogue in a browser: a thin Flask layer over the library.

Readers (``reader``): search and filters, editions, works, people, publishers, the annotated
bibliography, statistics, downloads of any result set and a JSON API. Librarians
(``librarian``, after logging in, ``auth``): add, edit, merge, remove, import, history and
undo, each change recorded under their name. Admins (``admin``): users and roles.

Security: Jinja2 autoescapes every value; every response carries a Content-Security-Policy
of ``default-src 'self'`` (no inline script or style; htmx is served from the package);
every POST, htmx's included, needs the session's CSRF token (Flask-WTF); session cookies are
HttpOnly, SameSite=Lax, and Secure whenever the request came over TLS; passwords are argon2id
hashes and logins are rate-limited (``biblio.users``).
"""

from __future__ import annotations

import os
import secrets
import time
from typing import Any

from flask import Flask, g, jsonify, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface

from ..config import Target
from ..errors import BiblioError, NotFound


class _SessionInterface(SecureCookieSessionInterface):
    """Session cookies marked Secure whenever the request came over TLS (directly, or through
    a trusted proxy's X-Forwarded-Proto with ``--proxy``), so a plain-HTTP localhost still
    works and a TLS deployment never sends the cookie in clear."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def create_app(
    target: Target, *, private: bool = False, proxy: bool = False, secret_key: str | None = None
) -> Flask:
    """The web application for the catalogue at ``target``. ``private``: readers must log in
    too. ``proxy``: trust one reverse proxy's X-Forwarded-For/-Proto. ``secret_key`` signs the
    session cookies (default: ``BIBLIO_SECRET_KEY``, else a new random key)."""
    from flask_login import LoginManager, current_user
    from flask_wtf.csrf import CSRFError, CSRFProtect

    from .auth import WebUser, load_user
    from .auth import pages as auth_pages
    from .librarian import pages as librarian_pages
    from .reader import pages as reader_pages
    from .store import Store

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key or os.environ.get("BIBLIO_SECRET_KEY") or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # a token lives as long as the session
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,  # an imported file at most
        BIBLIO_PRIVATE=private,
    )
    app.session_interface = _SessionInterface()
    if proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    app.jinja_env.filters["urlencode_page"] = _with_page
    app.jinja_env.filters["language_name"] = _language_name
    app.extensions["biblio"] = Store(target)
    CSRFProtect(app)
    logins = LoginManager(app)
    logins.login_view = "auth.login"
    logins.login_message = "Log in to see this page."
    logins.user_loader(load_user)
    logins.anonymous_user = WebUser.anonymous
    for blueprint in (reader_pages, auth_pages, librarian_pages):
        app.register_blueprint(blueprint)

    @app.before_request
    def started() -> Any:
        g.started = time.perf_counter()
        if (
            private
            and not current_user.is_authenticated
            and request.endpoint not in ("auth.login", "static", "favicon")
        ):
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return None

    @app.after_request
    def secure(response: Any) -> Any:
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
        response.headers["Content-Security-Policy"] = "default-src 'self'"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    @app.get("/favicon.ico")
    def favicon() -> Any:
        return "", 204

    @app.errorhandler(BiblioError)
    def refused(exc: BiblioError) -> Any:
        """The library's refusal as one line: JSON for the API, a page otherwise."""
        status = 404 if isinstance(exc, NotFound) else 400
        if request.path.startswith("/api/"):
            return jsonify({"error": str(exc)}), status
        return render_template("error.html", message=str(exc)), status

    @app.errorhandler(CSRFError)
    def no_token(exc: CSRFError) -> Any:
        message = f"refused: {exc.description} Reload the page and try again."
        return render_template("error.html", message=message), 400

    @app.errorhandler(403)
    def forbidden(_exc: Any) -> Any:
        return render_template("error.html", message="Your role may not do this."), 403

    return app


def _language_name(code: str | None) -> str:
    from ..languages import english_name

    return english_name(code) if code else ""


def _with_page(args: Any, page: int) -> str:
    from urllib.parse import urlencode

    return urlencode({**args.to_dict(), "page": page})


def serve(
    target: Target, host: str, port: int, workers: int, *, private: bool = False,
    proxy: bool = False,
) -> None:  # fmt: skip
    """Run the application under gunicorn (``workers`` processes, each with its own
    connections, opened after the fork, sharing one session key) until interrupted."""
    from gunicorn.app.base import BaseApplication

    key = os.environ.get("BIBLIO_SECRET_KEY") or secrets.token_hex(32)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 300)  # an import of a large file runs in its request

        def load(self) -> Flask:
            return create_app(target, private=private, proxy=proxy, secret_key=key)

    Server().run()


def wsgi() -> Flask:
    """For a WSGI server: the catalogue named by ``BIBLIO_DB`` (or the default); set
    ``BIBLIO_SECRET_KEY`` so that every worker signs sessions alike."""
    from ..config import resolve

    return create_app(resolve(None))
