"""How every fact in the collection cites its source: one formatter for tables, pictures and the explorer.

A row of the data cites either the paper (``source`` ``chen1992`` and a footnote number,
or none) or a fact from outside the paper (a ``ctx_`` source, with a public title and URL
in the ``sources`` table). :func:`cite` turns that pair into a :class:`Citation`:

>>> cite("chen1992", 31).short
'Chen, fn. 31'
>>> cite("chen1992", None).short
'Chen, no footnote'
>>> c = cite("ctx_frus1950v06_d157", None)
>>> c.short, c.context
('Context: FRUS 1950 vol. VI doc. 157', True)
"""
from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from urllib.parse import urlparse

import pandas as pd

from yalu import data

__all__ = ["Citation", "cite", "citer", "link_text"]

#: Public archives' names, by web host, for short link text.
_HOSTS = {
    "digitalarchive.wilsoncenter.org": "Wilson Center Digital Archive",
    "china.usc.edu": "USC US-China Institute",
    "worldjpn.net": "The World and Japan database",
    "history.state.gov": "FRUS",
}
_FRUS = re.compile(r"/frus(\d{4})v(\d+)/d(\d+)")
_ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


@dataclass(frozen=True)
class Citation:
    """A source as the collection shows it.

    ``short``: a few words for a table cell ("Chen, fn. 31", "Context: FRUS 1950 vol. VI doc. 157").
    ``full``: the footnote's text, or the outside source's full title. ``url``: a public address
    or "". ``context``: True for a fact from outside the paper.
    """
    short: str
    full: str
    url: str
    context: bool

    def html(self) -> str:
        """``short`` as HTML, linked to ``url`` when there is one (the full title as its tooltip)."""
        text = html.escape(self.short)
        if not self.url:
            return text
        return (f'<a href="{html.escape(self.url, quote=True)}" title="{html.escape(self.full, quote=True)}" '
                f'target="_blank" rel="noopener">{text}</a>')


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value == ""


def link_text(url: str, title: str = "") -> str:
    """Short words for a link: ``FRUS 1950 vol. VII doc. 556`` for a FRUS address, the archive's
    name for a known host, else the title shortened at a word boundary.

    >>> link_text("https://history.state.gov/historicaldocuments/frus1950v07/d556")
    'FRUS 1950 vol. VII doc. 556'
    """
    parts = urlparse(url or "")
    frus = _FRUS.search(parts.path)
    if parts.netloc == "history.state.gov" and frus:
        year, vol, doc = frus.groups()
        vol_i = int(vol)
        return f"FRUS {year} vol. {_ROMAN[vol_i] if vol_i < len(_ROMAN) else vol_i} doc. {doc}"
    if parts.netloc in _HOSTS:
        return _HOSTS[parts.netloc]
    return textwrap.shorten(" ".join(str(title).split()), width=60, placeholder=" …") if title else parts.netloc


@lru_cache(maxsize=4)
def _sources(state: tuple) -> dict[str, dict]:
    if "sources" not in data.table_names():
        return {}
    return {row["id"]: row for row in data.load("sources").to_dict("records")}


def cite(source, footnote=None) -> Citation:
    """The :class:`Citation` of a row with this ``source`` and ``footnote`` (a number or blank)."""
    return _cite(_sources(data.state()), source, footnote)


def citer() -> Callable[..., Citation]:
    """:func:`cite`, with the sources table as it is now looked up once: for citing many rows.

    >>> c = citer()
    >>> [c("chen1992", n).short for n in (1, 2)]
    ['Chen, fn. 1', 'Chen, fn. 2']
    """
    return partial(_cite, _sources(data.state()))


def _cite(sources: dict[str, dict], source, footnote=None) -> Citation:
    if _blank(source):
        return Citation("source missing", "source missing", "", False)
    source = str(source)
    if source.startswith("ctx_"):
        row = sources.get(source, {})
        title = "" if _blank(row.get("title")) else " ".join(str(row["title"]).split())
        url = "" if _blank(row.get("url")) else str(row["url"])
        short = link_text(url, title) if url else textwrap.shorten(title or "a source outside the paper",
                                                                   width=60, placeholder=" …")
        return Citation(f"Context: {short}", title or short, url, True)
    if source.startswith("fn_") and _blank(footnote):
        footnote = source[3:]
    if _blank(footnote):
        return Citation("Chen, no footnote", "Chen Jian (1992), in the paper's text (no footnote).", "", False)
    n = int(footnote)
    row = sources.get(f"fn_{n}", {})
    text = "" if _blank(row.get("citation")) else " ".join(str(row["citation"]).split())
    status = "" if _blank(row.get("status")) else str(row["status"])
    if text:
        full = f"Footnote {n}: {text}" + (" [cut off in this copy]" if status == "cut_off" else "")
    else:
        why = {"missing": "missing from this copy", "garbled": "garbled in this copy"}.get(status, "not available")
        full = f"Footnote {n}: the footnote's text is {why}."
    return Citation(f"Chen, fn. {n}", full, "", False)
