"""Format a loaded table for reading in a notebook.

``yalu.data.load(name)`` returns the data as typed columns (timestamps, ids,
enum codes). :func:`show` turns such a frame into a table meant for reading:

* the date as the paper words it (``date_text``), not the machine date columns;
* readable column headings ("Strength (men)" rather than ``strength_min``);
* people's ids replaced by their names, codes such as ``sent_back`` by words;
* a "Source" column on every row: "Chen, fn. 31" for the paper's footnote 31,
  "Chen, no footnote" for text without one, and for a fact from outside the
  paper, "Context from outside the paper:" with the source's title and URL;
* the paper's own words (``evidence``, ``quote``) in quotation marks, so that
  every verbatim excerpt is marked and cited.

>>> from yalu.data import load
>>> from yalu.tables import show
>>> show(load("soviet_air"))                    # doctest: +SKIP
>>> show(load("troop_movements"), phase="leaning", columns=["date_text", "unit", "action"])  # doctest: +SKIP
"""
from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from yalu.errors import YaluError

__all__ = ["show", "Table", "COLUMN_LABELS", "source_label", "date_order", "readable"]

#: Readable headings for the data package's column names.
COLUMN_LABELS = {
    "date_text": "Date (as the paper words it)",
    "title": "Event",
    "summary": "What happened (our summary)",
    "actors": "Who",
    "place": "Where",
    "unit": "Unit",
    "strength": "Strength (men)",
    "action": "Action",
    "origin": "From",
    "destination": "To",
    "claimed_by": "Claimed by",
    "claimant_kind": "Kind of claimant",
    "claim": "Claim (our words)",
    "item": "Item",
    "quantity": "Quantity",
    "unit_of_quantity": "Unit",
    "status": "Status",
    "area": "Area",
    "kind": "Kind",
    "sender": "From",
    "recipients": "To",
    "quote": "Quoted in the paper",
    "evidence": "The paper's words",
    "name": "Name",
    "role": "Role (as the paper gives it)",
    "side": "Side",
    "topic": "Topic",
    "question": "Question",
    "conflict": "Conflict",
    "citation": "Footnote text",
    "author": "Author",
    "year": "Year",
    "url": "URL",
    "cited_in_extract": "Cited in the extract",
    "footnote": "Footnote",
    "source": "Source",
}

#: Columns dropped from every reading table: machine dates, ids and bookkeeping.
HIDDEN = ("id", "date", "date_start", "date_end", "phase")

#: The default columns, in order, for each table of the data package.
DEFAULT_COLUMNS = {
    "events": ["date_text", "title", "summary", "actors", "place"],
    "troop_movements": ["date_text", "unit", "strength", "action", "origin", "destination", "claimed_by"],
    "soviet_air": ["date_text", "item", "quantity", "status", "area", "summary"],
    "communications": ["date_text", "kind", "sender", "recipients", "summary", "quote"],
    "people": ["name", "kind", "role", "side"],
    "claims": ["date_text", "claimed_by", "claimant_kind", "claim", "strength"],
    "conflicts": ["topic", "question", "summary", "status"],
    "sources": ["id", "kind", "status", "citation", "title", "url"],
}


def _blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return len(value) == 0
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _number(value) -> str:
    value = float(value)
    return f"{int(value):,}" if value.is_integer() else f"{value:,}"


def _range(lo, hi) -> str:
    if _blank(lo) and _blank(hi):
        return "not given"
    if _blank(hi) or (not _blank(lo) and float(lo) == float(hi)):
        return _number(lo)
    if _blank(lo):
        return f"up to {_number(hi)}"
    return f"{_number(lo)}–{_number(hi)}"


def readable(code) -> str:
    """An enum code as words: ``sent_back`` -> ``sent back``."""
    return "" if _blank(code) else str(code).replace("_", " ")


def _source_titles(sources: pd.DataFrame | None) -> dict:
    if sources is None:
        return {}
    out = {}
    for _, row in sources.iterrows():
        title = row.get("title")
        url = row.get("url")
        out[row["id"]] = (None if _blank(title) else str(title), None if _blank(url) else str(url))
    return out


def source_label(source, footnote=None, titles: dict | None = None) -> str:
    """How a row's source reads in a table.

    ``chen1992`` with footnote 31 -> ``Chen, fn. 31``; without a footnote ->
    ``Chen, no footnote``; a ``ctx_`` source -> ``Context from outside the
    paper: TITLE (URL)`` (titles from the ``sources`` table).
    """
    titles = titles or {}
    if _blank(source):
        return "source missing"
    source = str(source)
    if source == "chen1992" or source.startswith("fn_"):
        if _blank(footnote) and source.startswith("fn_"):
            footnote = source[3:]
        return "Chen, no footnote" if _blank(footnote) else f"Chen, fn. {int(footnote)}"
    if source.startswith("ctx_"):
        title, url = titles.get(source, (None, None))
        text = title or source
        if url:
            text += f" ({url})"
        return f"Context from outside the paper: {text}"
    return source


def _quoted(text, footnote) -> str:
    if _blank(text):
        return ""
    text = " ".join(str(text).split()).strip().strip('"“”')
    cite = "Chen, no footnote" if _blank(footnote) else f"Chen, fn. {int(footnote)}"
    return f"“{text}” ({cite})"


def date_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in date order (by ``date_start``, then ``date_end``; ties keep the data's order); undated rows last."""
    keys = [c for c in ("date_start", "date_end") if c in frame.columns]
    if not keys:
        return frame
    return frame.sort_values(keys, kind="stable", na_position="last")


class Table:
    """A table formatted for reading. Shows as HTML in a notebook, as text elsewhere.

    ``.frame`` is the formatted pandas DataFrame (all strings).
    """

    def __init__(self, frame: pd.DataFrame, caption: str | None = None):
        self.frame = frame
        self.caption = caption

    def __len__(self) -> int:
        return len(self.frame)

    def _repr_html_(self) -> str:
        body = self.frame.to_html(index=False, escape=True, na_rep="", border=0, classes="yalu-table",
                                  justify="left")
        if self.caption:
            body = f"<p><strong>{html.escape(self.caption)}</strong></p>\n" + body
        return body

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", 60, "display.width", 200):
            text = self.frame.to_string(index=False) if len(self.frame) else "(no rows)"
        return (self.caption + "\n" if self.caption else "") + text


def show(frame: pd.DataFrame, columns: Iterable[str] | None = None, *, phase: str | Iterable[str] | None = None,
         where: dict | None = None, order: str | None = "date", evidence: bool = True, caption: str | None = None,
         sources: pd.DataFrame | None = None, people: pd.DataFrame | None = None) -> Table:
    """Format a table from :func:`yalu.data.load` for reading.

    ``columns``: data-package column names to show, in order (defaults per table);
    ``strength`` and ``quantity`` stand for the min/max pairs. ``phase``: keep
    only rows of that phase (or phases). ``where``: keep rows whose column equals
    the value (or is in a list of values). ``order``: ``"date"`` (the
    default: date order), a column name, or None (the data's order). ``evidence``: add the paper's words,
    quoted and cited. A "Source" column is always added. ``sources`` and
    ``people`` default to ``load("sources")`` / ``load("people")`` when those
    tables exist, for source titles and people's names.
    """
    if not isinstance(frame, pd.DataFrame):
        raise YaluError("show() takes a table from yalu.data.load(), e.g. show(load('events'))")
    name = frame.attrs.get("table")
    frame = frame.copy()
    if phase is not None and "phase" in frame.columns:
        phases = [phase] if isinstance(phase, str) else list(phase)
        frame = frame[frame["phase"].astype("string").isin(phases)]
    for col, value in (where or {}).items():
        if col not in frame.columns:
            raise YaluError(f"cannot filter on {col!r}: the table has no such column")
        values = list(value) if isinstance(value, (list, tuple, set)) else [value]
        frame = frame[frame[col].astype("string").isin([str(v) for v in values])]
    if order == "date":
        frame = date_order(frame)
    elif order is not None:
        if order not in frame.columns:
            raise YaluError(f"cannot order by {order!r}: the table has no such column")
        frame = frame.sort_values(order, kind="stable", na_position="last")

    if sources is None and any(str(s).startswith("ctx_") for s in frame.get("source", pd.Series(dtype=object)).dropna()):
        sources = _try_load("sources")
    titles = _source_titles(sources)
    if people is None and name in ("events", "communications"):
        people = _try_load("people")
    names = {} if people is None else dict(zip(people["id"], people["name"]))

    def person(pid) -> str:
        return names.get(pid, str(pid).replace("_", " ").title())

    if columns is None:
        columns = DEFAULT_COLUMNS.get(name) or [c for c in frame.columns if c not in HIDDEN + ("footnote", "source", "evidence")]
    columns = list(columns)
    out = pd.DataFrame(index=frame.index)
    for col in columns:
        if col == "strength":
            out[COLUMN_LABELS["strength"]] = [_range(a, b) for a, b in zip(frame["strength_min"], frame["strength_max"])]
        elif col == "quantity":
            unit = frame["unit"] if "unit" in frame.columns else [None] * len(frame)
            out[COLUMN_LABELS["quantity"]] = [
                _range(a, b) + ("" if _blank(u) or _range(a, b) == "not given" else f" {u}")
                for a, b, u in zip(frame["quantity_min"], frame["quantity_max"], unit)
            ]
        elif col not in frame.columns:
            raise YaluError(f"the table has no column {col!r}; its columns are: {', '.join(frame.columns)}")
        elif col in ("quote", "evidence"):
            fn = frame["footnote"] if "footnote" in frame.columns else [None] * len(frame)
            out[COLUMN_LABELS[col]] = [_quoted(t, f) for t, f in zip(frame[col], fn)]
        elif col in ("actors", "recipients", "sender"):
            out[COLUMN_LABELS[col]] = [
                ", ".join(person(p) for p in (v if isinstance(v, list) else [v])) if not _blank(v) else ""
                for v in frame[col]
            ]
        else:
            series = frame[col]
            label = COLUMN_LABELS.get(col, col.replace("_", " ").capitalize())
            if isinstance(series.dtype, pd.CategoricalDtype):
                out[label] = [readable(v) for v in series]
            elif pd.api.types.is_datetime64_any_dtype(series):
                out[label] = ["" if _blank(v) else f"{v.day} {v:%B %Y}" for v in series]
            else:
                out[label] = ["" if _blank(v) else ("; ".join(map(str, v)) if isinstance(v, list) else str(v)) for v in series]
    if evidence and "evidence" in frame.columns and "evidence" not in columns:
        fn = frame["footnote"] if "footnote" in frame.columns else [None] * len(frame)
        out[COLUMN_LABELS["evidence"]] = [_quoted(t, f) for t, f in zip(frame["evidence"], fn)]
    if "source" in frame.columns:
        fn = frame["footnote"] if "footnote" in frame.columns else [None] * len(frame)
        out[COLUMN_LABELS["source"]] = [source_label(s, f, titles) for s, f in zip(frame["source"], fn)]
    return Table(out.reset_index(drop=True).astype(str), caption=caption)


def _try_load(name: str):
    try:
        from yalu.data import load, tables

        return load(name) if name in tables() else None
    except YaluError:
        return None
