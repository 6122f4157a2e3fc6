"""Format a loaded table for reading in a notebook.

``yalu.data.load(name)`` returns the data as typed columns (timestamps, ids,
enum codes). :func:`show` turns such a frame into a table meant for reading:

* the date as the paper words it (``date_text``), not the machine date columns;
* readable column headings ("Strength (men)" rather than ``strength_min``);
* people's ids replaced by their names, codes such as ``sent_back`` by words;
* a "Source" column on every row: "Chen, fn. 31" for the paper's footnote 31,
  "Chen, no footnote" for text without one, and for a fact from outside the
  paper "Context:" and a short link ("FRUS 1950 vol. VI doc. 157") to its public page;
* at most six columns by default, text left-aligned and wrapped at word boundaries, in
  a region that scrolls sideways if it must;
* the paper's own words (``evidence``, ``quote``), when asked for, in quotation marks,
  so that every verbatim excerpt is marked and cited.

>>> from yalu.data import load
>>> table = show(load("troop_movements"), ["date_text", "unit", "action"], phase="leaning")
>>> list(table.frame.columns)
['Date (as the paper words it)', 'Unit', 'Action', 'Source']
"""
from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from yalu import data, documents
from yalu.citations import citer
from yalu.errors import YaluError

__all__ = ["show", "Table", "COLUMN_LABELS", "date_order", "readable"]

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
DEFAULT_COLUMNS = {  # at most five, plus the Source column
    "events": ["date_text", "title", "actors", "place"],
    "troop_movements": ["date_text", "unit", "strength", "action", "destination"],
    "soviet_air": ["date_text", "item", "quantity", "status", "area"],
    "communications": ["date_text", "kind", "sender", "recipients", "summary"],
    "people": ["name", "kind", "role", "side"],
    "claims": ["date_text", "claimed_by", "claimant_kind", "claim"],
    "conflicts": ["topic", "question", "status"],
    "sources": ["footnote", "kind", "status", "citation"],
    "documents": ["date_text", "title", "author", "summary", "url"],
}

#: Headings that differ for the documents table: its dates and titles are the archive's, not the paper's.
TABLE_LABELS = {
    "documents": {"date_text": "Date", "title": "Title (as the archive gives it)", "author": "Author or sender",
                  "recipient": "Recipient", "collection": "Archive", "archive_ref": "Archive reference",
                  "url": "Read it at the archive", "summary": "Summary (our words)", "kind": "Kind of document",
                  "language": "Original language", "translator": "Translator", "note": "Note",
                  "url_checked": "Web address"},
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


def _quantity(lo, hi, unit) -> str:
    """``1`` division, ``3–4 divisions``: a unit word agrees with a quantity of exactly one."""
    text = _range(lo, hi)
    if _blank(unit) or text == "not given":
        return text
    unit = str(unit)
    if text == "1" and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]
    return f"{text} {unit}"


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


_CELL = "text-align:left;vertical-align:top;white-space:normal;overflow-wrap:break-word;padding:0.3em 0.6em"


class Table:
    """A table formatted for reading. Shows as HTML in a notebook, as text elsewhere.

    ``.frame`` is the formatted pandas DataFrame (all strings); ``.links`` the HTML of any
    linked cells (short link text for a source outside the paper).
    """

    def __init__(self, frame: pd.DataFrame, caption: str | None = None, links: dict | None = None):
        self.frame = frame
        self.caption = caption
        self.links = links or {}

    def __len__(self) -> int:
        return len(self.frame)

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col" style="{_CELL}">{html.escape(c)}</th>' for c in self.frame.columns)
        rows = []
        for r, row in enumerate(self.frame.itertuples(index=False)):
            cells = "".join(f'<td style="{_CELL}">{self.links.get((r, c), html.escape(str(v)))}</td>'
                            for c, v in enumerate(row))
            rows.append(f"<tr>{cells}</tr>")
        name = html.escape(self.caption or "Table", quote=True)
        caption = (f'<caption style="text-align:left;font-weight:bold;caption-side:top">{html.escape(self.caption)}'
                   "</caption>" if self.caption else "")
        return (f'<div role="region" aria-label="{name}" tabindex="0" style="overflow-x:auto;max-width:100%">'
                f'<table class="yalu-table" style="border-collapse:collapse">{caption}<thead><tr>{head}</tr></thead>'
                f"<tbody>{''.join(rows)}</tbody></table></div>")

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", 60, "display.width", 200):
            text = self.frame.to_string(index=False) if len(self.frame) else "(no rows)"
        return (self.caption + "\n" if self.caption else "") + text


def show(frame: pd.DataFrame, columns: Iterable[str] | None = None, *, phase: str | Iterable[str] | None = None,
         where: dict | None = None, order: str | None = "date", evidence: bool = False, caption: str | None = None,
         people: pd.DataFrame | None = None) -> Table:
    """Format a table from :func:`yalu.data.load` for reading.

    ``columns``: data-package column names to show, in order (defaults per table);
    ``strength`` and ``quantity`` stand for the min/max pairs. ``phase``: keep
    only rows of that phase (or phases). ``where``: keep rows whose column equals
    the value (or is in a list of values). ``order``: ``"date"`` (the
    default: date order), a column name, or None (the data's order). ``evidence``: add the paper's words,
    quoted and cited (off by default: long quotations make tables hard to read; the explorer's detail
    panel shows them). A "Source" column is always added. ``people`` defaults to ``load("people")``
    for people's names. Row ids are internal and never shown.
    """
    if not isinstance(frame, pd.DataFrame):
        raise YaluError("show() takes a table from yalu.data.load(), e.g. show(load('events'))")
    name = frame.attrs.get("table")
    frame = frame.copy()
    if phase is not None and "phase" in frame.columns:
        phases = [phase] if isinstance(phase, str) else list(phase)
        frame = frame[frame["phase"].astype("string").isin(phases)]
    if name == "document_links":
        return _links_table(frame, columns, caption)
    if where is not None and not isinstance(where, dict):
        raise YaluError("where= takes a dict of column and value, e.g. where={'status': 'promised'}")
    for col, value in (where or {}).items():
        if col not in frame.columns:
            raise YaluError(f"cannot filter on {col!r}: the table has no such column")
        values = {str(v) for v in (value if isinstance(value, (list, tuple, set)) else [value])}
        if frame[col].map(lambda v: isinstance(v, list)).any():  # several ids in one cell: any of them
            frame = frame[frame[col].map(lambda v, wanted=values: isinstance(v, list) and bool(wanted & {str(x) for x in v}))]
        else:
            frame = frame[frame[col].astype("string").isin(values)]
    if order == "date":
        frame = date_order(frame)
    elif order is not None:
        if order not in frame.columns:
            raise YaluError(f"cannot order by {order!r}: the table has no such column")
        frame = frame.sort_values(order, kind="stable", na_position="last")

    if people is not None and not {"id", "name"} <= set(getattr(people, "columns", [])):
        raise YaluError("people= takes the people table: show(..., people=load('people'))")
    if people is None and name in ("events", "communications"):
        people = _try_load("people")
    names = {} if people is None else dict(zip(people["id"], people["name"], strict=True))

    def person(pid) -> str:
        return names.get(pid, str(pid).replace("_", " ").title())

    if isinstance(columns, str):  # one column named on its own
        columns = [columns]
    if columns is None:
        columns = DEFAULT_COLUMNS.get(name) or [c for c in frame.columns if c not in HIDDEN + ("footnote", "source", "evidence")]
    columns = list(columns)
    if "id" in columns:
        raise YaluError("row ids are internal to the data; show a readable column instead (e.g. 'date_text')")
    labels = {**COLUMN_LABELS, **TABLE_LABELS.get(name, {})}
    out = pd.DataFrame(index=frame.index)
    url_links = {}
    for col in columns:
        if col == "strength":
            pairs = zip(frame["strength_min"], frame["strength_max"], strict=True)
            out[COLUMN_LABELS["strength"]] = [_range(a, b) for a, b in pairs]
        elif col == "quantity":
            unit = frame["unit"] if "unit" in frame.columns else [None] * len(frame)
            out[COLUMN_LABELS["quantity"]] = [
                _quantity(a, b, u) for a, b, u in zip(frame["quantity_min"], frame["quantity_max"], unit, strict=True)
            ]
        elif col not in frame.columns:
            raise YaluError(f"the table has no column {col!r}; its columns are: {', '.join(frame.columns)}")
        elif col in ("quote", "evidence"):
            fn = frame["footnote"] if "footnote" in frame.columns else [None] * len(frame)
            out[labels[col]] = [_quoted(t, f) for t, f in zip(frame[col], fn, strict=True)]
        elif col == "url":
            words = [documents.read_link(u) for u in frame[col]]
            out[labels[col]] = [w or "no confirmed web address" for w in words]
            url_links[len(out.columns) - 1] = [None if not w else u for w, u in zip(words, frame[col], strict=True)]
        elif col in ("actors", "recipients", "sender"):
            out[labels[col]] = [
                ", ".join(person(p) for p in (v if isinstance(v, list) else [v])) if not _blank(v) else ""
                for v in frame[col]
            ]
        else:
            series = frame[col]
            label = labels.get(col, col.replace("_", " ").capitalize())
            if isinstance(series.dtype, pd.CategoricalDtype):
                out[label] = [readable(v) for v in series]
            elif pd.api.types.is_datetime64_any_dtype(series):
                out[label] = ["" if _blank(v) else f"{v.day} {v:%B %Y}" for v in series]
            else:
                out[label] = ["" if _blank(v) else ("; ".join(map(str, v)) if isinstance(v, list) else str(v)) for v in series]
    if evidence and "evidence" in frame.columns and "evidence" not in columns:
        fn = frame["footnote"] if "footnote" in frame.columns else [None] * len(frame)
        out[COLUMN_LABELS["evidence"]] = [_quoted(t, f) for t, f in zip(frame["evidence"], fn, strict=True)]
    links = {}
    if "source" in frame.columns:
        fn = frame["footnote"] if "footnote" in frame.columns else [None] * len(frame)
        cite = citer()
        cites = [cite(s, f) for s, f in zip(frame["source"], fn, strict=True)]
        out[COLUMN_LABELS["source"]] = [c.short for c in cites]
        col = len(out.columns) - 1
        links = {(r, col): c.html() for r, c in enumerate(cites) if c.url}
    for col, urls in url_links.items():
        for r, url in enumerate(urls):
            if url:
                links[(r, col)] = (f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener">'
                                   f"{html.escape(out.iloc[r, col])}</a>")
    return Table(out.reset_index(drop=True).astype(str), caption=caption, links=links)


_LINK_COLUMNS = {"title": "Document", "doc_date": "Document's date", "relation": "Relation",
                 "record_text": "Record it bears on", "record_date": "Record's date (as its source words it)",
                 "record_kind": "Kind of record", "note": "How they relate (our words)"}


def _links_table(frame: pd.DataFrame, columns, caption) -> Table:
    """The link table for reading: the document's title and the record's words, never their ids."""
    joined = documents.links()
    joined = joined[joined["id"].isin(set(frame["id"]))]
    if isinstance(columns, str):
        columns = [columns]
    columns = list(columns or ["title", "relation", "record_text", "note"])
    unknown = [c for c in columns if c not in _LINK_COLUMNS]
    if unknown:
        raise YaluError(f"the link table can show {', '.join(_LINK_COLUMNS)}; not {', '.join(unknown)}")
    out = pd.DataFrame({_LINK_COLUMNS[c]: joined[c].astype(str) for c in columns})
    return Table(out.reset_index(drop=True), caption=caption)


def _try_load(name: str):
    return data.load(name) if name in data.table_names() else None
