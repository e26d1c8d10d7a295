"""Translation history as numbers: who translated what and when, how long translations took
to appear, which publishers carried them, decade by decade, and which works still wait for a
translation into a language.

Every function takes a Session and the same ``Filters`` as ``biblio list``: the filters choose
editions (through ``queries.select_editions``), and each table is computed over the chosen
editions. Counts, first and last years are aggregated in SQL; medians are taken in Python.

The *lag* of an edition is its year minus the year its original was first published: *Birth
of our Power* (1967) translates *Naissance de notre force* (1931), a lag of 36 years.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from statistics import median
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from . import names
from .languages import language_code
from .models import Contribution, Edition, Person, Publisher, Work
from .queries import Filters, people_matching, select_editions


def _selected_ids(filters: Filters) -> Select[Any]:
    """The ids of the editions ``filters`` select, for use in ``Edition.id.in_(...)``."""
    return select_editions(filters).with_only_columns(Edition.id).order_by(None)


def _translator_people(filters: Filters) -> ColumnElement[bool] | None:
    """With ``--translator``, only the people it names are counted as translators: the
    co-translators of their editions are not what was asked for."""
    if not filters.translator:
        return None
    return Person.id.in_(people_matching(filters.translator))


def _is_translation() -> ColumnElement[bool]:
    """Whether an edition (joined to its work) is a translation of its original.

    It is when both languages are known and differ; when either language is unknown, the
    catalogue's translator status decides (a named or unnamed translator means a translation).
    An edition in its original's own language (a reprint) is not a translation.
    """
    languages_known = and_(Edition.language.is_not(None), Work.language.is_not(None))
    return and_(
        Work.id.is_not(None),
        or_(
            and_(languages_known, Edition.language != Work.language),
            and_(~languages_known, Edition.translator_status.in_(("named", "not-named"))),
        ),
    )


def _median(values: list[int]) -> float | int | None:
    """The median of ``values`` (None for none), as an int when it is a whole number."""
    if not values:
        return None
    middle = median(values)
    return int(middle) if float(middle).is_integer() else middle


def _lags_by(rows: Iterable[tuple[int | None, int | None]]) -> dict[int, list[int]]:
    """(owner id, lag) rows grouped by owner: a person, a publisher."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for owner, lag in rows:
        if owner is not None and lag is not None:  # the queries leave these out already
            grouped[owner].append(lag)
    return grouped


def _name(person: Person) -> names.Name:
    return names.Name(person.family, person.given, person.prefix, person.suffix)


def short_name(name: names.Name) -> str:
    """A name with its given names as initials, for labels: "Richard Greeman" -> "R. Greeman",
    "Willard R. Trask" -> "W. R. Trask", "Jean-Paul Sartre" -> "J.-P. Sartre"."""
    initials = []
    for given in (name.given or "").split():
        parts = [part for part in given.rstrip(".").split("-") if part]
        initials.append("-".join(f"{part[0]}." for part in parts))
    return " ".join(p for p in (*initials, name.prefix, name.family) if p)


def translator_stats(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Per translator of the selected editions: the number of editions, the first and last
    years, and the median lag over those editions whose year and original's year are known.

    Most editions first, then by name (family name first). With ``--translator``, only the
    translators it names are listed, not their co-translators.
    """
    chosen = _selected_ids(filters)
    query = (
        select(
            Person,
            func.count(func.distinct(Edition.id)),
            func.min(Edition.year),
            func.max(Edition.year),
        )
        .join(Contribution, Contribution.person_id == Person.id)
        .join(Edition, Edition.id == Contribution.edition_id)
        .where(Contribution.role == "translator", Edition.id.in_(chosen))
        .group_by(Person.id)
    )
    lag_query = (
        select(Contribution.person_id, Edition.year - Work.year)
        .join(Edition, Edition.id == Contribution.edition_id)
        .join(Work, Work.id == Edition.work_id)
        .where(
            Contribution.role == "translator",
            Edition.id.in_(chosen),
            Edition.year.is_not(None),
            Work.year.is_not(None),
        )
    )
    only = _translator_people(filters)
    if only is not None:
        query = query.where(only)
        lag_query = lag_query.join(Person, Person.id == Contribution.person_id).where(only)
    lags_by_person = _lags_by(session.execute(lag_query))
    found = [(person, count, first, last) for person, count, first, last in session.execute(query)]
    found.sort(key=lambda row: (-row[1], row[0].sort_name))
    return [
        {
            "translator": _name(person).display,
            "editions": count,
            "first_year": first,
            "last_year": last,
            "median_lag_years": _median(lags_by_person[person.id]),
        }
        for person, count, first, last in found
    ]


def lags(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Each selected edition of a dated original, with its year and the lag: longest first,
    equal lags by key. Editions without an original, or without either year, are left out."""
    lag = (Edition.year - Work.year).label("lag_years")
    query = (
        select(Edition.key, Edition.title, Work.title, Work.year, Edition.year, lag)
        .join(Work, Work.id == Edition.work_id)
        .where(
            Edition.id.in_(_selected_ids(filters)),
            Edition.year.is_not(None),
            Work.year.is_not(None),
        )
        .order_by(lag.desc(), Edition.key)
    )
    return [
        {
            "key": key,
            "title": title,
            "original_title": original_title,
            "original_year": original_year,
            "year": year,
            "lag_years": lag_years,
        }
        for key, title, original_title, original_year, year, lag_years in session.execute(query)
    ]


def publisher_stats(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Per publisher of the selected editions: editions, first and last years, the number of
    distinct translators, and the median lag. Most editions first, then by name; editions with
    no publisher are not counted."""
    chosen = _selected_ids(filters)
    query = (
        select(
            Publisher.id,
            Publisher.name,
            func.count(func.distinct(Edition.id)),
            func.min(Edition.year),
            func.max(Edition.year),
            func.count(func.distinct(Contribution.person_id)),
        )
        .join(Edition, Edition.publisher_id == Publisher.id)
        .outerjoin(
            Contribution,
            and_(Contribution.edition_id == Edition.id, Contribution.role == "translator"),
        )
        .where(Edition.id.in_(chosen))
        .group_by(Publisher.id, Publisher.name)
    )
    lag_query = (
        select(Edition.publisher_id, Edition.year - Work.year)
        .join(Work, Work.id == Edition.work_id)
        .where(
            Edition.id.in_(chosen),
            Edition.publisher_id.is_not(None),
            Edition.year.is_not(None),
            Work.year.is_not(None),
        )
    )
    lags_by_publisher = _lags_by(session.execute(lag_query))
    found = list(session.execute(query))
    found.sort(key=lambda row: (-row[2], names.fold(row[1]), row[1]))
    return [
        {
            "publisher": name,
            "editions": count,
            "first_year": first,
            "last_year": last,
            "translators": translators,
            "median_lag_years": _median(lags_by_publisher[publisher_id]),
        }
        for publisher_id, name, count, first, last, translators in found
    ]


def _decade(year: int) -> int:
    return year // 10 * 10


def decade_stats(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Per decade: the selected editions published in it, how many of them are translations
    (see ``_is_translation``), and how many of their originals were first published in it.

    Every decade from the first to the last is listed, empty ones with zeros. Editions and
    works without a year are not counted.
    """
    chosen = _selected_ids(filters)
    by_year = (
        select(
            Edition.year, func.count(Edition.id), func.sum(case((_is_translation(), 1), else_=0))
        )
        .outerjoin(Work, Work.id == Edition.work_id)
        .where(Edition.id.in_(chosen), Edition.year.is_not(None))
        .group_by(Edition.year)
    )
    originals_by_year = (
        select(Work.year, func.count(Work.id))
        .where(
            Work.id.in_(select(Edition.work_id).where(Edition.id.in_(chosen))),
            Work.year.is_not(None),
        )
        .group_by(Work.year)
    )
    decades: dict[int, dict[str, int]] = defaultdict(
        lambda: {"editions": 0, "translations": 0, "originals_first_published": 0}
    )
    for year, editions, translations in session.execute(by_year):
        if year is not None:  # left out by the query
            decades[_decade(year)]["editions"] += editions
            decades[_decade(year)]["translations"] += translations or 0
    for year, works in session.execute(originals_by_year):
        if year is not None:
            decades[_decade(year)]["originals_first_published"] += works
    if not decades:
        return []
    first, last = min(decades), max(decades)
    return [{"decade": decade, **decades[decade]} for decade in range(first, last + 10, 10)]


def untranslated(session: Session, language: str, filters: Filters) -> list[dict[str, Any]]:
    """The works of the selected editions that have no edition in ``language`` (an ISO 639-1
    code or a name: "de", "German"), with their number of editions (all in other languages).

    A work written in ``language`` is not listed: it needs no translation into it. In order of
    the original's year (undated last), then key.
    """
    code = language_code(language)
    in_language = select(Edition.work_id).where(
        Edition.language == code, Edition.work_id.is_not(None)
    )
    query = (
        select(Work.key, Work.title, Work.year, Work.language, func.count(Edition.id))
        .join(Edition, Edition.work_id == Work.id)
        .where(
            Work.id.in_(select(Edition.work_id).where(Edition.id.in_(_selected_ids(filters)))),
            Work.id.not_in(in_language),
            or_(Work.language.is_(None), Work.language != code),
        )
        .group_by(Work.id, Work.key, Work.title, Work.year, Work.language)
        .order_by(Work.year.is_(None), Work.year, Work.key)
    )
    return [
        {"work_key": key, "title": title, "year": year, "language": lang, "editions": count}
        for key, title, year, lang, count in session.execute(query)
    ]


def _translator_names(session: Session, editions: Select[Any]) -> dict[int, list[tuple[str, str]]]:
    """The translators of the editions whose ids ``editions`` selects, in their order: edition
    id -> [(full name, short name)]. Each person's names are made once, however many
    editions they translated."""
    query = (
        select(
            Contribution.edition_id,
            Person.id,
            Person.family,
            Person.given,
            Person.prefix,
            Person.suffix,
        )
        .join(Person, Person.id == Contribution.person_id)
        .where(Contribution.role == "translator", Contribution.edition_id.in_(editions))
        .order_by(Contribution.edition_id, Contribution.position)
    )
    names_of: dict[int, tuple[str, str]] = {}
    by_edition: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for edition_id, person_id, family, given, prefix, suffix in session.execute(query):
        if person_id not in names_of:
            name = names.Name(family, given, prefix, suffix)
            names_of[person_id] = (name.display, short_name(name))
        if edition_id is not None:  # a contribution to a work, not an edition: not selected
            by_edition[edition_id].append(names_of[person_id])
    return by_edition


def timeline_rows(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Per work, its original's year and its selected, dated translations (each with key,
    title, year, language and translators, full and short): what ``plots.timeline`` draws.

    Works in order of the original's year (undated last), then of their first translation.
    Read as plain rows, not ORM objects: 100,000 works take seconds.
    """
    translations = (
        select(Edition.id)
        .join(Work, Work.id == Edition.work_id)
        .where(Edition.id.in_(_selected_ids(filters)), Edition.year.is_not(None), _is_translation())
    )
    query = (
        select(
            Edition.id,
            Edition.key,
            Edition.title,
            Edition.year,
            Edition.language,
            Edition.translator_status,
            Work.id,
            Work.key,
            Work.title,
            Work.year,
            Work.language,
        )
        .join(Work, Work.id == Edition.work_id)
        .where(Edition.id.in_(translations))
        .order_by(Edition.year, Edition.key)
    )
    translators = _translator_names(session, translations)
    works: dict[int, dict[str, Any]] = {}
    for (
        edition_id,
        key,
        title,
        year,
        language,
        translator_status,
        work_id,
        work_key,
        work_title,
        work_year,
        work_language,
    ) in session.execute(query):
        row = works.get(work_id)
        if row is None:
            row = works[work_id] = {
                "work_key": work_key,
                "title": work_title,
                "year": work_year,
                "language": work_language,
                "translations": [],
            }
        people = translators.get(edition_id, [])
        row["translations"].append(
            {
                "key": key,
                "title": title,
                "year": year,
                "language": language,
                "translator_status": translator_status,
                "translators": [full for full, _short in people],
                "translators_short": [short for _full, short in people],
            }
        )
    rows = list(works.values())
    rows.sort(
        key=lambda row: (
            row["year"] is None,
            row["year"] or 0,
            row["translations"][0]["year"],
            row["work_key"],
        )
    )
    return rows


def translator_rows(session: Session, filters: Filters) -> list[dict[str, Any]]:
    """Per translator, their selected, dated editions (key, title, year): what
    ``plots.translator_plot`` draws. In order of each translator's first edition, then name;
    with ``--translator``, only the translators it names."""
    query = (
        select(
            Person.id,
            Person.family,
            Person.given,
            Person.prefix,
            Person.suffix,
            Person.sort_name,
            Edition.key,
            Edition.title,
            Edition.year,
        )
        .join(Contribution, Contribution.person_id == Person.id)
        .join(Edition, Edition.id == Contribution.edition_id)
        .where(
            Contribution.role == "translator",
            Edition.id.in_(_selected_ids(filters)),
            Edition.year.is_not(None),
        )
        .order_by(Edition.year, Edition.key)
    )
    only = _translator_people(filters)
    if only is not None:
        query = query.where(only)
    people: dict[int, dict[str, Any]] = {}
    for person_id, family, given, prefix, suffix, sort_name, key, title, year in session.execute(
        query
    ):
        row = people.get(person_id)
        if row is None:
            name = names.Name(family, given, prefix, suffix)
            row = people[person_id] = {
                "translator": name.display,
                "translator_short": short_name(name),
                "sort_name": sort_name,
                "editions": [],
            }
        row["editions"].append({"key": key, "title": title, "year": year})
    rows = list(people.values())
    rows.sort(key=lambda row: (row["editions"][0]["year"], row["sort_name"]))
    return rows


TABLES: dict[str, Callable[[Session, Filters], list[dict[str, Any]]]] = {
    "translators": translator_stats,
    "lags": lags,
    "publishers": publisher_stats,
    "decades": decade_stats,
}
"""The tables that take only the filters, by the name of their ``biblio stats`` command
(``untranslated`` takes a language as well)."""
