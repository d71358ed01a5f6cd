"""Dates of partial precision, as the data writes them: xsd:gYear ("2017"),
xsd:gYearMonth ("2025-06") or xsd:date ("2024-08-05"), alone or as a bound of a window
(rp:notBefore, rp:notAfter). Rendered as a reader says them ("2017", "June 2025",
"after 5 August 2024") and sorted by the earliest day they can mean, a year before its
months and a month before its days."""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
PRECISIONS = ("year", "month", "day")
# How a bound reads: "not before" is the window's start, "not after" its end.
BOUNDS = {None: "", "after": "after ", "before": "by "}
_LEXICAL = re.compile(r"^(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?(?:Z|[+-]\d{2}:\d{2})?$")


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        if self.day:
            return f"{self.day} {MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month - 1]} {self.year}"
        return str(self.year)

    def sort_key(self) -> tuple:
        """The earliest day it can mean, then its precision (coarser first)."""
        return (self.year, self.month or 1, self.day or 1, PRECISIONS.index(self.precision))


def parse(lexical: str) -> PartialDate | None:
    """The date a gYear, gYearMonth or date literal's text stands for (a timezone is
    dropped); None for text that is none of them."""
    match = _LEXICAL.match(lexical.strip())
    if not match:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    month_n = int(month) if month else None
    day_n = int(day) if day else None
    if month_n is not None and not 1 <= month_n <= 12 or day_n is not None and not 1 <= day_n <= 31:
        return None
    return PartialDate(int(year), month_n, day_n)


@dataclass(frozen=True)
class Moment:
    """A date, or one end of a window ("after" its start, "before" its end)."""

    date: PartialDate
    bound: str | None = None  # None, "after" or "before"

    def __str__(self) -> str:
        return BOUNDS[self.bound] + str(self.date)

    def sort_key(self) -> tuple:
        # On one date: what was by then, what was then, what came after.
        return self.date.sort_key() + (("before", None, "after").index(self.bound),)


def render(lexical: str, bound: str | None = None) -> str:
    """``lexical`` as a reader says it, or as it is when it is not a date."""
    date = parse(lexical)
    return lexical if date is None else str(Moment(date, bound))
