"""What students type, made plain: numbers, dates, letters and names in the forms people use.

Every answer first goes through :func:`plain`, which turns numpy and pandas values into
ordinary Python ones (a one-row Series into a list, a ``Timestamp`` into a ``datetime``,
``NaT`` into :data:`MISSING`). The grader never sees the student's objects: it sees the
JSON that :func:`to_wire` makes of the plain value, and :func:`from_wire` gives the same
plain value back, so the kernel and the grader judge exactly the same thing.

>>> import pandas as pd
>>> plain(pd.Series([3]))
[3]
>>> from_wire(to_wire(pd.Timestamp("1950-10-19")))
datetime.datetime(1950, 10, 19, 0, 0)
>>> name_key("Mao Tse-tung") == name_key("mao tsetung")
True
"""
from __future__ import annotations

import ast
import datetime as _dt
import math
import numbers
import re
import reprlib
import unicodedata
from collections.abc import Iterable
from typing import Any

__all__ = [
    "Invalid", "MISSING", "plain", "to_wire", "from_wire", "is_placeholder", "type_name", "brief",
    "as_letters", "as_letter", "as_date", "as_int", "name_key", "strip_title",
]

MAX_TEXT = 20_000  # characters of a written answer kept for the grader
MAX_SHORT = 500  # characters of a short answer (a number, a date, letters, names) that are read at all
MAX_ITEMS = 10_000  # values of a list, Series or array kept; a longer one is described, not copied
MAX_DIGITS = 300  # digits of a whole number kept; a longer one is described, not copied


class Invalid(Exception):
    """The answer has the wrong form; the message says which form is expected."""


class _Missing:
    """A computation that produced no value (NaN, NaT, pandas.NA)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()
NO_VALUE = ("Your computation produced no value (NaN or NaT): check the filter or the column you used; "
            "perhaps no row matched.")


class Other:
    """A value of a type no question accepts; only its type name is kept."""

    def __init__(self, name: str):
        self.name = name

    def __eq__(self, other) -> bool:
        return isinstance(other, Other) and other.name == self.name

    def __repr__(self) -> str:
        return f"Other({self.name!r})"


# --------------------------------------------------------------------------- plain values


def _is_missing_scalar(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return True
    name = type(value).__name__
    if name in ("NaTType", "NAType"):
        return True
    if name in ("datetime64", "timedelta64"):
        return str(value) == "NaT"
    return False


def plain(value: Any, _depth: int = 0) -> Any:
    """``value`` with numpy/pandas types replaced by plain Python ones (see the module doc).

    Never raises: a value it cannot read (a list nested too deep, a number with thousands of
    digits, an object whose methods fail) becomes an :class:`Other` that names what it was.
    """
    try:
        return _plain(value, _depth)
    except RecursionError:
        return Other("deeply nested list")
    except Exception:  # an object whose own methods fail: keep only its type name
        return Other(_safe_type_name(value))


def _safe_type_name(value: Any) -> str:
    try:
        return str(type(value).__name__)[:80]
    except Exception:
        return "value"


def _plain(value: Any, depth: int) -> Any:
    if depth > 10:  # the wire format reads 20 levels: the grader sees the same description
        return Other("deeply nested list")
    if value is None or value is Ellipsis or value is MISSING or isinstance(value, (bool, Other)):
        return value
    if isinstance(value, str):
        return str(value)  # numpy's str_ too
    if _is_missing_scalar(value):
        return MISSING
    mod = type(value).__module__.split(".")[0]
    if mod in ("numpy", "pandas"):
        return _plain_array_like(value, depth)
    if isinstance(value, numbers.Integral):
        return _whole(int(value))
    if isinstance(value, numbers.Real):
        value = float(value)
        return MISSING if math.isnan(value) else value
    if isinstance(value, (_dt.datetime, _dt.date, _dt.timedelta)):
        return value
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ITEMS:
            return Other(f"list of {len(value):,} values")
        return [plain(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        if len(value) > MAX_ITEMS:
            return Other(f"set of {len(value):,} values")
        return {_hashable(plain(v, depth + 1)) for v in value}
    if isinstance(value, dict):
        return Other("dictionary")
    return Other(type(value).__name__)


def _whole(value: int) -> int | Other:
    """A whole number, or a description of one too long to be anything a question asks for."""
    if value.bit_length() > MAX_DIGITS * 3.33:
        return Other(f"number with more than {MAX_DIGITS} digits")
    return value


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _plain_array_like(value: Any, depth: int) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        if value.shape[1] == 1:
            return plain(value.iloc[:, 0], depth)
        return Other("DataFrame")
    if isinstance(value, np.ma.MaskedArray):  # masked values are values the computation did not give
        mask = np.ma.getmaskarray(value)
        if value.ndim == 0:
            return MISSING if bool(mask) else plain(value.data[()], depth)
        if len(value) > MAX_ITEMS:
            return Other(f"array of {len(value):,} values")
        return [MISSING if bool(np.all(m)) else plain(v, depth + 1) for v, m in zip(value.data, mask, strict=True)]
    if isinstance(value, np.ndarray) and value.ndim == 0:  # np.array(14): one value, not a list
        return plain(value[()], depth)
    if isinstance(value, (pd.Series, pd.Index, pd.Categorical, pd.api.extensions.ExtensionArray, np.ndarray)):
        if len(value) > MAX_ITEMS:
            return Other(f"{type(value).__name__} of {len(value):,} values")
        return [plain(v, depth + 1) for v in list(value)]
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime(warn=False).replace(tzinfo=None)
    if isinstance(value, pd.Timedelta):
        return value.to_pytimedelta()
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).to_pydatetime()
    if isinstance(value, np.timedelta64):
        return pd.Timedelta(value).to_pytimedelta()
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return _whole(int(value))
    if isinstance(value, np.floating):
        value = float(value)
        return MISSING if math.isnan(value) else value
    if isinstance(value, np.str_):
        return str(value)
    return Other(type(value).__name__)


# --------------------------------------------------------------------------- the wire format


def to_wire(value: Any) -> Any:
    """A JSON-ready form of ``plain(value)``; :func:`from_wire` undoes it. Never raises."""
    try:
        return _wire(plain(value))
    except Exception:  # pragma: no cover - plain() already describes what it cannot read
        return {"t": "other", "v": "unreadable answer"}


def _wire(value: Any) -> Any:
    if value is None:
        return {"t": "none"}
    if value is Ellipsis:
        return {"t": "ellipsis"}
    if value is MISSING:
        return {"t": "missing"}
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, int):
        return {"t": "int", "v": str(value)}
    if isinstance(value, float):
        return {"t": "float", "v": repr(value)}
    if isinstance(value, str):
        return {"t": "str", "v": value[:MAX_TEXT]}
    if isinstance(value, _dt.datetime):
        return {"t": "datetime", "v": value.replace(tzinfo=None).isoformat()}
    if isinstance(value, _dt.date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, _dt.timedelta):
        return {"t": "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, (list, tuple)):
        return {"t": "list", "v": [_wire(v) for v in list(value)[:200]]}
    if isinstance(value, (set, frozenset)):
        return {"t": "set", "v": sorted((_wire(v) for v in list(value)[:200]), key=repr)}
    if isinstance(value, Other):
        return {"t": "other", "v": value.name[:80]}
    return {"t": "other", "v": type(value).__name__[:80]}


def from_wire(obj: Any) -> Any:
    """The plain value a :func:`to_wire` JSON stands for; anything malformed is an :class:`Other`."""
    try:
        return _unwire(obj, 0)
    except (KeyError, TypeError, ValueError, OverflowError, RecursionError):
        return Other("unreadable answer")


def _unwire(obj: Any, depth: int) -> Any:
    if depth > 20 or not isinstance(obj, dict):
        raise ValueError("not a wire value")
    kind, v = obj["t"], obj.get("v")
    if kind == "none":
        return None
    if kind == "ellipsis":
        return Ellipsis
    if kind == "missing":
        return MISSING
    if kind == "bool":
        return bool(v) if isinstance(v, bool) else Other("unreadable answer")
    if kind == "int":
        if not isinstance(v, str) or len(v) > 400:
            raise ValueError("bad int")
        return int(v)
    if kind == "float":
        value = float(v)
        return MISSING if math.isnan(value) else value
    if kind == "str":
        return str(v)[:MAX_TEXT]
    if kind == "datetime":
        return _dt.datetime.fromisoformat(str(v))
    if kind == "date":
        return _dt.date.fromisoformat(str(v))
    if kind == "timedelta":
        days, seconds, micro = (int(x) for x in v)
        return _dt.timedelta(days=days, seconds=seconds, microseconds=micro)
    if kind == "list":
        return [_unwire(x, depth + 1) for x in list(v)[:200]]
    if kind == "set":
        return {_hashable(_unwire(x, depth + 1)) for x in list(v)[:200]}
    if kind == "other":
        return Other(str(v)[:80])
    raise ValueError("unknown kind")


# --------------------------------------------------------------------------- describing answers

_SHORT = reprlib.Repr()
_SHORT.maxstring = 50
_SHORT.maxother = 50
_SHORT.maxlist = 6
_SHORT.maxset = 6


def brief(value: Any) -> str:
    """A short repr for messages: long input is never echoed in full; never raises."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return "a number with more than 60 digits"
    try:
        out = _SHORT.repr(value)
    except Exception:
        out = f"a {_safe_type_name(value)}"
    return out if len(out) <= 120 else out[:57] + "..." + out[-57:]


def is_placeholder(answer: Any) -> bool:
    if answer is None or answer is Ellipsis:
        return True
    return isinstance(answer, str) and answer.strip().strip("\"'").strip() in ("", "...", "your answer here")


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "True/False"
    if isinstance(value, str):
        return f"text ({brief(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (set, frozenset)):
        return "a set"
    if isinstance(value, (int, float)):
        return f"a number ({brief(value)})"
    if isinstance(value, _dt.timedelta):
        return "a time difference (Timedelta)"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "a date"
    if isinstance(value, Other):
        return f"a {value.name}" if value.name != "dictionary" else "a dictionary"
    return f"a {type(value).__name__}"


def _check_missing(value: Any) -> None:
    if value is MISSING:
        raise Invalid(NO_VALUE)


def _single(value: Any, what: str, example: str) -> Any:
    """One value out of a one-element list (a Series or array of one row is a list here)."""
    if isinstance(value, (list, set, frozenset)):
        items = list(value)
        if len(items) == 1:
            return items[0]
        if not items:
            raise Invalid(f"Your answer is empty (no rows?). Give one {what}, e.g. {example}.")
        raise Invalid(f"Give one {what}, e.g. {example}; your answer holds {len(items)} values.")
    return value


# --------------------------------------------------------------------------- numbers


def as_int(answer: Any, unit: str = "") -> int:
    """A whole number; a time difference counts as its number of days when the unit is days."""
    value = _single(answer, "whole number", "12")
    _check_missing(value)
    if isinstance(value, bool):
        raise Invalid("Give a whole number, not True/False.")
    if isinstance(value, _dt.timedelta):
        if unit == "days" and value.seconds == 0 and value.microseconds == 0:
            return value.days
        raise Invalid("You gave a time difference; give its number of days: add .days at the end.")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise Invalid(f"{value} is not a number a table can give: check your computation (a division by zero?).")
        if value == int(value):
            return int(value)
        raise Invalid(f"Give a whole number; {brief(value)} has a fraction.")
    if isinstance(value, str):
        return _number_in_text(value)
    raise Invalid(f"Give a whole number; you gave {type_name(value)}.")


_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_QUALIFIERS = r"(?:more than|over|at least|about|around|some|approximately|roughly|circa|c\.|ca\.|exactly)"


def _number_in_text(text: str) -> int:
    """A whole number written as text: '14', '14 days', '250,000', 'more than 250,000 troops', 'fourteen'."""
    s = _short_text(text, "a whole number (e.g. 12)")
    low = re.sub(r"\s+", " ", s.lower()).strip(" .")
    m = re.fullmatch(rf"(?:{_QUALIFIERS} )?([+-]?[\d,_ ]*\d)(\.0+)?(?: [a-z][a-z' -]{{0,30}})?", low)
    if m and m[2] and len(m[2]) == 4 and len(m[1].lstrip("+-")) <= 3:
        raise Invalid(f"{brief(text)} could be {m[1]} or {m[1]},000 (a decimal point or a thousands separator): "
                      "write the number without separators, e.g. 12000.")
    if m:
        digits = m[1]
        if "," in digits or " " in digits or "_" in digits:
            groups = re.split(r"[,_ ]", digits.lstrip("+-"))
            if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
                raise Invalid(f"{brief(text)} does not read as one number: write it without separators, "
                              "e.g. 12000.")
        return int(re.sub(r"[,_ ]", "", digits))
    m = re.fullmatch(rf"(?:{_QUALIFIERS} )?([a-z]+)(?: [a-z][a-z' -]{{0,30}})?", low)
    if m and m[1] in _NUMBER_WORDS:
        return _NUMBER_WORDS[m[1]]
    if re.fullmatch(r"[+-]?\d+\.\d*[1-9]\d*", low):
        raise Invalid(f"Give a whole number; {brief(text)} has a fraction.")
    raise Invalid(f"Give a whole number, e.g. 12 (or '12 days'); {brief(text)} does not read as one.")


def _short_text(text: str, what: str) -> str:
    """``text`` if it is short enough to be a short answer; otherwise a one-line message."""
    if len(text) > MAX_SHORT:
        raise Invalid(f"Your answer is a long text (over {MAX_SHORT} characters); this question wants {what}.")
    return text


# --------------------------------------------------------------------------- dates

_MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], start=1)}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))


def _parse_written_date(text: str) -> _dt.date | None:
    s = _short_text(text, "a date, e.g. '19 October 1950'").strip().lower()
    # a value as Python prints it: Timestamp('1950-10-12 00:00:00'), numpy.datetime64('1950-10-12')
    m = re.fullmatch(r"[a-z_.]*\(\s*['\"]([^'\"]*)['\"]\s*(?:,[^()]*)?\)", s)
    if m:
        s = m[1]
    m = re.fullmatch(r"(?:datetime\.)?(?:date|datetime)\((\d{4}),\s*(\d{1,2}),\s*(\d{1,2})(?:,[\d,\s]*)?\)", text.strip().lower())
    if m:
        return _date_or_none(int(m[1]), int(m[2]), int(m[3]))
    s = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s.replace(",", " "))
    s = re.sub(r"\s+", " ", s).strip(" .")
    # a printed Timestamp or datetime: the day is the date, whatever the time of day
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?", s)
    if m:
        return _date_or_none(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", s)
    if m:
        return _date_or_none(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(rf"(\d{{1,2}})\.? ({_MONTH_RE})\.? (\d{{4}})", s)
    if m:
        return _date_or_none(int(m[3]), _MONTHS[m[2]], int(m[1]))
    m = re.fullmatch(rf"({_MONTH_RE})\.? (\d{{1,2}}) (\d{{4}})", s)
    if m:
        return _date_or_none(int(m[3]), _MONTHS[m[1]], int(m[2]))
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", s)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if a > 12 >= b:
            return _date_or_none(year, b, a)
        if b > 12 >= a:
            return _date_or_none(year, a, b)
        if a == b:
            return _date_or_none(year, a, b)
        raise Invalid(f"{brief(text)} reads as two different days, day/month or month/day: write the month as a "
                      "word, e.g. '19 October 1950'.")
    return None


def _date_or_none(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise Invalid(f"There is no such day: year {year}, month {month}, day {day}.") from None


def as_date(answer: Any) -> _dt.date:
    """One day, from a date, datetime, Timestamp, datetime64 or a written form like '19 October 1950'."""
    value = _single(answer, "date", "date(1950, 10, 19)")
    _check_missing(value)
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        day = _parse_written_date(value)
        if day is not None:
            return day
        raise Invalid(f"{brief(value)} is not a date we can read. Write it as date(1950, 10, 19) (year, month, day), "
                      "or as text such as '19 October 1950'.")
    if isinstance(value, int) and not isinstance(value, bool):
        raise Invalid("Give the whole date, not only a number: e.g. date(1950, 10, 19).")
    raise Invalid(f"Give a date, e.g. date(1950, 10, 19); you gave {type_name(value)}.")


# --------------------------------------------------------------------------- letters


def _clean_letter(item: str) -> str:
    s = item.strip().lower()
    s = re.sub(r"^(?:option|answer|letter)\s+", "", s)
    return s.strip().strip("\"'").strip().strip("()[].:").strip().strip("\"'").strip()


def _letter(item: Any, options: list[str]) -> str:
    if not isinstance(item, str):
        raise Invalid(f"Each choice should be a letter in quotes, e.g. 'a'; {brief(item)} is {type_name(item)}.")
    letter = _clean_letter(_short_text(item, "a letter, e.g. 'b'"))
    if letter not in options:
        raise Invalid(f"{brief(item)} is not one of the letters {', '.join(options)}.")
    return letter


_LETTER_SEP = r"\s*(?:[,;/&+]|->|\u2192|>|\band\b|\bthen\b|\s)\s*"


def letters_in_text(text: str, options: list[str]) -> list[str] | None:
    """The letters in 'b, c, e', 'b c e', "['b', 'c', 'e']", 'a and b' or 'c.'; None if the text is not that."""
    s = _short_text(text, "letters, e.g. ['b', 'a']").strip()
    if s[:1] in "[(" and s[-1:] in "])":
        try:
            value = ast.literal_eval(s)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            value = None
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
            found = [_clean_letter(v) for v in value]
            return found if all(f in options for f in found) else None
        s = s[1:-1]
    parts = [p for p in re.split(_LETTER_SEP, s, flags=re.I) if p and p.strip("\"'()[].:")]
    found = [_clean_letter(p) for p in parts]
    if found and all(f in options for f in found):
        return found
    return None


def as_letter(answer: Any, options: Iterable[str]) -> str:
    options = list(options)
    value = _single(answer, "letter", "'b'") if not isinstance(answer, str) else answer
    _check_missing(value)
    if not isinstance(value, str):
        raise Invalid(f"Give one letter in quotes, e.g. answer = 'b'; you gave {type_name(value)}.")
    found = letters_in_text(value, options)
    if found and len(found) > 1:
        raise Invalid(f"Pick one letter, e.g. answer = 'b'; {brief(value)} holds {len(found)}.")
    return found[0] if found else _letter(value, options)


def as_letters(answer: Any, options: Iterable[str], what: str, ordered: bool) -> list[str]:
    """A list of option letters; ``ordered`` questions refuse a set (a set has no order)."""
    options = list(options)
    if isinstance(answer, str):
        found = letters_in_text(answer, options)
        if found is not None:
            return found
        if ordered:
            raise Invalid(f"Give {what} as a list of letters, e.g. ['b', 'a', ...]; {brief(answer)} does not "
                          f"read as letters from {', '.join(options)}.")
        answer = [answer]
    if isinstance(answer, (set, frozenset)):
        if ordered:
            raise Invalid("A set has no order: give the letters as a list in square brackets, e.g. ['b', 'a', ...].")
        answer = sorted(answer, key=str)
    if not isinstance(answer, list):
        raise Invalid(f"Give {what} as a list of letters, e.g. ['b', 'a']; you gave {type_name(answer)}.")
    return [_letter(item, options) for item in answer]


# --------------------------------------------------------------------------- names

_TITLES = ("chairman", "premier", "marshal", "general", "president", "comrade", "mr", "secretary",
           "foreign minister", "minister", "ambassador", "generalissimo", "vice chairman")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def strip_title(text: str) -> str:
    """'Chairman Mao' -> 'mao' (folded to lower case, accents removed)."""
    s = re.sub(r"\s+", " ", _fold(text).replace(".", " ")).strip()
    changed = True
    while changed:
        changed = False
        for title in _TITLES:
            if s.startswith(title + " "):
                s, changed = s[len(title) + 1:], True
    return s


def split_names(text: str) -> list[str]:
    """'Molotov and Mikoyan', 'Molotov, Mikoyan', 'Molotov & Mikoyan' -> the names one by one."""
    s = _short_text(text, "one or more names, e.g. 'Zhou Enlai'")
    if s.strip()[:1] == "[" and s.strip()[-1:] == "]":
        try:
            value = ast.literal_eval(s.strip())
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            value = None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        s = s.strip()[1:-1]
    parts = [p.strip().strip("\"'").strip() for p in re.split(r"\s*(?:[,;&+/]|\band\b)\s*", s, flags=re.I)]
    return [p for p in parts if p] or [text]


def name_key(text: str) -> str:
    """A comparison key for a name: case, spaces, hyphens, apostrophes and titles do not count."""
    return re.sub(r"[^a-z0-9]", "", strip_title(text))
