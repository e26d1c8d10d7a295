"""CSL-JSON's dates as the other formats and the catalogue number and write them: CSL numbers
the years before 1 CE by era, biblatex, ISO 8601 and the catalogue astronomically; a CSL date's
range, circa and season are biblatex's EDTF. Shared by the CSL-JSON reader and writer and by the
.bib writers (a CSL-JSON import's date written as biblatex's)."""

from __future__ import annotations

from typing import Any


def csl_year(year: int) -> int:
    """A year as CSL writes it, from the catalogue's: biblatex and ISO 8601 number the years
    before 1 CE astronomically (0 is 1 BCE, -0043 is 44 BCE), CSL by era, without a year 0
    (-44 is 44 BCE: pandoc converts biblatex's -0043 to -44, and prints both as 44 BCE)."""
    return year - 1 if year <= 0 else year


def catalogue_year(year: int) -> int:
    """A CSL year (-44 for 44 BCE) as the catalogue's astronomical year (-43); see
    ``csl_year``."""
    return year + 1 if year < 0 else year


def edtf_of_csl(value: Any) -> str | None:
    """A CSL date as biblatex's EDTF date, where it says more than the catalogue's column
    (a range "1914/1918", circa "1850~", a season "2004-22"), its years numbered
    astronomically (``catalogue_year``); None for a date with no date-parts (raw, literal)."""
    if not isinstance(value, dict) or not isinstance(value.get("date-parts"), list):
        return None
    ends = []
    for parts in value["date-parts"][:2]:
        if not isinstance(parts, list) or not parts:
            return None
        try:
            numbers = [int(p) for p in parts[:3]]
        except (TypeError, ValueError):
            return None
        year = catalogue_year(numbers[0])
        text = f"{year:04d}" if year >= 0 else f"-{-year:04d}"
        season = value.get("season")
        if len(numbers) > 1 and 1 <= numbers[1] <= 12:
            text += f"-{numbers[1]:02d}" + (f"-{numbers[2]:02d}" if len(numbers) > 2 else "")
        elif isinstance(season, int | str) and str(season).strip() in ("1", "2", "3", "4"):
            text += f"-{20 + int(str(season).strip())}"  # biblatex's seasons: 21 spring...
        ends.append(text)
    if not ends:
        return None
    return "/".join(end + "~" for end in ends) if value.get("circa") else "/".join(ends)
