"""The catalogue's history: every change recorded, with the fields before and after, and undone.

Each test works on a real catalogue on each backend, and compares whole catalogues (every row
of every table, ids included) before a change and after its undo.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from biblio import history
from biblio.config import resolve
from biblio.db import open_catalogue, session_scope
from biblio.errors import InvalidValue, NotFound
from biblio.models import Base, Change, ChangeRow

from .conftest import invoke

SKIPPED_TABLES = {"change", "change_row", "alembic_version"}


def dump(db: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every catalogue table (not the history's), ids included."""
    engine = open_catalogue(resolve(db))
    try:
        with engine.connect() as connection:
            out = {}
            for table in Base.metadata.sorted_tables:
                if table.name in SKIPPED_TABLES:
                    continue
                rows = connection.execute(select(table).order_by(table.c.id)).all()
                out[table.name] = [
                    tuple(json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else v
                          for v in row)
                    for row in rows
                ]  # fmt: skip
            return out
    finally:
        engine.dispose()


def in_session(db: str, work: Callable[[Any], Any], kind: str | None = None) -> Any:
    engine = open_catalogue(resolve(db))
    try:
        with session_scope(engine) as session:
            if kind:
                history.start(session, kind, f"test {kind}", user="tester")
            return work(session)
    finally:
        engine.dispose()


def all_changes(db: str) -> list[history.ChangeView]:
    return in_session(db, lambda s: history.changes(s, rows_per_change=None))


def write_bib(tmp_path: Path, name: str, text_: str) -> str:
    path = tmp_path / name
    path.write_text(text_, encoding="utf-8")
    return str(path)


BIB = r"""
@book{tr1, author = {Serge, Victor}, title = {Nacimiento de nuestra fuerza}, date = {1972},
  translator = {P{\'e}rez, Juan}, publisher = {Era}, location = {M{\'e}xico},
  origtitle = {Naissance de notre force}, origdate = {1931}, origlanguage = {french},
  keywords = {novel, revolution}, annotation = {A Spanish translation.}}
@book{tr2, author = {Serge, Victor}, title = {Unver{\"o}ffentlichte Hefte}, date = {1999},
  translator = {M{\"u}ller, Hans}, publisher = {Suhrkamp},
  origtitle = {Carnets in{\'e}dits}, origdate = {1998}, origlanguage = {french}}
"""


def test_an_import_is_one_change_and_its_undo_leaves_the_catalogue_as_before(
    seeded: str, tmp_path: Path
) -> None:
    before = dump(seeded)
    changes_before = len(all_changes(seeded))
    result = invoke(seeded, "import", write_bib(tmp_path, "in.bib", BIB))
    assert result.exit_code == 0, result.output
    after = dump(seeded)
    assert after != before
    changes = all_changes(seeded)
    assert len(changes) == changes_before + 1
    change = changes[0]
    assert change.kind == "import" and "import" in change.command
    created = {(r.table, r.action) for r in change.rows}
    # A new record's credits and keywords come and go with it: only the records are rows.
    assert created == {("edition", "i"), ("work", "i"), ("person", "i"), ("publisher", "i")}
    assert {r.label for r in change.rows if r.table == "edition"} == {"tr1", "tr2"}
    in_session(seeded, lambda s: history.undo(s, change.id, "test undo"))
    assert dump(seeded) == before
    undo_change = all_changes(seeded)[0]
    assert (undo_change.kind, undo_change.undoes) == ("undo", change.id)
    assert all_changes(seeded)[1].undone_by == undo_change.id


def test_an_edit_keeps_the_fields_before_and_after_and_is_undone(seeded: str) -> None:
    before = dump(seeded)
    result = invoke(seeded, "edit", "serge1967birth", "--set", "title=Birth of Our Power",
                    "--set", "translators=Smith, John")  # fmt: skip
    assert result.exit_code == 0, result.output
    change = all_changes(seeded)[0]
    assert change.kind == "edit"
    titles = [r for r in change.rows if r.table == "edition" and r.action == "u"]
    assert [(r.before["title"], r.after["title"]) for r in titles if r.before and r.after and
            "title" in r.before] == [("Birth of our Power", "Birth of Our Power")]  # fmt: skip
    assert {r.table for r in change.rows} >= {"edition", "contribution", "person"}
    in_session(seeded, lambda s: history.undo(s, change.id))
    assert dump(seeded) == before


def test_undo_refuses_while_a_later_change_touched_the_same_record(seeded: str) -> None:
    assert invoke(seeded, "edit", "serge1967birth", "--set", "year=1968").exit_code == 0
    first = all_changes(seeded)[0].id
    assert invoke(seeded, "edit", "serge1967birth", "--set", "place=Boston").exit_code == 0
    second = all_changes(seeded)[0].id
    with pytest.raises(InvalidValue, match=rf"#{second} \(edit by"):
        in_session(seeded, lambda s: history.undo(s, first))
    result = invoke(seeded, "undo", str(first))
    assert result.exit_code == 1
    assert f"change #{first} cannot be undone" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert invoke(seeded, "undo", str(second)).exit_code == 0
    assert invoke(seeded, "undo", str(first)).exit_code == 0  # the later one is undone now
    shown = invoke(seeded, "list", "--format", "json").stdout
    birth = next(e for e in json.loads(shown) if e["key"] == "serge1967birth")
    assert (birth["year"], birth["place"]) == (1967, "New York")


def test_undo_of_an_undo_redoes_and_an_undone_change_is_not_undone_twice(seeded: str) -> None:
    assert invoke(seeded, "edit", "serge1967birth", "--set", "place=Boston").exit_code == 0
    edited = dump(seeded)
    change = all_changes(seeded)[0].id
    assert invoke(seeded, "undo", str(change)).exit_code == 0
    again = invoke(seeded, "undo", str(change))
    assert again.exit_code == 1 and "already undone" in again.output
    undo_id = all_changes(seeded)[0].id
    assert invoke(seeded, "undo", str(undo_id)).exit_code == 0
    assert dump(seeded) == edited


def test_remove_and_merges_are_recorded_and_undone(seeded: str) -> None:
    before = dump(seeded)
    assert invoke(seeded, "remove", "serge1967birth", "--yes").exit_code == 0
    removed = all_changes(seeded)[0]
    assert removed.kind == "remove"
    assert {(r.table, r.action) for r in removed.rows} >= {("edition", "d"), ("contribution", "d")}
    deleted = next(r for r in removed.rows if r.table == "edition")
    assert deleted.before is not None and deleted.before["title"] == "Birth of our Power"
    assert invoke(seeded, "undo", str(removed.id)).exit_code == 0
    assert dump(seeded) == before

    publishers = invoke(seeded, "list", "--format", "json").stdout
    names = sorted({e["publisher"] for e in json.loads(publishers) if e.get("publisher")})
    assert invoke(seeded, "merge", "publisher", names[0], names[1]).exit_code == 0
    merged = all_changes(seeded)[0]
    assert merged.kind == "merge"
    assert invoke(seeded, "undo", str(merged.id)).exit_code == 0
    assert dump(seeded) == before


def test_a_change_that_changes_nothing_leaves_no_trace(seeded: str) -> None:
    count = len(all_changes(seeded))
    assert invoke(seeded, "seed").exit_code == 0
    assert invoke(seeded, "edit", "serge1967birth", "--set", "place=New York").exit_code == 0
    assert len(all_changes(seeded)) == count


def test_who_when_and_what_are_recorded(seeded: str) -> None:
    result = invoke(seeded, "edit", "serge1967birth", "--set", "place=Boston",
                    env={"BIBLIO_USER": "alice"})  # fmt: skip
    assert result.exit_code == 0
    change = all_changes(seeded)[0]
    assert change.user == "alice"
    assert change.at.endswith("Z") and change.at[:4].isdigit()
    assert "place=Boston" in change.command
    seeding = all_changes(seeded)[-1]
    assert seeding.kind == "seed"


def test_history_command_by_key_person_since_and_user(seeded: str) -> None:
    invoke(seeded, "edit", "serge1967birth", "--set", "place=Boston", env={"BIBLIO_USER": "alice"})
    invoke(seeded, "edit", "serge1967birth", "--set", "key=serge1967power")
    shown = invoke(seeded, "history", "serge1967birth")
    assert shown.exit_code == 0, shown.output
    lines = shown.output
    assert "alice" in lines and "place: 'New York' → 'Boston'" in lines
    assert "key: 'serge1967birth' → 'serge1967power'" in lines
    assert "seed" in lines  # created by the seed, under its first key
    by_new_key = invoke(seeded, "history", "serge1967power")
    assert by_new_key.output == shown.output
    by_user = invoke(seeded, "history", "--user", "alice", "--format", "json")
    changes = json.loads(by_user.output)
    assert [c["user"] for c in changes] == ["alice"]
    assert changes[0]["rows"][0]["before"] == {"place": "New York"}
    since = invoke(seeded, "history", "--since", "2999-01-01")
    assert since.exit_code == 0 and since.output.strip() == "no changes"
    assert "seed" in invoke(seeded, "history", "--since", "2026").output
    garbage = invoke(seeded, "history", "--since", "garbage")
    assert garbage.exit_code == 2 and "invalid date 'garbage'" in garbage.output
    person = invoke(seeded, "history", "--person", "Richard Greeman")
    assert person.exit_code == 0 and "seed" in person.output
    missing = invoke(seeded, "history", "nosuchkey")
    assert missing.exit_code == 1 and "nosuchkey" in missing.output


def test_undo_of_an_unknown_change_is_one_line(seeded: str) -> None:
    result = invoke(seeded, "undo", "99999")
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no change #99999"


def test_a_redone_import_keeps_its_ids_after_another_import(seeded: str, tmp_path: Path) -> None:
    """Ids an undone import used are not given again, so undoing its undo can put them back."""
    assert invoke(seeded, "import", write_bib(tmp_path, "a.bib", BIB)).exit_code == 0
    imported = dump(seeded)
    first = all_changes(seeded)[0].id
    assert invoke(seeded, "undo", str(first)).exit_code == 0
    undo_id = all_changes(seeded)[0].id
    other = BIB.replace("tr1", "x1").replace("tr2", "x2").replace("1972", "1977")
    other = other.replace("P{\\'e}rez, Juan", "Ruiz, Ana").replace('M{\\"u}ller, Hans', "Wolf, Eva")
    other = other.replace("{Era}", "{Akal}").replace("{Suhrkamp}", "{Dietz}")
    other = other.replace("Carnets", "Cahiers")
    assert invoke(seeded, "import", write_bib(tmp_path, "b.bib", other)).exit_code == 0
    result = invoke(seeded, "undo", str(undo_id))
    assert result.exit_code == 0, result.output
    again = dump(seeded)
    for table, rows in imported.items():
        assert set(rows) <= set(again[table]), table


def test_a_redo_that_the_catalogue_no_longer_allows_is_refused_in_one_line(
    seeded: str, tmp_path: Path
) -> None:
    """Undone, an import's new translator is gone; imported again by another file, the
    person is a new record, and bringing the first import back would make two people of
    one name: refused, naming the rule, the catalogue unchanged."""
    assert invoke(seeded, "import", write_bib(tmp_path, "a.bib", BIB)).exit_code == 0
    assert invoke(seeded, "undo", str(all_changes(seeded)[0].id)).exit_code == 0
    undo_id = all_changes(seeded)[0].id
    other = BIB.replace("tr1", "x1").replace("tr2", "x2")
    assert invoke(seeded, "import", write_bib(tmp_path, "b.bib", other)).exit_code == 0
    before = dump(seeded)
    result = invoke(seeded, "undo", str(undo_id))
    assert result.exit_code == 1
    assert f"change #{undo_id} cannot be undone" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert dump(seeded) == before


def test_concurrent_writers_each_get_their_change(db: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    assert invoke(db, "init").exit_code == 0
    files = []
    for i in range(4):
        body = BIB.replace("tr1", f"a{i}").replace("tr2", f"b{i}").replace("1972", str(1970 + i))
        files.append(write_bib(tmp_path, f"c{i}.bib", body.replace("1999", str(1980 + i))))
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "biblio", "--db", db, "import", path],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for path in files
    ]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    changes = all_changes(db)
    assert sorted(c.kind for c in changes) == ["import"] * 4
    labels = sorted(r.label for c in changes for r in c.rows if r.table == "edition")
    assert labels == sorted([f"a{i}" for i in range(4)] + [f"b{i}" for i in range(4)])
    engine = open_catalogue(resolve(db))
    with engine.connect() as connection:
        orphans = connection.execute(
            text("SELECT count(*) FROM change_row WHERE change_id NOT IN (SELECT id FROM change)")
        ).scalar()
    engine.dispose()
    assert orphans == 0


def test_history_rows_are_in_the_catalogue(seeded: str) -> None:
    def count(session: Any) -> tuple[int, int]:
        return (
            len(session.scalars(select(Change.id)).all()),
            len(session.scalars(select(ChangeRow.id)).all()),
        )

    changes, rows = in_session(seeded, count)
    assert changes == 1 and rows > 23
    with pytest.raises(NotFound):
        in_session(seeded, lambda s: history.changes(s, key="nosuchkey"))


# ----------------------------------------------------------------------------- seeding again


def test_seeding_again_keeps_what_a_librarian_did(seeded: str) -> None:
    """Edits, a renamed key, a removal and a person's note survive a second seed, which adds
    no edition and records no change."""
    edits = [
        ("edit", "serge1951case", "--set", "title=The Case of Comrade Tulayev (NYRB)"),
        ("edit", "serge1967birth", "--set", "year=1968"),
        ("edit", "serge1946long", "--set", "key=long1946"),
        ("edit", "serge1975conquered", "--set", "orig-title=Ville conquise (1932)"),
        ("edit", "serge1982midnight", "--set", "translators=Smith, John"),
        ("remove", "serge1969men", "--yes"),
    ]
    for args in edits:
        result = invoke(seeded, *args)
        assert result.exit_code == 0, (args, result.output)
    before = dump(seeded)
    count = len(all_changes(seeded))
    result = invoke(seeded, "seed")
    assert result.exit_code == 0, result.output
    assert dump(seeded) == before
    assert len(all_changes(seeded)) == count
    listed = json.loads(invoke(seeded, "list", "--format", "json").stdout)
    keys = [e["key"] for e in listed]
    assert len(keys) == 22 and "serge1969men" not in keys and "serge1951casea" not in keys


def test_seeding_again_adds_what_is_missing(seeded: str) -> None:
    """A seed that gained an annotation and an entry brings both in, beside an edit."""
    from dataclasses import replace

    from biblio.catalogue import seed_records
    from biblio.records import EditionRecord, load_seed

    assert invoke(seeded, "edit", "serge1967birth", "--set", "place=Boston").exit_code == 0
    people, entries = load_seed()
    grown = [
        replace(e, place="London", pages="xii, 300") if e.key == "serge1967birth" else e
        for e in entries
    ]
    grown.append(EditionRecord(title="Notebooks", key="serge2019notebooks", date="2019",
                               authors=["Serge, Victor"]))  # fmt: skip
    report = in_session(seeded, lambda s: seed_records(s, people, grown))
    assert (report.created, report.updated) == (1, 1)
    shown = json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout)
    assert (shown["place"], shown["pages"]) == ("Boston", "xii, 300")
    assert invoke(seeded, "show", "serge2019notebooks").exit_code == 0
    change = all_changes(seeded)[0]
    assert change.kind == "seed"


def test_history_names_linked_records(seeded: str) -> None:
    """A changed link shows the records' names, not their ids."""
    assert invoke(seeded, "edit", "serge1967birth", "--set", "publisher=Penguin").exit_code == 0
    shown = invoke(seeded, "history", "serge1967birth").output
    assert "publisher: 'Doubleday' → 'Penguin'" in shown


# ----------------------------------------------------------------------------- round trip

MORE = r"""
@book{tr9, author = {Serge, Victor}, title = {Ciudad conquistada}, date = {1978},
  translator = {Ruiz, Ana}, publisher = {Akal}, location = {Madrid},
  origtitle = {Ville conquise}, origdate = {1932}, origlanguage = {french},
  keywords = {novel; Petrograd}, annotation = {Spanish translation.}}
@article{art1, author = {Smith, Jane}, title = {Serge in Spanish},
  journaltitle = {Translation Review}, date = {2001}, volume = {3}, pages = {12--30},
  doi = {10.1000/serge.1}}
"""

UPDATE = r"""
@book{serge1967birth, author = {Serge, Victor}, title = {Birth of our Power}, year = {1967},
  publisher = {Penguin}, pages = {xii, 300}}
"""


def test_any_sequence_undone_in_reverse_gives_back_the_same_catalogue(
    seeded: str, tmp_path: Path
) -> None:
    """Imports (new and updating), an add, edits (a title, credits, a key, a shared
    original split off), merges of publishers, people and works, a rename and removals, each
    undone in reverse order: the biblatex export and every row are as before."""
    before_export = invoke(seeded, "export", "--format", "biblatex").stdout
    before = dump(seeded)
    first = len(all_changes(seeded))
    steps = [
        ("import", write_bib(tmp_path, "more.bib", MORE)),
        ("import", "--on-duplicate", "update", write_bib(tmp_path, "upd.bib", UPDATE)),
        ("add", "--title", "Year One", "--year", "1992", "--author", "Serge",
         "--translator", "Sedgwick, P.", "--publisher", "Pluto Press"),
        ("edit", "serge1951case", "--set", "title=The Case of Comrade Tulayev (NYRB)",
         "--set", "translators=Trask, Willard R.; Ruiz, Ana"),
        ("edit", "serge1975conquered", "--set", "orig-place=Petrograd"),
        ("edit", "serge1946long", "--set", "key=long1946", "--set", "place=London"),
        ("merge", "publisher", "Pluto Press", "Pluto"),
        ("merge", "person", "Serge, Victor", "Ruiz, Ana"),
        ("merge", "work", "serge1932ville", "serge1931naissance"),
        ("people", "rename", "Greeman", "Greeman, Richard M."),
        ("remove", "serge1969men", "--yes"),
        ("remove", "art1", "--yes"),
    ]  # fmt: skip
    for args in steps:
        result = invoke(seeded, *args)
        assert result.exit_code == 0, (args, result.output)
    made = [c for c in all_changes(seeded) if c.id > first]
    assert len(made) == len(steps)  # each step is one change (none changed nothing)
    assert invoke(seeded, "export", "--format", "biblatex").stdout != before_export
    for change in made:  # newest first: the reverse order
        result = invoke(seeded, "undo", str(change.id))
        assert result.exit_code == 0, (change.command, result.output)
    assert invoke(seeded, "export", "--format", "biblatex").stdout == before_export
    assert dump(seeded) == before


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_sequences_undone_in_reverse_give_back_the_catalogue(
    seeded_sqlite: str, tmp_path: Path, seed: int
) -> None:
    """The same, for operations drawn in a random order (one that a step's order makes
    impossible, such as merging a removed record, is refused and leaves no change)."""
    import random

    db = seeded_sqlite
    before_export = invoke(db, "export", "--format", "biblatex").stdout
    before = dump(db)
    first = len(all_changes(db))
    pool = [
        ("import", write_bib(tmp_path, "more.bib", MORE)),
        ("import", "--on-duplicate", "update", write_bib(tmp_path, "upd.bib", UPDATE)),
        ("add", "--title", "Year One", "--year", "1992", "--author", "Serge",
         "--translator", "Sedgwick, P.", "--publisher", "Pluto Press"),
        ("edit", "serge1951case", "--set", "translators=Trask, Willard R.; Smith, Jane"),
        ("edit", "serge1975conquered", "--set", "orig-place=Petrograd", "--all-editions"),
        ("edit", "serge1967birth", "--set", "key=birth1967", "--set", "year=1968"),
        ("merge", "publisher", "Doubleday", "City Lights"),
        ("merge", "person", "Serge, Victor", "Sedgwick, Peter"),
        ("people", "rename", "Manheim", "Manheim, Ralph F."),
        ("publishers", "rename", "Pluto", "Pluto Books"),
        ("remove", "serge1969men", "--yes"),
        ("remove", "serge1982midnight", "--yes"),
        ("seed",),
    ]  # fmt: skip
    random.Random(seed).shuffle(pool)
    done = 0
    for args in pool:
        count = len(all_changes(db))
        result = invoke(db, *args)
        if result.exit_code == 0:
            done += 1
        else:
            assert len(all_changes(db)) == count, (args, result.output)
    made = [c for c in all_changes(db) if c.id > first]
    assert len(made) >= done - 1  # seed may find nothing to do
    for change in made:
        result = invoke(db, "undo", str(change.id))
        assert result.exit_code == 0, (change.command, result.output)
    assert invoke(db, "export", "--format", "biblatex").stdout == before_export
    assert dump(db) == before


def test_a_removed_records_id_is_never_given_again(seeded: str) -> None:
    """The history names records by id: a new edition must not take a removed one's, or a
    second seed would take it for the removed one (and undo would mix them)."""
    removed = json.loads(invoke(seeded, "show", "sergeproblemas", "--format", "json").stdout)
    assert invoke(seeded, "remove", "sergeproblemas", "--yes").exit_code == 0
    result = invoke(seeded, "add", "--title", "My Own Unrelated Book", "--year", "2020",
                    "--author", "Roe, Richard", "--annotation", "My own note.")  # fmt: skip
    assert result.exit_code == 0, result.output
    mine = result.stdout.strip()
    assert invoke(seeded, "seed").exit_code == 0
    book = json.loads(invoke(seeded, "show", mine, "--format", "json").stdout)
    assert (book["title"], book["authors"]) == ("My Own Unrelated Book", ["Richard Roe"])
    assert invoke(seeded, "show", "sergeproblemas").exit_code == 1  # removed stays removed
    assert removed["title"] == "Los problemas del socialismo en nuestro tiempo"
    first = all_changes(seeded)
    assert invoke(seeded, "edit", "fignermemoires", "--set", "translators=",
                  "--set", "translator-status=not-named").exit_code == 0  # fmt: skip
    assert invoke(seeded, "edit", "serge1994serge", "--set",
                  "translators=Manheim, Ralph").exit_code == 0  # fmt: skip
    edit = all_changes(seeded)[1].id
    assert edit > first[0].id
    result = invoke(seeded, "undo", str(edit))
    assert result.exit_code == 0, result.output


def test_a_redone_change_blocks_undoing_what_came_before_it(seeded: str) -> None:
    """edit #a, edit #b, undo #b, redo #b: #b stands again, so #a cannot be undone under it
    (with #b only undone, #b and its undo cancel out and #a could be)."""
    assert invoke(seeded, "edit", "serge1967birth", "--set", "title=T1").exit_code == 0
    a = all_changes(seeded)[0].id
    assert invoke(seeded, "edit", "serge1967birth", "--set", "title=T2",
                  "--set", "place=Boston").exit_code == 0  # fmt: skip
    b = all_changes(seeded)[0].id
    assert invoke(seeded, "undo", str(b)).exit_code == 0
    undo_b = all_changes(seeded)[0].id
    assert invoke(seeded, "undo", str(undo_b)).exit_code == 0  # redo #b
    redo = all_changes(seeded)[0].id
    result = invoke(seeded, "undo", str(a))
    assert result.exit_code == 1 and f"#{redo} (undo" in result.output
    birth = json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout)
    assert (birth["title"], birth["place"]) == ("T2", "Boston")


def test_undo_names_the_later_change_that_uses_what_it_made(seeded: str, tmp_path: Path) -> None:
    assert invoke(seeded, "import", write_bib(tmp_path, "a.bib", BIB)).exit_code == 0
    imported = all_changes(seeded)[0].id
    assert invoke(seeded, "edit", "serge1946long", "--set", "translators=Pérez, Juan",
                  "--set", "publisher=Suhrkamp").exit_code == 0  # fmt: skip
    later = all_changes(seeded)[0].id
    before = dump(seeded)
    result = invoke(seeded, "undo", str(imported))
    assert result.exit_code == 1
    line = result.output.strip()
    assert len(line.splitlines()) == 1
    assert f"change #{imported} cannot be undone" in line and f"undo #{later} (edit" in line
    assert dump(seeded) == before


def test_history_of_a_person_by_a_partial_name(seeded: str) -> None:
    shown = invoke(seeded, "history", "--person", "Greeman")
    assert shown.exit_code == 0 and "seed" in shown.output


def test_seeding_again_keeps_a_renamed_publishers_name(seeded: str) -> None:
    assert invoke(seeded, "publishers", "rename", "Doubleday", "Doubleday & Co.").exit_code == 0
    before = invoke(seeded, "export", "--format", "biblatex").stdout
    assert invoke(seeded, "seed").exit_code == 0
    assert invoke(seeded, "export", "--format", "biblatex").stdout == before


def test_two_undos_of_one_change_at_once_undo_it_once(db: str, tmp_path: Path) -> None:
    import subprocess
    import sys

    assert invoke(db, "seed").exit_code == 0
    assert invoke(db, "edit", "serge1967birth", "--set", "place=Boston").exit_code == 0
    change = all_changes(db)[0].id
    runs = [
        subprocess.Popen([sys.executable, "-m", "biblio", "--db", db, "undo", str(change)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]  # fmt: skip
    codes = sorted(run.wait(timeout=120) for run in runs)
    assert codes == [0, 1, 1]
    undos = [c for c in all_changes(db) if c.kind == "undo"]
    assert len(undos) == 1
    birth = json.loads(invoke(db, "show", "serge1967birth", "--format", "json").stdout)
    assert birth["place"] == "New York"
