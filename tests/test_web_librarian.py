"""Librarians, admins and security in the web catalogue (biblio.web), through Flask's test
client on both backends: logins and roles, CSRF, the rate limit, cookies, adding and editing
with the duplicate warning, picking people as one types, remove, merge, import, history and
undo, each change recorded under the web user's name; and `biblio user` on the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from biblio.cli import cli
from biblio.config import resolve
from biblio.web import create_app

from .conftest import invoke

PASSWORD = "a long enough password"


def user_add(db: str, name: str, role: str, password: str = PASSWORD) -> Any:
    return CliRunner().invoke(
        cli, ["--db", db, "user", "add", name, "--role", role], input=password + "\n"
    )


@pytest.fixture
def catalogue(seeded: str) -> str:
    for name, role in (("ada", "librarian"), ("rex", "reader"), ("root", "admin")):
        result = user_add(seeded, name, role)
        assert result.exit_code == 0, result.output
    return seeded


def new_client(db: str, **options: Any) -> Any:
    app = create_app(resolve(db), **options)
    app.testing = True
    return app.test_client()


def token(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page[:500]
    return found.group(1)


def log_in(client: Any, name: str, password: str = PASSWORD) -> Any:
    form = client.get("/login").get_data(as_text=True)
    return client.post(
        "/login", data={"name": name, "password": password, "csrf_token": token(form)}
    )


@pytest.fixture
def librarian(catalogue: str) -> Any:
    client = new_client(catalogue)
    assert log_in(client, "ada").status_code == 303
    return client


def listed(db: str, *args: str) -> list[dict[str, Any]]:
    result = invoke(db, "list", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def catalogue_state(db: str) -> tuple[str, str]:
    return invoke(db, "export").stdout, invoke(db, "list", "--format", "json").stdout


# ----------------------------------------------------------------------------- users (CLI)


def test_users_from_the_command_line(db: str) -> None:
    assert user_add(db, "ada", "librarian").exit_code == 0
    users = json.loads(invoke(db, "user", "list", "--format", "json").stdout)
    assert [(u["name"], u["role"]) for u in users] == [("ada", "librarian")]
    assert "hash" not in json.dumps(users) and PASSWORD not in json.dumps(users)
    taken = user_add(db, "ada", "reader")
    assert taken.exit_code == 1 and "exists already" in taken.stderr
    short = user_add(db, "bob", "reader", "short")
    assert short.exit_code == 1 and "at least 8" in short.stderr
    assert user_add(db, "bob", "nobody").exit_code == 2  # a usage error: no such role
    assert user_add(db, "root", "admin").exit_code == 0
    last = invoke(db, "user", "role", "root", "reader")
    assert last.exit_code == 1 and "last admin" in last.stderr
    assert invoke(db, "user", "remove", "root").exit_code == 1
    assert invoke(db, "user", "role", "ada", "admin").exit_code == 0
    assert invoke(db, "user", "remove", "root").exit_code == 0
    missing = invoke(db, "user", "remove", "nobody")
    assert missing.exit_code == 1 and "no user named 'nobody'" in missing.stderr
    changed = CliRunner().invoke(
        cli, ["--db", db, "user", "password", "ada"], input="another long password\n"
    )
    assert changed.exit_code == 0, changed.output
    client = new_client(db)
    assert log_in(client, "ada").status_code == 401
    assert log_in(client, "ada", "another long password").status_code == 303


def test_passwords_are_argon2id_hashes(catalogue: str) -> None:
    from sqlalchemy import create_engine, text

    url = catalogue if "://" in catalogue else f"sqlite:///{catalogue}"
    with create_engine(url).connect() as connection:
        hashes = connection.execute(text("SELECT password_hash FROM app_user")).scalars().all()
    assert len(hashes) == 3 and all(h.startswith("$argon2id$") for h in hashes)
    assert len(set(hashes)) == 3  # salted: one password, three hashes


# ----------------------------------------------------------------------------- logins, roles

EDIT_PAGES = (
    "/editions/new", "/editions/serge1967birth/edit", "/history", "/merge", "/import",
    "/editions/serge1967birth/remove", "/users",
)  # fmt: skip
"""Pages only librarians (and /users, only admins) may open."""


def test_logins_and_roles(catalogue: str) -> None:
    anonymous = new_client(catalogue)
    for path in EDIT_PAGES:
        response = anonymous.get(path)
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    reader = new_client(catalogue)
    assert log_in(reader, "rex").status_code == 303
    page = reader.get("/").get_data(as_text=True)
    assert "rex (reader)" in page and 'href="/editions/new"' not in page
    form_token = token(page)
    for path in (*EDIT_PAGES, "/suggest/people?translators=gree"):
        assert reader.get(path).status_code == 403, path
    before = catalogue_state(catalogue)
    for path in (
        "/editions/new",
        "/editions/serge1967birth/edit",
        "/merge",
        "/import",
        "/editions/serge1967birth/remove",
        "/history/1/undo",
        "/users",
    ):
        response = reader.post(path, data={"csrf_token": form_token, "title": "X"})
        assert response.status_code == 403, path
    assert catalogue_state(catalogue) == before
    librarian = new_client(catalogue)
    log_in(librarian, "ada")
    assert librarian.get("/editions/new").status_code == 200
    assert librarian.get("/users").status_code == 403
    admin = new_client(catalogue)
    log_in(admin, "root")
    assert admin.get("/users").status_code == 200
    assert admin.get("/editions/new").status_code == 200
    # Logging out ends the session.
    assert librarian.post("/logout", data={"csrf_token": form_token}).status_code == 400
    page = librarian.get("/").get_data(as_text=True)
    assert librarian.post("/logout", data={"csrf_token": token(page)}).status_code == 303
    assert librarian.get("/editions/new").status_code == 302


def test_a_login_goes_back_only_to_this_site(catalogue: str) -> None:
    client = new_client(catalogue)
    form = client.get("/login").get_data(as_text=True)
    for target, expected in (
        ("/history", "/history"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/\t/evil.example", "/"),
        ("/\n/evil.example", "/"),
    ):
        fresh = new_client(catalogue)
        form = fresh.get("/login").get_data(as_text=True)
        response = fresh.post(
            "/login",
            data={"name": "ada", "password": PASSWORD, "next": target, "csrf_token": token(form)},
        )
        assert response.status_code == 303 and response.headers["Location"] == expected


def test_wrong_passwords_are_rate_limited(catalogue: str) -> None:
    client = new_client(catalogue)
    for _ in range(5):
        response = log_in(client, "ada", "wrong password")
        assert response.status_code == 401
        assert "Wrong name or password." in response.get_data(as_text=True)
    limited = log_in(client, "ada")  # the right password, too late
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "too many failed logins" in limited.get_data(as_text=True)
    # Another worker (another application on the same catalogue) sees the same failures.
    assert log_in(new_client(catalogue), "ada").status_code == 429
    # An unknown name does not tell itself apart from a wrong password.
    other = new_client(catalogue)
    response = other.post(
        "/login",
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
        data={
            "name": "nobody",
            "password": "x" * 9,
            "csrf_token": token(other.get("/login").get_data(as_text=True)),
        },
    )
    assert response.status_code == 401
    assert "Wrong name or password." in response.get_data(as_text=True)


def test_the_rate_limit_expires(catalogue: str) -> None:
    from sqlalchemy.orm import Session

    from biblio.db import open_catalogue
    from biblio.errors import TooManyLogins
    from biblio.users import MAX_FAILURES, WINDOW, authenticate

    engine = open_catalogue(resolve(catalogue))
    with Session(engine) as session:
        for second in range(MAX_FAILURES):
            assert authenticate(session, "ada", "wrong", "10.1.1.1", now=1000.0 + second) is None
        with pytest.raises(TooManyLogins):
            authenticate(session, "ada", PASSWORD, "10.1.1.1", now=1000.0 + MAX_FAILURES)
        later = 1000.0 + WINDOW + 1
        assert authenticate(session, "ada", PASSWORD, "10.1.1.1", now=later) is not None
    engine.dispose()


def test_every_post_needs_the_csrf_token(librarian: Any, catalogue: str) -> None:
    before = catalogue_state(catalogue)
    for path, data in (
        ("/editions/new", {"title": "Sans jeton", "year": "1990"}),
        ("/editions/serge1967birth/edit", {"title": "Changed"}),
        ("/editions/serge1967birth/remove", {}),
        ("/merge", {"kind": "publisher", "keep": "Doubleday", "drop": "Pluto"}),
        ("/history/1/undo", {}),
        ("/logout", {}),
    ):
        response = librarian.post(path, data=data)
        assert response.status_code == 400, path
        assert "CSRF" in response.get_data(as_text=True)
        wrong = librarian.post(path, data={**data, "csrf_token": "forged"})
        assert wrong.status_code == 400, path
    fresh = new_client(catalogue)
    no_token = fresh.post("/login", data={"name": "ada", "password": PASSWORD})
    assert no_token.status_code == 400
    assert catalogue_state(catalogue) == before
    # An htmx request carries it in a header, as the page's hx-headers sets it.
    page = librarian.get("/editions/serge1967birth/remove").get_data(as_text=True)
    assert re.search(
        r"hx-headers='\{&#34;X-CSRFToken&#34;: &#34;[^&]+&#34;\}'|"
        r"hx-headers='\{\"X-CSRFToken\": \"[^\"]+\"\}'",
        page,
    )


def test_cookies_and_headers(catalogue: str) -> None:
    client = new_client(catalogue)
    response = log_in(client, "ada")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    tls = new_client(catalogue)
    form = tls.get("/login", base_url="https://localhost").get_data(as_text=True)
    response = tls.post(
        "/login",
        base_url="https://localhost",
        data={"name": "ada", "password": PASSWORD, "csrf_token": token(form)},
        headers={"Referer": "https://localhost/login"},
    )
    assert response.status_code == 303 and "Secure" in response.headers["Set-Cookie"]
    proxied = new_client(catalogue, proxy=True)
    page = proxied.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in page.headers["Set-Cookie"]
    for path in ("/", "/login", "/editions/serge1967birth"):
        headers = client.get(path).headers
        assert headers["Content-Security-Policy"] == "default-src 'self'"
        assert headers["X-Frame-Options"] == "DENY"


def test_a_private_catalogue_needs_a_login(catalogue: str) -> None:
    client = new_client(catalogue, private=True)
    for path in (
        "/",
        "/api/editions?translator=Greeman",
        "/editions/serge1967birth",
        "/export/biblatex",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/login").status_code == 200
    assert client.get("/static/htmx.min.js").status_code == 200
    assert log_in(client, "rex").status_code == 303
    assert client.get("/api/editions?translator=Greeman").status_code == 200
    assert new_client(catalogue).get("/").status_code == 200  # public by default


# ----------------------------------------------------------------------------- cataloguing


def translation(**changes: Any) -> dict[str, Any]:
    form = {
        "title": "Birth of Our Power",
        "year": "1977",
        "authors": ["Serge, Victor"],
        "translators": ["Greeman, Richard"],
        "publisher": "Doubleday",
        "place": "London",
        "language": "en",
        "orig-title": "Naissance de notre force",
        "orig-year": "1931",
        "orig-language": "fr",
    }
    form.update(changes)
    return form


def test_add_warns_of_duplicates_and_saves_anyway(librarian: Any, catalogue: str) -> None:
    page = librarian.get("/editions/new").get_data(as_text=True)
    before = catalogue_state(catalogue)
    response = librarian.post("/editions/new", data={**translation(), "csrf_token": token(page)})
    assert response.status_code == 409
    warning = response.get_data(as_text=True)
    assert '<a href="/editions/serge1967birth">Birth of our Power</a> (1967)' in warning
    assert "same title" in warning and "Save anyway" in warning
    # The form comes back filled in as it was sent.
    assert 'value="Greeman, Richard"' in warning and 'value="1977"' in warning
    assert catalogue_state(catalogue) == before
    saved = librarian.post(
        "/editions/new", data={**translation(), "confirmed": "yes", "csrf_token": token(warning)}
    )
    assert saved.status_code == 303
    key = saved.headers["Location"].rsplit("/", 1)[1]
    assert key in [e["key"] for e in listed(catalogue, "--translator", "Greeman")]
    added = json.loads(invoke(catalogue, "show", key, "--format", "json").stdout)
    assert added["year"] == 1977 and added["original"]["key"] == "serge1931naissance"
    assert added["translators"] == ["Richard Greeman"] and added["publisher"] == "Doubleday"
    history = json.loads(invoke(catalogue, "history", key, "--format", "json").stdout)
    assert history[0]["user"] == "ada" and history[0]["kind"] == "add"
    assert history[0]["command"].startswith("web: add")
    # An edit changes what it changes: the original's form stays the original's.
    assert invoke(catalogue, "edit", key, "--set", "annotation=Reissued.").exit_code == 0
    edit = json.loads(invoke(catalogue, "history", key, "--format", "json").stdout)[0]
    changed = {f for row in edit["rows"] if row["after"] for f in row["after"]}
    assert changed == {"annotation", "search_text"}, edit["rows"]
    # The very same edition again is refused as the command line refuses it.
    again = librarian.post(
        "/editions/new", data={**translation(), "confirmed": "yes", "csrf_token": token(warning)}
    )
    assert again.status_code == 400 and "already catalogued" in again.get_data(as_text=True)


def test_new_people_and_publishers_are_created_only_when_asked(
    librarian: Any, catalogue: str
) -> None:
    page = librarian.get("/editions/new").get_data(as_text=True)
    form = translation(
        title="Ville conquise (traduction nouvelle)",
        translators=["Hans Neu"],
        publisher="Verlag Neu",
        **{"orig-title": "Ville conquise"},
    )
    before = catalogue_state(catalogue)
    response = librarian.post("/editions/new", data={**form, "csrf_token": token(page)})
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "person <strong>Neu, Hans</strong>" in text
    assert "publisher <strong>Verlag Neu</strong>" in text
    assert catalogue_state(catalogue) == before
    people = json.loads(invoke(catalogue, "people", "--search", "Neu", "--format", "json").stdout)
    assert people == []
    saved = librarian.post(
        "/editions/new", data={**form, "confirmed": "yes", "csrf_token": token(text)}
    )
    assert saved.status_code == 303
    people = json.loads(invoke(catalogue, "people", "--search", "Neu", "--format", "json").stdout)
    assert [p["name"] for p in people] == ["Neu, Hans"]


def test_people_are_picked_as_one_types(librarian: Any) -> None:
    found = librarian.get("/suggest/people?target=translators-1&translators=greem")
    text = found.get_data(as_text=True)
    assert found.status_code == 200 and ">Greeman, Richard</button>" in text
    assert "5 as translator" in text or "as translator" in text
    picked = librarian.get("/suggest/pick?target=translators-1&name=Greeman%2C+Richard")
    text = picked.get_data(as_text=True)
    assert 'id="translators-1" name="translators" value="Greeman, Richard"' in text
    assert 'id="suggest-translators-1" class="suggestions" hx-swap-oob="true"' in text
    none = librarian.get("/suggest/people?target=translators-0&translators=zzzqx")
    assert "saving will ask before creating one" in none.get_data(as_text=True)
    publishers = librarian.get("/suggest/publishers?publisher=double").get_data(as_text=True)
    assert ">Doubleday</button>" in publishers
    assert librarian.get("/suggest/pick?target=title&name=x").status_code == 400
    # Names are escaped in the fragments too.
    hostile = librarian.get('/suggest/pick?target=translators-0&name="><script>x</script>')
    assert "<script>x" not in hostile.get_data(as_text=True)


def test_edit_history_and_undo(librarian: Any, catalogue: str) -> None:
    before = catalogue_state(catalogue)
    form = librarian.get("/editions/serge1967birth/edit").get_data(as_text=True)
    assert 'name="annotation"' in form and 'value="Greeman, Richard"' in form
    fields = edit_form_fields(form)  # what the browser sends back, one field changed
    fields["annotation"] = "A new note on this edition, <em>by ada</em>."
    saved = librarian.post(
        "/editions/serge1967birth/edit", data={**fields, "csrf_token": token(form)}
    )
    assert saved.status_code == 303, saved.get_data(as_text=True)[:2000]
    assert saved.headers["Location"] == "/editions/serge1967birth"
    shown = json.loads(invoke(catalogue, "show", "serge1967birth", "--format", "json").stdout)
    assert shown["annotation"] == "A new note on this edition, <em>by ada</em>."
    page = librarian.get("/editions/serge1967birth").get_data(as_text=True)
    assert "&lt;em&gt;by ada&lt;/em&gt;" in page  # escaped
    history = librarian.get("/history?key=serge1967birth").get_data(as_text=True)
    change = re.search(r'<li id="change-(\d+)"><strong>#\d+</strong> [^·]+· ada · edit', history)
    assert change, history
    assert "annotation:" in history
    undone = librarian.post(
        f"/history/{change.group(1)}/undo",
        data={"csrf_token": token(history), "key": "serge1967birth"},
    )
    assert undone.status_code == 303
    assert catalogue_state(catalogue) == before
    last = json.loads(invoke(catalogue, "history", "--format", "json").stdout)[0]
    assert last["kind"] == "undo" and last["user"] == "ada"
    # A refused undo says why, and changes nothing.
    again = librarian.post(
        f"/history/{change.group(1)}/undo",
        data={"csrf_token": token(history)},
        follow_redirects=True,
    )
    assert "Not undone" in again.get_data(as_text=True)
    assert catalogue_state(catalogue) == before


def test_an_invalid_edit_writes_nothing(librarian: Any, catalogue: str) -> None:
    before = catalogue_state(catalogue)
    form = librarian.get("/editions/serge1967birth/edit").get_data(as_text=True)
    response = librarian.post(
        "/editions/serge1967birth/edit",
        data={"year": "19x9", "title": "Birth of our Power", "csrf_token": token(form)},
    )
    assert response.status_code == 400
    assert "year" in response.get_data(as_text=True)
    assert catalogue_state(catalogue) == before
    assert librarian.get("/editions/nosuchkey/edit").status_code == 404


def test_remove_asks_first(librarian: Any, catalogue: str) -> None:
    page = librarian.get("/editions/serge1967birth/remove")
    assert page.status_code == 200 and "Remove serge1967birth" in page.get_data(as_text=True)
    assert any(e["key"] == "serge1967birth" for e in listed(catalogue))
    removed = librarian.post(
        "/editions/serge1967birth/remove", data={"csrf_token": token(page.get_data(as_text=True))}
    )
    assert removed.status_code == 303
    assert not any(e["key"] == "serge1967birth" for e in listed(catalogue))
    assert librarian.get("/editions/serge1967birth/remove").status_code == 404


def test_merge_previews_then_merges(librarian: Any, catalogue: str, tmp_path: Path) -> None:
    bib = tmp_path / "pluto.bib"
    bib.write_text(
        "@book{x1990, author = {Serge, Victor}, title = {Pluto test}, date = {1990},"
        " publisher = {Pluto}}\n"
    )
    assert invoke(catalogue, "import", str(bib)).exit_code == 0
    before = catalogue_state(catalogue)
    page = librarian.get("/merge").get_data(as_text=True)
    data = {"kind": "publisher", "keep": "Doubleday", "drop": "Pluto", "csrf_token": token(page)}
    preview = librarian.post("/merge", data=data)
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Preview: Pluto into Doubleday" in text
    assert "x1990" in text
    assert catalogue_state(catalogue) == before  # a preview writes nothing
    merged = librarian.post("/merge", data={**data, "confirmed": "yes"})
    assert merged.status_code == 303
    [entry] = [e for e in listed(catalogue) if e["key"] == "x1990"]
    assert entry["publisher"] == "Doubleday" or entry["publisher"] == "Pluto"
    publishers = json.loads(invoke(catalogue, "publishers", "--format", "json").stdout)
    assert not any(p["name"] == "Pluto" for p in publishers)
    bad = librarian.post("/merge", data={**data, "drop": "No Such House", "confirmed": "yes"})
    assert bad.status_code == 400 and "No Such House" in bad.get_data(as_text=True)


def test_import_a_file_with_its_report(librarian: Any, catalogue: str) -> None:
    page = librarian.get("/import").get_data(as_text=True)
    good = (
        b"@book{serge1970geburt, author = {Serge, Victor}, title = {Repeated},"  # biber: the last
        b' title = {Geburt unserer Macht}, date = {1970}, translator = {M{\\"u}ller, Hans},'
        b" langid = {german}}\n"
    )
    from io import BytesIO

    dry = librarian.post(
        "/import",
        data={"file": (BytesIO(good), "geburt.bib"), "dry_run": "yes", "csrf_token": token(page)},
        content_type="multipart/form-data",
    )
    assert dry.status_code == 200 and "Would import 1 entry from geburt.bib" in dry.get_data(
        as_text=True
    )
    assert not any(e["key"] == "serge1970geburt" for e in listed(catalogue))
    done = librarian.post(
        "/import",
        data={"file": (BytesIO(good), "geburt.bib"), "csrf_token": token(page)},
        content_type="multipart/form-data",
    )
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "Imported 1 entry from geburt.bib: 1 created" in text
    # The repeated title's warning names the uploaded file.
    assert "geburt.bib:1: entry &#39;serge1970geburt&#39;, field &#39;title&#39;" in text
    [added] = [e for e in listed(catalogue) if e["key"] == "serge1970geburt"]
    assert added["translators"] == ["Hans Müller"] and added["title"] == "Geburt unserer Macht"
    history = json.loads(invoke(catalogue, "history", "serge1970geburt", "--format", "json").stdout)
    assert history[0]["user"] == "ada" and history[0]["command"] == "web: import geburt.bib"
    marc = Path(__file__).parent / "data" / "marc"
    record = next(p for p in sorted(marc.iterdir()) if p.suffix == ".mrc")
    chosen = librarian.post(
        "/import",
        data={"file": (BytesIO(record.read_bytes()), "records.bin"), "format": "marc",
              "dry_run": "yes", "csrf_token": token(page)},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert chosen.status_code == 200 and "Would import" in chosen.get_data(as_text=True)
    before = catalogue_state(catalogue)
    broken = b"@book{ok1, title = {Fine}, date = {1990}}\n@book{bad1, title = {Open brace}\n"
    refused = librarian.post(
        "/import",
        data={"file": (BytesIO(broken), "broken.bib"), "csrf_token": token(page)},
        content_type="multipart/form-data",
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Nothing imported" in text and "broken.bib:2" in text
    assert catalogue_state(catalogue) == before


def test_admins_manage_users_on_a_page(catalogue: str) -> None:
    admin = new_client(catalogue)
    log_in(admin, "root")
    page = admin.get("/users").get_data(as_text=True)
    assert (
        "<td>ada</td>" in page
        and "password" not in re.sub(r"<form.*?</form>", "", page, flags=re.S).lower()
    )
    added = admin.post(
        "/users",
        data={
            "action": "add",
            "name": "bea",
            "role": "librarian",
            "password": PASSWORD,
            "csrf_token": token(page),
        },
    )
    assert added.status_code == 303
    users = json.loads(invoke(catalogue, "user", "list", "--format", "json").stdout)
    assert ("bea", "librarian") in [(u["name"], u["role"]) for u in users]
    role = admin.post(
        "/users",
        data={"action": "role", "name": "bea", "role": "reader", "csrf_token": token(page)},
    )
    assert role.status_code == 303
    last = admin.post(
        "/users",
        data={"action": "role", "name": "root", "role": "reader", "csrf_token": token(page)},
    )
    assert last.status_code == 400 and "last admin" in last.get_data(as_text=True)
    bea = new_client(catalogue)
    log_in(bea, "bea")
    assert bea.get("/editions/new").status_code == 403  # her new role applies at once
    removed = admin.post(
        "/users", data={"action": "remove", "name": "bea", "csrf_token": token(page)}
    )
    assert removed.status_code == 303
    assert "bea (reader)" not in bea.get("/").get_data(as_text=True)  # logged out


def test_values_are_escaped_everywhere(librarian: Any, catalogue: str, tmp_path: Path) -> None:
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
    bib = tmp_path / "x.bib"
    bib.write_text(
        "@book{xss1999, author = {Evil, Eve}, title = {" + hostile + "}, date = {1999},"
        " annotation = {" + hostile + "}, translator = {Mal, Ory}}\n"
    )
    assert invoke(catalogue, "import", str(bib)).exit_code == 0
    for path in (
        "/editions/xss1999",
        "/?q=script",
        "/editions/xss1999/edit",
        "/people?name=Evil",
        "/history?key=xss1999",
    ):
        page = librarian.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, path
        if "history" not in path and "people" not in path:  # these name editions by key
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path


def test_a_server_keeps_its_commits_while_other_processes_read(sqlite_db: str) -> None:
    """A long-lived process (a gunicorn worker) that reads, then opens its writer, keeps its
    SQLite locks: another process's read that ends must not delete the -wal file under it
    (every later commit of the server's was lost that way: POSIX drops a process's locks when
    any descriptor of the file closes)."""
    import subprocess
    import sys

    from biblio.edits import edit_edition
    from biblio.queries import get_edition
    from biblio.web.store import Store

    assert invoke(sqlite_db, "seed").exit_code == 0
    store = Store(resolve(sqlite_db))
    assert store.read(lambda s: get_edition(s, "serge1967birth")).key == "serge1967birth"
    store.write(lambda s: edit_edition(s, "serge1967birth", {"place": "Paris"}), user="ada",
                command="first")  # fmt: skip
    other = [sys.executable, "-m", "biblio", "--db", sqlite_db, "show", "serge1967birth"]
    assert subprocess.run(other, capture_output=True, check=False).returncode == 0
    store.write(lambda s: edit_edition(s, "serge1967birth", {"place": "Moscow"}), user="ada",
                command="second")  # fmt: skip
    shown = subprocess.run([*other, "--format", "json"], capture_output=True, text=True,
                           check=True)  # fmt: skip
    assert json.loads(shown.stdout)["place"] == "Moscow"
    assert Path(sqlite_db + "-wal").exists()  # still the server's, while it runs


def test_librarians_errors_are_pages_not_tracebacks(librarian: Any, catalogue: str) -> None:
    page = librarian.get("/import").get_data(as_text=True)
    missing = librarian.get("/history?key=nosuchkey")
    assert missing.status_code == 404 and "nosuchkey" in missing.get_data(as_text=True)
    assert librarian.get("/history?since=yesterday").status_code == 400
    no_file = librarian.post("/import", data={"csrf_token": token(page)})
    assert no_file.status_code == 400 and "Choose a file" in no_file.get_data(as_text=True)
    assert (
        librarian.post(
            "/merge", data={"kind": "book", "keep": "a", "drop": "b", "csrf_token": token(page)}
        ).status_code
        == 400
    )
    assert (
        librarian.post(
            "/history/99999/undo", data={"csrf_token": token(page)}, follow_redirects=True
        ).status_code
        == 200
    )
    assert librarian.get("/editions/nosuchkey/remove").status_code == 404
    assert (
        librarian.post("/editions/new", data={"csrf_token": token(page), "title": ""}).status_code
        == 400
    )
    admin = new_client(catalogue)
    log_in(admin, "root")
    users = admin.get("/users").get_data(as_text=True)
    assert (
        admin.post("/users", data={"action": "fly", "csrf_token": token(users)}).status_code == 400
    )
    short = admin.post(
        "/users",
        data={
            "action": "add",
            "name": "x",
            "role": "reader",
            "password": "short",
            "csrf_token": token(users),
        },
    )
    assert short.status_code == 400 and "at least 8" in short.get_data(as_text=True)


def edit_form_fields(form: str) -> dict[str, Any]:
    """What a browser sends back from the edit form as it is shown."""
    import html

    fields: dict[str, Any] = {}
    for name, value in re.findall(r'<input type="text"[^>]* name="([\w-]+)" value="([^"]*)"', form):
        fields.setdefault(name, []).append(html.unescape(value))
    for name, value in re.findall(r'<textarea name="([\w-]+)" rows="4">([^<]*)</textarea>', form):
        fields[name] = [html.unescape(value)]
    return {k: v if k in ("authors", "translators", "editors") else v[0] for k, v in fields.items()}


def test_paragraphs_and_namesakes_survive_the_edit_form(librarian: Any, catalogue: str) -> None:
    from sqlalchemy.orm import Session

    from biblio import names
    from biblio.db import open_catalogue
    from biblio.matching import person_name_row
    from biblio.models import Person, PersonName

    form = librarian.get("/editions/serge1967birth/edit").get_data(as_text=True)
    fields = edit_form_fields(form)
    fields["annotation"] = "First paragraph.\r\n\r\nSecond paragraph."
    saved = librarian.post(
        "/editions/serge1967birth/edit", data={**fields, "csrf_token": token(form)}
    )
    assert saved.status_code == 303
    shown = json.loads(invoke(catalogue, "show", "serge1967birth", "--format", "json").stdout)
    assert shown["annotation"] == "First paragraph.\n\nSecond paragraph."
    again = librarian.get("/editions/serge1967birth/edit").get_data(as_text=True)
    assert "First paragraph.\n\nSecond paragraph.</textarea>" in again
    changes = len(json.loads(invoke(catalogue, "history", "--format", "json").stdout))
    unchanged = librarian.post(
        "/editions/serge1967birth/edit",
        data={**edit_form_fields(again), "csrf_token": token(again)},
    )
    assert unchanged.status_code == 303
    assert len(json.loads(invoke(catalogue, "history", "--format", "json").stdout)) == changes

    # A second Richard Greeman: the form names the edition's own by #ID, and saves.
    engine = open_catalogue(resolve(catalogue))
    with Session(engine) as session:
        name = names.parse_name("Greeman, Richard")
        other = Person(
            family="Greeman",
            given="Richard",
            sort_name="Greeman, Richard",
            authority_key="greeman richard (namesake)",
        )
        session.add(other)
        session.flush()
        session.add(PersonName(person_id=other.id, **person_name_row(name, "primary")))
        original = session.scalar(select_person_id("Greeman, Richard", other.id))
        other_id = other.id
        session.commit()
    engine.dispose()
    form = librarian.get("/editions/serge1967birth/edit").get_data(as_text=True)
    assert f'name="translators" value="#{original}"' in form
    fields = edit_form_fields(form)
    fields["translators"] = [*fields["translators"], "Sedgwick, Peter"]
    saved = librarian.post(
        "/editions/serge1967birth/edit", data={**fields, "csrf_token": token(form)}
    )
    assert saved.status_code == 303, saved.get_data(as_text=True)[:3000]
    record = json.loads(
        invoke(catalogue, "people", "show", f"#{original}", "--format", "json").stdout
    )
    assert any(c.get("edition") == "serge1967birth" for c in record["credits"])
    # A reader following the translator's link meets both people of the name, and picks.
    both = librarian.get("/people?name=Greeman%2C+Richard").get_data(as_text=True)
    assert f'<a href="/people?name=%23{original}">Greeman, Richard</a> (#{original})' in both
    assert f"(#{other_id})" in both
    chosen = librarian.get(f"/people?name=%23{original}").get_data(as_text=True)
    assert "<h1>Richard Greeman</h1>" in chosen and "Birth of our Power" in chosen


def select_person_id(sort_name: str, other: int) -> Any:
    from sqlalchemy import select

    from biblio.models import Person

    return select(Person.id).where(Person.sort_name == sort_name, Person.id != other)


def test_bad_requests_are_clear(librarian: Any, catalogue: str) -> None:
    from io import BytesIO

    assert librarian.get("/?page=99999999999999999999").status_code == 400
    assert librarian.get("/?q=serge&page=99999999999999999999").status_code == 400
    assert librarian.get("/suggest/pick?target=authors&name=x").status_code == 400
    api = librarian.get("/api/editions?year=abc")
    assert api.status_code == 400 and "error" in api.get_json()
    page = librarian.get("/import").get_data(as_text=True)
    latin = "@book{latin1, author = {Étiemble, René}, title = {Élan}, date = {1950}}\n"
    upload = {"file": (BytesIO(latin.encode("latin-1")), "latin.bib"), "csrf_token": token(page)}
    refused = librarian.post("/import", data=dict(upload), content_type="multipart/form-data")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "latin.bib" in text and "/tmp" not in text
    upload = {
        "file": (BytesIO(latin.encode("latin-1")), "latin.bib"),
        "encoding": "latin-1",
        "csrf_token": token(page),
    }
    done = librarian.post("/import", data=upload, content_type="multipart/form-data")
    assert done.status_code == 200 and "1 created" in done.get_data(as_text=True)
    shown = json.loads(invoke(catalogue, "show", "latin1", "--format", "json").stdout)
    assert shown["title"] == "Élan"
    # The merge button carries the pair previewed, whatever the inputs above say since.
    preview = librarian.post(
        "/merge",
        data={"kind": "publisher", "keep": "Doubleday", "drop": "Readers and Writers",
              "csrf_token": token(page)},
    )  # fmt: skip
    assert preview.status_code == 200
    merge_form = preview.get_data(as_text=True).split('<section class="preview">')[1]
    assert '<input type="hidden" name="keep" value="Doubleday">' in merge_form
    assert '<input type="hidden" name="drop" value="Readers and Writers">' in merge_form


def test_logging_out_ends_the_session_for_copies_too(catalogue: str) -> None:
    app = create_app(resolve(catalogue))
    app.testing = True
    client = app.test_client()
    assert log_in(client, "ada").status_code == 303
    cookie = client.get_cookie("session")
    assert cookie is not None
    copy = app.test_client()  # another browser with the cookie copied
    copy.set_cookie("session", cookie.value)
    assert copy.get("/editions/new").status_code == 200  # a copy works while logged in
    page = client.get("/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": token(page)}).status_code == 303
    assert copy.get("/editions/new").status_code == 302  # and ends with the logout
    # A new password ends every session of its user.
    assert log_in(client, "ada").status_code == 303
    assert client.get("/editions/new").status_code == 200
    changed = CliRunner().invoke(cli, ["--db", catalogue, "user", "password", "ada"],
                                 input="a brand new password\n")  # fmt: skip
    assert changed.exit_code == 0
    assert client.get("/editions/new").status_code == 302
    assert log_in(client, "ada", "a brand new password").status_code == 303
    assert client.get("/editions/new").status_code == 200


def test_editions_whose_key_holds_a_slash_are_reached(
    librarian: Any, catalogue: str, tmp_path: Path
) -> None:
    """biber takes any key without a comma or a brace, and real files hold 'averroes/hercz'
    and 'DBLP:conf/wicsa/x': their pages, API record, edit and remove forms answered 404, so
    readers could not open them nor librarians edit them."""
    bib = tmp_path / "slash.bib"
    bib.write_text(
        "@book{averroes/hercz, title = {Drei Abhandlungen}, date = {1869}}\n"
        "@inproceedings{DBLP:conf/wicsa/Smith08, title = {Wicsa}, date = {2008}}\n",
        encoding="utf-8",
    )
    assert invoke(catalogue, "import", str(bib)).exit_code == 0
    found = librarian.get("/?q=Drei+Abhandlungen").get_data(as_text=True)
    assert '<a href="/editions/averroes/hercz">' in found
    for key in ("averroes/hercz", "DBLP:conf/wicsa/Smith08"):
        assert librarian.get(f"/editions/{key}").status_code == 200, key
        assert librarian.get(f"/api/editions/{key}").get_json()["key"] == key
        assert librarian.get(f"/editions/{key}/edit").status_code == 200, key
        assert librarian.get(f"/editions/{key}/remove").status_code == 200, key
