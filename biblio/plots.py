"""Translation history as pictures: a timeline of originals and their translations, and each
translator's editions over time, written as PNG or SVG.

The rows come from ``stats.timeline_rows`` and ``stats.translator_rows``. ``timeline`` and
``translator_plot`` write a file (the command line); ``timeline_picture`` and
``translator_picture`` give the same picture's bytes (the web). matplotlib is
imported inside the functions (the rest of biblio does not need it), and each picture is drawn
on its own ``Figure`` with the Agg canvas, never through pyplot, so nothing carries over from
one call to the next.

Both pictures are rows against years, laid out in absolute sizes (``_RowChart``): the plot area
is always as wide, each row as tall as its labels need, and the margin as wide as the longest
row title. Up to ``LABEL_LIMIT`` rows every point is labelled, labels of neighbouring points
stacked so that none prints over another; beyond it the rows are drawn denser, without point
labels, and a caption says so. Beyond ``ROW_LIMIT`` rows only the rows with the most points
are drawn (``most_points``), so that the picture stays readable and its size and drawing time
bounded whatever the catalogue's size; the title, a caption and the command's message say how
many were left out.
"""

from __future__ import annotations

import functools
import io
import itertools
import math
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from .errors import InvalidValue
from .languages import LANGUAGES, english_name

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

FORMATS = ("png", "svg")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
TIMELINE_TITLE = "Originals and their translations"
TRANSLATORS_TITLE = "Translators and their editions"

P = ParamSpec("P")
R = TypeVar("R")

LABEL_LIMIT = 60
"""Rows up to which each point is labelled (translators on the timeline, titles on the
translator plot); beyond it only the rows are labelled."""

ROW_LIMIT = 200
"""Rows drawn at most: beyond it, the rows with the most points. 200 dense rows make a picture
about 5,600 pixels tall at ``DPI``."""

TITLE_CHARS = 48
"""Longest row title drawn whole; longer ones are cut with an ellipsis."""

DPI = 150
PLOT_WIDTH = 8.0  # inches of plot area, whatever the row titles' width

_GREY = "#999999"
_ORIGINAL_COLOUR = "#333333"
_COLOURS = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
)
_OTHER_COLOUR = "#7f7f7f"


FALLBACK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK JP", "Noto Color Emoji", "Symbola")
"""Fonts that draw what DejaVu Sans lacks (Chinese and Japanese titles, emoji), used where
installed (Debian: fonts-wqy-microhei, fonts-symbola)."""


@functools.cache
def _font_families() -> list[str]:
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return ["DejaVu Sans", *(name for name in FALLBACK_FONTS if name in installed)]


def _with_fallback_fonts(draw: Callable[P, R]) -> Callable[P, R]:
    """Draw with DejaVu Sans and, for the characters it lacks, ``FALLBACK_FONTS``: titles in
    Chinese or Japanese show instead of empty boxes (and draw faster than missing glyphs)."""

    @functools.wraps(draw)
    def drawing(*args: P.args, **kwargs: P.kwargs) -> R:
        from matplotlib import rc_context

        with rc_context({"font.family": _font_families()}):
            return draw(*args, **kwargs)

    return drawing


@dataclass
class PlotSummary:
    """What a plot drew: rows (works or translators), points (editions), point labels, and
    what a row and a point are ("work", "translation"); the file it was written to, if any."""

    path: Path | None
    rows: int
    points: int
    labels: int
    labels_dropped: bool
    row_noun: str = "row"
    point_noun: str = "point"
    rows_left_out: int = 0
    points_left_out: int = 0

    @property
    def message(self) -> str:
        """One line for the command line: "wrote serge.png: 14 works, 14 translations", or
        "wrote all.png: 200 of 20,000 works, 600 of 40,000 translations (...)" ("drew: ..."
        for a picture not written to a file)."""
        counts = (
            f"{_of(self.rows, self.rows_left_out, self.row_noun)}, "
            f"{_of(self.points, self.points_left_out, self.point_noun)}"
        )
        notes = []
        if self.rows_left_out:
            notes.append(f"only the {self.row_noun}s with the most {self.point_noun}s drawn")
        if self.labels_dropped:
            notes.append(f"{self.point_noun} labels left out: too many rows")
        done = f"wrote {self.path}" if self.path is not None else "drew"
        return f"{done}: {counts}" + (f" ({'; '.join(notes)})" if notes else "")


def output_format(path: str | os.PathLike[str]) -> str:
    """The image format named by ``path``'s suffix ("png" or "svg"); InvalidValue otherwise."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        given = f"'.{suffix}'" if suffix else "no suffix"
        raise InvalidValue(f"{path}: cannot tell the image format from {given} (use .png or .svg)")
    return suffix


def _clip(text: str, limit: int = TITLE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _of(drawn: int, left_out: int, word: str) -> str:
    """ "14 works", or "200 of 20,000 works" when some were left out."""
    return f"{drawn:,} of {_plural(drawn + left_out, word)}" if left_out else _plural(drawn, word)


def most_points(rows: Sequence[Any], points: Any, limit: int = ROW_LIMIT) -> list[Any]:
    """The ``limit`` rows with the most points (``points(row)`` counts them), in their given
    order. Of the rows with as many points as the last one taken, as many as there is room for
    are taken evenly spread through the given order (the years, in both plots), so that the
    rows drawn still span the catalogue's years."""
    if len(rows) <= limit:
        return list(rows)
    counts = [points(row) for row in rows]
    least = sorted(counts, reverse=True)[limit - 1]
    taken = [i for i, count in enumerate(counts) if count > least]
    tied = [i for i, count in enumerate(counts) if count == least]
    room = limit - len(taken)
    taken += [tied[(2 * n + 1) * len(tied) // (2 * room)] for n in range(room)]
    return [rows[i] for i in sorted(taken)]


def _caption(
    style: _Style,
    drawn: int,
    left_out: int,
    left_out_points: int,
    nouns: tuple[str, str, str],
) -> list[str]:
    """The caption's lines: what was left out of the picture, and how to see it. ``nouns``:
    what a row, a point and the points' labels are ("work", "translation", "Translator
    labels")."""
    row, point, labels = nouns
    lines = []
    if left_out:
        lines.append(
            f"Only the {drawn} {row}s with the most {point}s are drawn: "
            f"{_plural(left_out, row)} with {_plural(left_out_points, point)} are left out."
        )
    if not style.labelled:
        lines.append(
            f"{labels} left out: {_plural(drawn, row)}, more than the "
            f"{LABEL_LIMIT} that are labelled in full."
        )
    if lines:
        lines.append(
            "Narrow the selection with filters (--year, --original-language...) to see more."
        )
    return lines


@dataclass(frozen=True)
class _Style:
    """Sizes (in points) for a chart of so many rows: roomy when labelled, dense beyond."""

    labelled: bool

    @property
    def font(self) -> float:
        """Point labels, legend and caption."""
        return 8.0 if self.labelled else 6.0

    @property
    def tick_font(self) -> float:
        return 9.0 if self.labelled else 6.5

    @property
    def unit(self) -> float:
        """One unit of the y axis: the height of a line of point labels."""
        return self.font * 1.5

    @property
    def row_gap(self) -> float:
        """Least distance between rows, in units."""
        return 2.4 if self.labelled else 1.4

    @property
    def marker(self) -> float:
        return 7.0 if self.labelled else 4.0


@dataclass
class _Label:
    year: float
    text: str
    start: float  # where the text begins, in years
    side: int  # 1 above the row, -1 below
    tier: int  # 1 next to the row, 2 the line beyond, ...


def _place(
    points: Sequence[tuple[float, str]], width_of: Any, low: float, high: float
) -> list[_Label]:
    """Place one row's labels: each centred on its point, or running right or left from it,
    above or below the row, on the first line out from the row where it overlaps no label
    already placed. Labels stay within [low, high] (shifted in if need be)."""
    taken: dict[tuple[int, int], list[tuple[float, float]]] = {}
    placed = []
    for year, text in sorted(points):
        width = width_of(text)
        starts = []
        for start in (year - width / 2, year, year - width):
            start = max(low, min(start, high - width))
            if start not in starts:
                starts.append(start)
        for tier in itertools.count(1):
            found = next(
                (
                    (side, start)
                    for side in (1, -1)
                    for start in starts
                    if all(start + width <= a or b <= start for a, b in taken.get((side, tier), []))
                ),
                None,
            )
            if found is not None:
                side, start = found
                taken.setdefault((side, tier), []).append((start, start + width))
                placed.append(_Label(year, text, start, side, tier))
                break
    return placed


class _RowChart:
    """A figure of rows against years, sized in absolute units so that rows, labels and
    margins keep their size whatever the number of rows."""

    def __init__(self, rows: int) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.style = _Style(labelled=rows <= LABEL_LIMIT)
        self.rows = rows
        self.figure = Figure(dpi=DPI)
        FigureCanvasAgg(self.figure)
        self.renderer = self.figure.canvas.get_renderer()  # type: ignore[attr-defined]

    def text_width(self, text: str, size: float) -> float:
        """The width of ``text`` in points at font size ``size``."""
        from matplotlib.font_manager import FontProperties

        pixels, _height, _descent = self.renderer.get_text_width_height_descent(
            text, FontProperties(size=size), ismath=False
        )
        return float(pixels) * 72 / DPI

    def layout(
        self,
        years: Sequence[int],
        row_titles: Sequence[str],
        point_labels: Sequence[Sequence[tuple[float, str]]],
        legend: Sequence[Artist],
        title: str,
        caption: Sequence[str],
    ) -> tuple[Axes, list[float]]:
        """Size the figure, draw the frame, titles, legend, caption and point labels; return
        the axes and each row's y, for the caller to draw the points."""
        style = self.style
        first, last = min(years), max(years)
        pad = max(2.0, (last - first) * 0.03)
        low, high = first - pad, last + pad
        years_per_point = (high - low) / (PLOT_WIDTH * 72)

        def width_of(text: str) -> float:
            return (self.text_width(text, style.font) + 6) * years_per_point

        placed = [
            _place(points, width_of, low, high) if style.labelled else [] for points in point_labels
        ]
        ys: list[float] = []
        position = 0.0
        for i, labels in enumerate(placed):
            above = max((label.tier for label in labels if label.side == 1), default=0)
            if i == 0:
                position = above + 1.0
            else:
                below = max((label.tier for label in placed[i - 1] if label.side == -1), default=0)
                position += max(style.row_gap, below + above + 1.3)
            ys.append(position)
        below_last = max((label.tier for label in placed[-1] if label.side == -1), default=0)
        total = position + below_last + 1.0

        # Absolute sizes, in inches.
        plot_height = total * style.unit / 72
        left = max(self.text_width(t, style.tick_font) for t in row_titles) / 72 + 0.2
        legend_rows, legend_columns = self._legend_shape(legend)
        top_ticks = 0.0 if style.labelled else (style.tick_font + 8) / 72
        legend_height = legend_rows * (style.font + 8) / 72
        title_height = (style.tick_font + 10) / 72
        top = top_ticks + legend_height + title_height + 0.15
        bottom = 0.6 + (0.15 + 0.15 * len(caption) if caption else 0.0)
        width, height = left + PLOT_WIDTH + 0.4, bottom + plot_height + top
        self.figure.set_size_inches(width, height)
        axes = self.figure.add_axes(
            (left / width, bottom / height, PLOT_WIDTH / width, plot_height / height)
        )
        axes.set_xlim(low, high)
        axes.set_ylim(total, 0)  # the first row at the top
        axes.grid(axis="x", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.set_xlabel("year", fontsize=style.tick_font + 1)
        axes.tick_params(axis="x", labelsize=style.tick_font)
        if not style.labelled:
            # A tall chart: years at the top as well, in sight wherever one reads.
            axes.tick_params(axis="x", labeltop=True)
        axes.set_yticks(ys, list(row_titles))
        axes.tick_params(axis="y", length=0, labelsize=style.tick_font)

        plot_top = (bottom + plot_height) / height
        self.figure.legend(
            handles=legend,
            loc="lower left",
            bbox_to_anchor=(left / width, plot_top + top_ticks / height),
            ncol=legend_columns,
            frameon=False,
            fontsize=style.font + 0.5,
            borderaxespad=0,
            borderpad=0.2,
            handletextpad=0.4,
            columnspacing=1.6,
        )
        self.figure.text(
            left / width,
            plot_top + (top_ticks + legend_height + 0.1) / height,
            title,
            fontsize=style.tick_font + 3,
            va="bottom",
            gid="title",
        )
        if caption:
            self.figure.text(
                left / width,
                0.1 / height,
                "\n".join(caption),
                fontsize=style.font + 0.5,
                style="italic",
                va="bottom",
                gid="caption",
            )
        for row, (y, labels) in enumerate(zip(ys, placed, strict=True)):
            for n, label in enumerate(labels):
                offset = (4 + (label.tier - 1) * style.unit) * label.side
                axes.annotate(
                    label.text,
                    (label.start + 3 * years_per_point, y),
                    xytext=(0, offset),
                    textcoords="offset points",
                    ha="left",
                    va="bottom" if label.side == 1 else "top",
                    fontsize=style.font,
                    gid=f"point-label-{row + 1}-{n + 1}",  # ids are unique in an SVG
                )
        return axes, ys

    def _legend_shape(self, legend: Sequence[Artist]) -> tuple[int, int]:
        """(rows, columns) for the legend to fit across the plot area."""
        widths = [self.text_width(str(h.get_label()), self.style.font + 0.5) + 36 for h in legend]
        room = PLOT_WIDTH * 72
        columns = len(widths) if sum(widths) <= room else max(1, int(room // max(widths)))
        return -(-len(widths) // columns), columns

    def picture(self, fmt: str) -> bytes:
        """The picture as a PNG or SVG file's bytes. SVG keeps its text as text, so it can be
        searched and restyled."""
        from matplotlib import rc_context

        buffer = io.BytesIO()
        with rc_context({"svg.fonttype": "none", "svg.hashsalt": "biblio"}):
            self.figure.savefig(
                buffer,
                format=fmt,
                bbox_inches="tight",
                pad_inches=0.2,
                metadata={"Date": None} if fmt == "svg" else None,  # the same picture each time
            )
        return buffer.getvalue()


def _translation_label(code: str) -> str:
    """The legend's entry for translations into the language ``code`` ("" when unknown)."""
    if not code:
        return "translation, language not recorded"
    return f"translation into {english_name(code) if code in LANGUAGES else code}"


def _translator_label(translation: dict[str, Any]) -> str:
    if translation["translators_short"]:
        who = ", ".join(translation["translators_short"])
    elif translation["translator_status"] == "not-named":
        who = "translator not named"
    else:
        who = "translator unknown"
    return f"{who}, {translation['year']}"


def _written(path: str | os.PathLike[str], drawn: tuple[bytes, PlotSummary]) -> PlotSummary:
    """Write a drawn picture to ``path`` whole or not at all (``files.write_atomically``)."""
    from dataclasses import replace

    from .files import write_atomically

    picture, summary = drawn
    write_atomically(path, picture)
    return replace(summary, path=Path(path))


def _picture_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidValue(f"unknown image format {fmt!r} (use png or svg)")
    return fmt


def timeline(
    rows: Sequence[dict[str, Any]],
    path: str | os.PathLike[str],
    title: str = TIMELINE_TITLE,
) -> PlotSummary:
    """Draw ``stats.timeline_rows`` to ``path`` (.png or .svg), as ``timeline_picture``
    draws it. InvalidValue for another suffix, or if there is nothing to draw."""
    fmt = output_format(path)
    return _written(path, timeline_picture(rows, fmt, title))


@_with_fallback_fonts
def timeline_picture(
    rows: Sequence[dict[str, Any]], fmt: str = "png", title: str = TIMELINE_TITLE
) -> tuple[bytes, PlotSummary]:
    """``stats.timeline_rows`` drawn as a ``fmt`` picture ("png" or "svg"): its bytes and
    what it drew. One row per work, titled with its original title and year; the original as
    a ring, each translation as a diamond coloured by its language and labelled with its
    translators and year, joined by a line as long as the lag. Beyond ``ROW_LIMIT`` works,
    the works with the most translations (``most_points``). InvalidValue for another format,
    or if there is nothing to draw."""
    _picture_format(fmt)
    if not rows:
        raise InvalidValue("no translations to draw (are the filters too narrow?)")
    from matplotlib.lines import Line2D

    everything = rows
    rows = most_points(rows, lambda row: len(row["translations"]))
    chart = _RowChart(len(rows))
    style = chart.style
    translations = [t for row in rows for t in row["translations"]]
    left_out = len(everything) - len(rows)
    left_out_points = sum(len(row["translations"]) for row in everything) - len(translations)
    # The commonest languages get a colour each, the rest share one.
    by_count = [
        code for code, _n in Counter(t["language"] or "" for t in translations).most_common()
    ]
    colours = dict(zip(by_count, _COLOURS, strict=False))
    ring: dict[str, Any] = {
        "marker": "o",
        "markerfacecolor": "white",
        "markeredgecolor": _ORIGINAL_COLOUR,
        "markeredgewidth": 1.5,
    }
    legend = [
        Line2D([], [], linestyle="", markersize=7, label="original", **ring),
        *(
            Line2D(
                [],
                [],
                marker="D",
                linestyle="",
                markersize=6,
                color=colours[code],
                label=_translation_label(code),
            )  # fmt: skip
            for code in by_count[: len(_COLOURS)]
        ),
        *(
            [
                Line2D(
                    [],
                    [],
                    marker="D",
                    linestyle="",
                    markersize=6,
                    color=_OTHER_COLOUR,
                    label="translation into another language",
                )
            ]  # fmt: skip
            if len(by_count) > len(_COLOURS)
            else []
        ),
        Line2D([], [], color=_GREY, linewidth=1.4, label="lag, original to translation"),
    ]
    years = [y for row in rows for y in (row["year"], *(t["year"] for t in row["translations"]))]
    nouns = ("work", "translation", "Translator labels")
    axes, ys = chart.layout(
        years=[y for y in years if y is not None],
        row_titles=[f"{_clip(row['title'])} ({row['year'] or 'year unknown'})" for row in rows],
        point_labels=[
            [(t["year"], _translator_label(t)) for t in row["translations"]] for row in rows
        ],
        legend=legend,
        title=f"{title}: {_of(len(rows), left_out, 'work')}, "
        f"{_of(len(translations), left_out_points, 'translation')}",
        caption=_caption(style, len(rows), left_out, left_out_points, nouns),
    )
    # One artist per kind of mark, not per row: drawing stays quick at ROW_LIMIT rows.
    lags: tuple[list[float], list[float]] = ([], [])
    originals: tuple[list[float], list[float]] = ([], [])
    diamonds: dict[str, tuple[list[float], list[float]]] = {}
    for y, row in zip(ys, rows, strict=True):
        if row["year"] is not None:
            ends = [row["year"], *(t["year"] for t in row["translations"])]
            lags[0].extend((min(ends), max(ends), math.nan))
            lags[1].extend((y, y, y))
            originals[0].append(row["year"])
            originals[1].append(y)
        for translation in row["translations"]:
            colour = colours.get(translation["language"] or "", _OTHER_COLOUR)
            diamonds.setdefault(colour, ([], []))[0].append(translation["year"])
            diamonds[colour][1].append(y)
    axes.plot(*lags, color=_GREY, linewidth=1.4, zorder=1)
    # The ring is larger than a diamond and drawn under it: a translation of the original's
    # own year shows inside the ring instead of hiding it.
    axes.plot(*originals, linestyle="", markersize=style.marker * 1.35, zorder=3, **ring)
    for colour, (xs, ys_) in diamonds.items():
        axes.plot(xs, ys_, "D", color=colour, markersize=style.marker * 0.85, zorder=4)
    labels = len(translations) if style.labelled else 0
    return chart.picture(fmt), PlotSummary(
        None,
        len(rows),
        len(translations),
        labels,
        not style.labelled,
        *nouns[:2],
        left_out,
        left_out_points,
    )


def translator_plot(
    rows: Sequence[dict[str, Any]],
    path: str | os.PathLike[str],
    title: str = TRANSLATORS_TITLE,
) -> PlotSummary:
    """Draw ``stats.translator_rows`` to ``path`` (.png or .svg), as ``translator_picture``
    draws it. InvalidValue for another suffix, or if there is nothing to draw."""
    fmt = output_format(path)
    return _written(path, translator_picture(rows, fmt, title))


@_with_fallback_fonts
def translator_picture(
    rows: Sequence[dict[str, Any]], fmt: str = "png", title: str = TRANSLATORS_TITLE
) -> tuple[bytes, PlotSummary]:
    """``stats.translator_rows`` drawn as a ``fmt`` picture ("png" or "svg"): its bytes and
    what it drew. One row per translator, titled with the name and number of editions; a dot
    for each edition's year, labelled with its title, on a line from their first edition to
    their last. InvalidValue for another format, or if there is nothing to draw. Beyond
    ``ROW_LIMIT`` translators, those with the most editions (``most_points``)."""
    _picture_format(fmt)
    if not rows:
        raise InvalidValue("no translators to draw (are the filters too narrow?)")
    from matplotlib.lines import Line2D

    everything = rows
    rows = most_points(rows, lambda row: len(row["editions"]))
    chart = _RowChart(len(rows))
    style = chart.style
    colour = _COLOURS[0]
    legend = [
        Line2D([], [], marker="o", linestyle="", markersize=6, color=colour, label="edition"),
        Line2D([], [], color=_GREY, linewidth=1.4, label="first to last edition"),
    ]
    points = sum(len(row["editions"]) for row in rows)
    left_out = len(everything) - len(rows)
    left_out_points = sum(len(row["editions"]) for row in everything) - points
    nouns = ("translator", "edition", "Edition titles")
    axes, ys = chart.layout(
        years=[e["year"] for row in rows for e in row["editions"]],
        row_titles=[f"{row['translator']} ({len(row['editions'])})" for row in rows],
        point_labels=[
            [(e["year"], _clip(e["title"], 36)) for e in row["editions"]] for row in rows
        ],
        legend=legend,
        title=f"{title}: {_of(len(rows), left_out, 'translator')}, "
        f"{_of(points, left_out_points, 'edition')}",
        caption=_caption(style, len(rows), left_out, left_out_points, nouns),
    )
    spans: tuple[list[float], list[float]] = ([], [])
    dots: tuple[list[float], list[float]] = ([], [])
    for y, row in zip(ys, rows, strict=True):
        years = [edition["year"] for edition in row["editions"]]
        spans[0].extend((min(years), max(years), math.nan))
        spans[1].extend((y, y, y))
        dots[0].extend(years)
        dots[1].extend([y] * len(years))
    axes.plot(*spans, color=_GREY, linewidth=1.4, zorder=1)
    axes.plot(*dots, "o", color=colour, markersize=style.marker, zorder=4)
    labels = points if style.labelled else 0
    return chart.picture(fmt), PlotSummary(
        None,
        len(rows),
        points,
        labels,
        not style.labelled,
        *nouns[:2],
        left_out,
        left_out_points,
    )
