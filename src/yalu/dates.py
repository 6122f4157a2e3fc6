"""Days as readers write them, and date ranges as the collection shows them.

The one place that turns what a reader types ("1950-10-19", a ``date``, a pandas
``Timestamp``) into a day, checks a range, and writes a range back in words, keeping a
vague date a range:

>>> import pandas as pd
>>> span_text(pd.Timestamp("1949-07-01"), pd.Timestamp("1949-10-31"))
'Jul 1949 - Oct 1949'
>>> span_text(pd.Timestamp("1950-10-14"), pd.Timestamp("1950-10-14"))
'14 Oct 1950'
>>> day_range("1950-10-19", "1950-10-01")
Traceback (most recent call last):
...
yalu.errors.YaluError: the range ends (1 October 1950) before it starts (19 October 1950); swap the two dates
"""
from __future__ import annotations

import pandas as pd

from yalu.errors import YaluError

__all__ = ["day", "day_range", "long_day", "span_text"]


def day(value, what: str = "the date") -> pd.Timestamp | None:
    """``value`` as a whole day (``None`` stays ``None``); a clear :class:`YaluError` otherwise."""
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise YaluError(f"{what} {value!r} is not a date; write it like '1950-10-19'") from None
    if pd.isna(ts):
        raise YaluError(f"{what} is empty; write it like '1950-10-19'")
    return ts.normalize()


def day_range(start, end) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """``(start, end)`` as days, either may be ``None``; an error if the range ends before it starts."""
    s, e = day(start, "the start date"), day(end, "the end date")
    if s is not None and e is not None and e < s:
        raise YaluError(f"the range ends ({long_day(e)}) before it starts ({long_day(s)}); swap the two dates")
    return s, e


def long_day(ts: pd.Timestamp) -> str:
    """``19 October 1950``."""
    return f"{ts.day} {ts:%B %Y}"


def span_text(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A record's dates in a few characters, keeping a vague date a range.

    ``1950-10-14`` -> "14 Oct 1950"; all of October 1950 -> "Oct 1950"; all of 1949 -> "1949";
    a whole decade (EDTF ``194X``) -> "1940s", not a span of years the paper never names;
    July to October 1949 -> "Jul 1949 - Oct 1949"; otherwise "30 Jan 1949 - 7 Feb 1949".

    >>> span_text(pd.Timestamp("1940-01-01"), pd.Timestamp("1949-12-31"))
    '1940s'
    >>> span_text(pd.Timestamp("1941-01-01"), pd.Timestamp("1949-12-31"))
    '1941 - 1949'
    """
    month_start = start.day == 1
    month_end = (end + pd.Timedelta(days=1)).day == 1
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if month_start and month_end:
        if start.month == 1 and end.month == 12:
            if start.year % 10 == 0 and end.year == start.year + 9:
                return f"{start.year}s"
            return f"{start.year}" if start.year == end.year else f"{start.year} - {end.year}"
        if (start.year, start.month) == (end.year, end.month):
            return f"{start:%b %Y}"
        return f"{start:%b %Y} - {end:%b %Y}"
    return f"{start.day} {start:%b %Y} - {end.day} {end:%b %Y}"
