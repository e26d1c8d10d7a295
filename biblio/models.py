"""The catalogue's data model (SQLAlchemy 2 declarative).

A **Work** is an original (*Naissance de notre force*, Paris 1931); an **Edition** is a published
version of one work, usually a translation (*Birth of our Power*, New York 1967), or a
compilation with no single original (``work_id`` is NULL). **Person** records carry name parts
and every name they are known by (**PersonName**: the primary name and its variants);
**Contribution** links a person to a work or an edition with a role and a position.
**Publisher** is one record per publisher, whatever the place printed (the place belongs to the
edition).

Alembic is the only way this schema changes: ``migrations/versions`` must describe exactly
these models (a test runs ``alembic check``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from . import identifiers
from .names import fold

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ROLES = ("author", "coauthor", "translator", "editor")
"""Roles a person can hold on a work or an edition; ``coauthor`` is an author after the first."""

TRANSLATOR_STATUSES = ("named", "not-named", "none", "unknown")
"""What is known of an edition's translator.

``named``: translators are recorded as contributions; ``not-named``: the edition is a
translation whose translator is not named in it; ``none``: there is no translator (a
compilation written in its own language, an original-language edition); ``unknown``: the
sources do not say.
"""

FORMS = ("novel", "poetry", "non-fiction", "collection", "pamphlet", "other")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    """Declarative base with one MetaData and a naming convention, so migrations name
    constraints the same way on every backend."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Publisher(Base):
    """A publisher or imprint, one record whatever the place printed."""

    __tablename__ = "publisher"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String())
    name_key: Mapped[str] = mapped_column(String(), unique=True)  # names.fold(name)
    note: Mapped[str | None] = mapped_column(Text)
    qid: Mapped[str | None] = mapped_column(String(20), unique=True, index=True)  # "Q42"

    variants: Mapped[list[PublisherName]] = relationship(
        back_populates="publisher", cascade="all, delete-orphan", order_by="PublisherName.id"
    )

    @validates("qid")
    def _check_qid(self, _attr: str, value: str | None) -> str | None:
        return identifiers.read("qid", value)


class PublisherName(Base):
    """Another name a publisher is known by (kept when two publisher records are merged)."""

    __tablename__ = "publisher_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    publisher_id: Mapped[int] = mapped_column(
        ForeignKey("publisher.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String())
    name_key: Mapped[str] = mapped_column(String(), unique=True)

    publisher: Mapped[Publisher] = relationship(back_populates="variants")


class Person(Base):
    """An author, translator or editor, with the parts of the name they are catalogued under."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    family: Mapped[str] = mapped_column(String())
    given: Mapped[str | None] = mapped_column(String())
    prefix: Mapped[str | None] = mapped_column(String())  # "van", "de"
    suffix: Mapped[str | None] = mapped_column(String())  # "Jr."
    sort_name: Mapped[str] = mapped_column(String())
    authority_key: Mapped[str] = mapped_column(String(), unique=True)
    note: Mapped[str | None] = mapped_column(Text)
    qid: Mapped[str | None] = mapped_column(String(20), unique=True, index=True)  # Wikidata
    viaf: Mapped[str | None] = mapped_column(String(30), unique=True, index=True)  # digits
    isni: Mapped[str | None] = mapped_column(String(16), unique=True, index=True)  # no spaces

    names: Mapped[list[PersonName]] = relationship(
        back_populates="person", cascade="all, delete-orphan", order_by="PersonName.id"
    )

    @validates(*identifiers.KINDS)
    def _check_identifier(self, kind: str, value: str | None) -> str | None:
        return identifiers.read(kind, value)


class PersonName(Base):
    """One name a person is known by: the primary form or a variant (birth name, pen name)."""

    __tablename__ = "person_name"
    __table_args__ = (
        UniqueConstraint("person_id", "match_key"),
        CheckConstraint(_in("kind", ("primary", "variant")), name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    family: Mapped[str] = mapped_column(String())
    given: Mapped[str | None] = mapped_column(String())
    prefix: Mapped[str | None] = mapped_column(String())
    suffix: Mapped[str | None] = mapped_column(String())
    match_key: Mapped[str] = mapped_column(String(), index=True)  # sorted folded tokens
    family_key: Mapped[str] = mapped_column(String(), index=True)  # folded family name

    person: Mapped[Person] = relationship(back_populates="names")


class Work(Base):
    """An original work, in its own language."""

    __tablename__ = "work"
    __table_args__ = (
        CheckConstraint(_in("form", FORMS), name="form"),
        Index("ix_work_title_key_year", "title_key", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(), unique=True)
    title: Mapped[str] = mapped_column(Text)
    title_key: Mapped[str] = mapped_column(Text, default="", server_default="")  # fold(title)
    subtitle: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String())  # ISO 639-1, e.g. "fr"
    date: Mapped[str | None] = mapped_column(String())  # ISO 8601 / EDTF: "1931", "1931-05"
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    place: Mapped[str | None] = mapped_column(String())
    publisher_id: Mapped[int | None] = mapped_column(
        ForeignKey("publisher.id", ondelete="RESTRICT"), index=True
    )
    form: Mapped[str | None] = mapped_column(String(20))
    annotation: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    qid: Mapped[str | None] = mapped_column(String(20), unique=True, index=True)  # Wikidata

    publisher: Mapped[Publisher | None] = relationship()
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="work", cascade="all, delete-orphan", order_by="Contribution.position"
    )
    editions: Mapped[list[Edition]] = relationship(back_populates="work")

    @validates("title")
    def _keep_title_key(self, _attr: str, title: str) -> str:
        self.title_key = fold(title)
        return title

    @validates("qid")
    def _check_qid(self, _attr: str, value: str | None) -> str | None:
        return identifiers.read("qid", value)


class Edition(Base):
    """A published edition: a translation of one work, or a compilation with no single original."""

    __tablename__ = "edition"
    __table_args__ = (
        CheckConstraint(_in("translator_status", TRANSLATOR_STATUSES), name="translator_status"),
        CheckConstraint(_in("form", FORMS), name="form"),
        Index("ix_edition_title_key_year", "title_key", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(), unique=True)  # the citation key
    entry_type: Mapped[str] = mapped_column(String(), default="book")  # biblatex type
    work_id: Mapped[int | None] = mapped_column(
        ForeignKey("work.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(Text)
    title_key: Mapped[str] = mapped_column(Text, default="", server_default="")  # fold(title)
    subtitle: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String())
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    place: Mapped[str | None] = mapped_column(String())
    publisher_id: Mapped[int | None] = mapped_column(
        ForeignKey("publisher.id", ondelete="RESTRICT"), index=True
    )
    publisher_as_given: Mapped[str | None] = mapped_column(String())
    """The entry's own spelling of its publisher where it differs from the record's name."""
    language: Mapped[str | None] = mapped_column(String())
    series: Mapped[str | None] = mapped_column(Text)
    journal: Mapped[str | None] = mapped_column(Text)  # for a journal's special issue
    volume: Mapped[str | None] = mapped_column(String())
    number: Mapped[str | None] = mapped_column(String())
    translator_status: Mapped[str] = mapped_column(String(20), default="unknown")
    form: Mapped[str | None] = mapped_column(String(20))
    section: Mapped[str | None] = mapped_column(String())  # heading of the source list
    annotation: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    pages: Mapped[str | None] = mapped_column(String())  # as written: "12--34", "xi, 310"
    doi: Mapped[str | None] = mapped_column(String(), index=True)  # "10.1000/x", no resolver
    isbn: Mapped[str | None] = mapped_column(String(13), index=True)  # compact, checksum-valid
    issn: Mapped[str | None] = mapped_column(String(9), index=True)  # "0317-8471"
    url: Mapped[str | None] = mapped_column(Text)
    abstract: Mapped[str | None] = mapped_column(Text)  # the publisher's or author's summary
    edition_statement: Mapped[str | None] = mapped_column(String())  # "2nd rev. ed."
    note: Mapped[str | None] = mapped_column(Text)  # a public note (bib note, RIS N1, CSL note)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """What an imported entry had that the model has no column for, kept for export:
    ``{"fields": [[name, raw .bib value], ...], "others": [role, ...]}`` (roles whose name
    list ended in "and others")."""
    search_text: Mapped[str] = mapped_column(
        Text, default="", server_default=""
    )  # folded titles + annotations
    name_text: Mapped[str] = mapped_column(
        Text, default="", server_default=""
    )  # folded names of its people and publisher: biblio.search_names
    qid: Mapped[str | None] = mapped_column(String(20), unique=True, index=True)  # Wikidata

    work: Mapped[Work | None] = relationship(back_populates="editions")
    publisher: Mapped[Publisher | None] = relationship()
    contributions: Mapped[list[Contribution]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="Contribution.position"
    )
    alternate_titles: Mapped[list[AlternateTitle]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="AlternateTitle.position"
    )
    keywords: Mapped[list[Keyword]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="Keyword.position"
    )
    parents: Mapped[list[EditionParent]] = relationship(
        back_populates="edition", cascade="all, delete-orphan", order_by="EditionParent.position"
    )

    @validates("title")
    def _keep_title_key(self, _attr: str, title: str) -> str:
        self.title_key = fold(title)
        return title

    @validates("qid")
    def _check_qid(self, _attr: str, value: str | None) -> str | None:
        return identifiers.read("qid", value)


class AlternateTitle(Base):
    """Another title the same edition was published under ("also published as")."""

    __tablename__ = "alternate_title"
    __table_args__ = (UniqueConstraint("edition_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)

    edition: Mapped[Edition] = relationship(back_populates="alternate_titles")


BIB_BLOCK_KINDS = ("preamble", "comment")


class BibBlock(Base):
    """An @preamble or @comment block of an imported .bib file, kept once (by digest) and
    written back at the head of .bib exports of the entries that came with it."""

    __tablename__ = "bib_block"
    __table_args__ = (CheckConstraint(_in("kind", BIB_BLOCK_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)  # inside the block's braces, as written
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of kind and text


class Keyword(Base):
    """One keyword (subject, tag) of an edition, in the order the source gave them."""

    __tablename__ = "keyword"
    __table_args__ = (UniqueConstraint("edition_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    keyword: Mapped[str] = mapped_column(Text)
    keyword_key: Mapped[str] = mapped_column(String(), index=True)  # names.fold(keyword)

    edition: Mapped[Edition] = relationship(back_populates="keywords")


class EditionParent(Base):
    """A key an edition's ``crossref`` or ``xdata`` names, in biber's order (xdata first):
    the catalogue finds the children of an edition by it, to give them what they inherit
    (``catalogue.refresh_inherited``). The key may name no catalogued edition (yet)."""

    __tablename__ = "edition_parent"
    __table_args__ = (UniqueConstraint("edition_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(ForeignKey("edition.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    parent_key: Mapped[str] = mapped_column(String(), index=True)

    edition: Mapped[Edition] = relationship(back_populates="parents")


class Contribution(Base):
    """A person's part in a work or an edition: a role and a position in that role's list."""

    __tablename__ = "contribution"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint("(work_id IS NULL) <> (edition_id IS NULL)", name="one_target"),
        # A person named twice in one list is credited twice, at two places of the list.
        UniqueConstraint("work_id", "role", "position"),
        UniqueConstraint("edition_id", "role", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    work_id: Mapped[int | None] = mapped_column(
        ForeignKey("work.id", ondelete="CASCADE"), index=True
    )
    edition_id: Mapped[int | None] = mapped_column(
        ForeignKey("edition.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer)
    name_as_given: Mapped[list[str | None] | None] = mapped_column(JSON)
    """The entry's own spelling, [family, given, prefix, suffix], where it differs from the
    person's primary name ("Joelle" linked to "Joëlle"); None where it is the same."""

    person: Mapped[Person] = relationship()
    work: Mapped[Work | None] = relationship(back_populates="contributions")
    edition: Mapped[Edition | None] = relationship(back_populates="contributions")


CHANGE_KINDS = ("import", "add", "edit", "merge", "remove", "seed", "rename", "undo", "change")
"""What made a change: a command of that name, or ``change`` for a write through the library
that named none."""

ROW_ACTIONS = ("i", "u", "d")
"""A row inserted, updated or deleted by a change."""


class Change(Base):
    """One change to the catalogue: one transaction of one command, by one user.

    ``undoes``: the change this one took back (``biblio undo``); ``undone_by``: the change
    that took this one back."""

    __tablename__ = "change"
    __table_args__ = (CheckConstraint(_in("kind", CHANGE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(40), index=True)  # UTC, "2026-12-04T18:40:01.123Z"
    user_name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    command: Mapped[str] = mapped_column(Text)
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("change.id", ondelete="SET NULL"))
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("change.id", ondelete="SET NULL"))


class ChangeRow(Base):
    """One row a change inserted, updated or deleted: the fields before and after.

    ``record`` names the catalogue record the row belongs to ("edition:12", "person:3"; a
    credit or keyword belongs to its edition or work) and ``label`` that record's key or name
    at the time. An insert keeps no copy of the row (it is in its table, or in the ``before``
    of the change that later altered or removed it); an update keeps the changed fields only,
    before and after; a delete keeps the whole row before."""

    __tablename__ = "change_row"
    __table_args__ = (
        CheckConstraint(_in("action", ROW_ACTIONS), name="action"),
        Index("ix_change_row_table_row", "table_name", "row_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(ForeignKey("change.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(1))
    record: Mapped[str] = mapped_column(String(), index=True)
    label: Mapped[str | None] = mapped_column(String(), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


USER_ROLES = ("reader", "librarian", "admin")
"""What a web user may do: read (a private catalogue), also catalogue, also manage users."""


class User(Base):
    """Someone who logs in to the web catalogue (``biblio serve``). The password is kept only
    as an argon2id hash. Users are not catalogue records: the history does not record them."""

    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(_in("role", USER_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))  # UTC, as the history writes it
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Sessions opened before the last logout or password change are over."""


class LoginFailure(Base):
    """A failed login, by name and address: what rate-limits logins across every worker."""

    __tablename__ = "login_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[float] = mapped_column(Float, index=True)  # seconds since the epoch
