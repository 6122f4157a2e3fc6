"""The timeline explorer: every dated record on a zoomable timeline drawn in the browser.

:func:`explore` returns one widget (an ``anywidget``). The Python side gathers the records, the
disputed claims and their citations once per kernel and sends them to the browser as JSON; the
browser does the searching, filtering, zooming and the detail panel with the vendored
vis-timeline library (``static/``, see its README), so nothing waits for the kernel and nothing
is fetched from the network. Where no widget can be drawn (GitHub, nbconvert HTML, a notebook
stored without widget state) the output shows its static fallback instead: the timeline picture
with alt text and the list of the records.

>>> ex = explore(phase="decision", start="1950-10-01", end="1950-10-19")
>>> ex.view["start"], ex.view["end"], ex.view["phase"]
('1950-10-01', '1950-10-19', 'decision')
>>> ex.catalogue is explore().catalogue  # one copy of the library and records per kernel
True
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import anywidget
import ipywidgets
import pandas as pd
import traitlets

from yalu import data, documents, records, timeline
from yalu.citations import citer
from yalu.course import BY_PHASE
from yalu.dates import day_range, long_day, span_text
from yalu.errors import YaluError

__all__ = ["Explorer", "explore", "catalogue", "payload", "PERIODS", "LANES", "DEFAULT_RANGE", "VIS_VERSION"]

STATIC = Path(__file__).with_name("static")
VIS_FILE = STATIC / "vis-timeline-graph2d.min.mjs"
VIS_CSS = STATIC / "vis-timeline-graph2d.min.css"
VIS_VERSION = "8.5.4"  # keep in step with static/README.md

#: The dates the explorer opens on when neither a phase nor dates are given: the story's two years.
DEFAULT_RANGE = ("1949-01-01", "1950-12-31")

#: How the lanes (rows) of the timeline can be chosen.
LANES = {"actor": "capital of the first actor", "kind": "kind of record", "phase": "phase of the story",
         "evidence": "kind of evidence a work rests on"}

#: The named periods the explorer has a button for: (key, button text, first day, last day).
PERIODS = (
    ("1949", "1949", "1949-01-01", "1949-12-31"),
    ("treaty", "Treaty talks", "1949-12-01", "1950-02-28"),
    ("summer1950", "Jun–Sep 1950", "1950-06-01", "1950-09-30"),
    ("october1950", "1–19 Oct 1950", "1950-10-01", "1950-10-19"),
)

_CAPITALS = records.CAPITALS

# Where the narrative notebooks tell each phase (the detail panel links there).
_NOTEBOOKS = {phase: (n.file, n.title) for phase, n in BY_PHASE.items()}

_KIND_NAMES = {**records.KIND_NAMES, "document": "Document"}
#: The words of the link to a document's page at its archive.
READ_AT_ARCHIVE = "Read the document at the archive"


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else " ".join(str(value).split())


def _iso(ts) -> str:
    return f"{ts:%Y-%m-%d}"


def _uncertain(edtf: str) -> bool:
    """True for an EDTF value that is approximate, uncertain or unspecified (``~ ? % X``, seasons)."""
    return bool(re.search(r"[~?%X]", edtf) or re.search(r"(?:^|/)\d{4}-2[1-4](?:$|[/~?%])", edtf))


def _shape(edtf: str, start, end) -> str:
    """``day`` (one known day), ``span`` (a known range of days) or ``uncertain``."""
    if _uncertain(edtf):
        return "uncertain"
    return "day" if start == end else "span"


def _attestations(row: dict, rows: pd.DataFrame, cite) -> list[dict]:
    """Every row of the data that records the same happening as ``row`` (none if it stands alone)."""
    if len(row["attestations"]) < 2:
        return []
    out = []
    for rid in row["attestations"]:
        a = rows.loc[rid]
        out.append({"kindName": _KIND_NAMES[a["kind"]], "title": _text(a["label_full"]),
                    "when": span_text(a["date_start"], a["date_end"]),
                    "citationShort": cite(a["source"], a["footnote"]).short})
    return out


def _record(row: dict, names: dict[str, str], cite, rows: pd.DataFrame | None = None) -> dict:
    c = cite(row["source"], row["footnote"])
    edtf = _text(row["date"])
    start, end = row["date_start"], row["date_end"]
    notebook, notebook_title = _NOTEBOOKS.get(str(row["phase"]), ("", ""))
    actors = [names.get(a, a.replace("_", " ")) for a in row["actors"]]
    return {
        "id": row["id"], "kind": row["kind"], "kindName": _KIND_NAMES[row["kind"]],
        "title": _text(row["label"]), "summary": _text(row["summary"]),
        "start": _iso(start), "end": _iso(end), "when": span_text(start, end),
        "shape": _shape(edtf, start, end), "edtf": edtf, "dateText": _text(row["date_text"]),
        "phase": str(row["phase"]), "actors": actors, "actorIds": list(row["actors"]),
        "capital": row["capital"], "evidenceKind": row["evidence_kind"], "place": _text(row["place"]),
        "citation": c.full, "citationShort": c.short, "url": c.url, "context": c.context,
        "evidence": _text(row["evidence"]), "quote": _text(row["quote"]),
        "notebook": notebook, "notebookTitle": notebook_title,
        "attestations": [] if rows is None else _attestations(row, rows, cite),
    }


def _documents() -> list[dict]:
    """Every document as the explorer draws it: its own kind and lane. Only what differs from one
    document to the next is sent (the browser knows a document's kind name and link words)."""
    if "documents" not in data.table_names():
        return []
    out = []
    for row in documents.documents().to_dict("records"):
        edtf = _text(row["date"])
        start, end = row["date_start"], row["date_end"]
        doc = {
            "id": row["id"], "kind": "document", "title": _text(row["title"]), "summary": _text(row["summary"]),
            "start": _iso(start), "end": _iso(end), "when": span_text(start, end),
            "shape": _shape(edtf, start, end), "edtf": edtf, "dateText": _text(row["date_text"]),
            "phase": str(row["phase"]), "author": _text(row["author"]), "recipient": _text(row["recipient"]),
            "collection": _text(row["collection"]), "archiveRef": _text(row["archive_ref"]),
            "language": _text(row["language"]), "translator": _text(row["translator"]), "note": _text(row["note"]),
            "url": _text(row["url"]), "linkText": documents.read_link(row["url"]),
        }
        out.append({k: v for k, v in doc.items() if v != ""})
    return out


def _links(drawn: set[str], alias: dict[str, str] | None = None) -> list[dict]:
    """Each link between a document and a record, once: the browser builds both sides from it. A row
    drawn as part of another record (one happening, several rows) is linked to that record (``alias``).
    A record that is not drawn (a claim with no date) brings its own words, date and origin."""
    alias = alias or {}
    out = []
    for li in documents.links().to_dict("records"):
        record = alias.get(li["record"], li["record"])
        link = {"document": li["document"], "record": record, "relation": li["relation"], "note": li["note"]}
        if record not in drawn:
            link.update(text=li["record_text"], date=li["record_date"], fromPaper=bool(li["from_paper"]))
        out.append(link)
    return out


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _claims() -> tuple[list[dict], list[dict]]:
    """The disputed claims with a date (drawn) and every dispute with all its versions (for the panel)."""
    if "claims" not in data.table_names() or "conflicts" not in data.table_names():
        return [], []
    claims, conflicts = data.load("claims"), data.load("conflicts")
    cite = citer()
    by_conflict: dict[str, list[dict]] = {}
    for row in claims.to_dict("records"):  # in the table's order, as the versions are listed
        by_conflict.setdefault(row["conflict"], []).append(row)
    out, disputes = [], []
    for conf in conflicts.to_dict("records"):
        versions = []
        for row in by_conflict.get(conf["id"], []):
            c = cite(row["source"], row["footnote"])
            dated = not pd.isna(row["date_start"])
            claim = {
                "id": row["id"], "conflict": conf["id"], "kind": "claim", "kindName": _KIND_NAMES["claim"],
                "title": _upper_first(f"{_text(row['claimed_by'])}: {_text(row['claim'])}"),
                "claimedBy": _text(row["claimed_by"]),
                "summary": _text(row["claim"]), "dateText": _text(row["date_text"]) or "no date given",
                "edtf": _text(row["date"]), "phase": str(row["phase"]), "actors": [], "actorIds": [],
                "capital": "", "place": "", "citation": c.full, "citationShort": c.short, "url": c.url,
                "context": c.context, "evidence": _text(row["evidence"]), "quote": "",
                "notebook": _NOTEBOOKS.get(str(row["phase"]), ("", ""))[0],
                "notebookTitle": _NOTEBOOKS.get(str(row["phase"]), ("", ""))[1],
            }
            if dated:
                claim.update(start=_iso(row["date_start"]), end=_iso(row["date_end"]),
                             when=span_text(row["date_start"], row["date_end"]),
                             shape=_shape(claim["edtf"], row["date_start"], row["date_end"]))
                out.append(claim)
            versions.append({"id": row["id"], "claimedBy": claim["claimedBy"], "claim": claim["summary"],
                             "when": claim.get("when", "no date given"), "dated": dated})
        disputes.append({"id": conf["id"], "topic": _text(conf["topic"]), "question": _text(conf["question"]),
                         "summary": _text(conf["summary"]), "status": _text(conf["status"]), "versions": versions})
    return out, disputes


def payload() -> dict:
    """Everything the browser needs, as JSON-ready data: records, claims, disputes and the choices
    of the filters (a label for each value; ids are used internally and never shown)."""
    frame = records.records()
    names = records.people_names()
    cite = citer()
    rows = records.records(merged=False).set_index("id")
    recs = [_record(row, names, cite, rows) for row in frame.to_dict("records")]
    claims, disputes = _claims()
    docs = _documents()
    alias = {a: rid for rid, rows_of in zip(frame["id"], frame["attestations"], strict=True) for a in rows_of}
    links = _links({r["id"] for r in recs + claims}, alias) if docs else []
    present = {a for r in recs for a in r["actorIds"]}
    actors = sorted(((names.get(a, a.replace("_", " ")), a) for a in present), key=lambda t: t[0].lower())
    phases = [p for p in records.phases() if any(r["phase"] == p for r in recs)]
    return {
        "records": recs, "claims": claims, "disputes": disputes, "documents": docs, "links": links,
        "phases": [{"value": p, "label": p.capitalize()} for p in phases],
        "actors": [{"value": a, "label": label} for label, a in actors],
        "kinds": [{"value": k, "label": _KIND_NAMES[k]} for k in [*records.KINDS, "claim"] + (["document"] if docs else [])],
        "lanes": [{"value": k, "label": v} for k, v in LANES.items()],
        "capitals": _CAPITALS,
        "evidenceKinds": [*records.EVIDENCE_KINDS.values(), records.NOT_A_WORK],
        "periods": [{"key": k, "label": label, "start": s, "end": e} for k, label, s, e in PERIODS],
        "first": min(r["start"] for r in recs), "last": max(r["end"] for r in recs),
    }


class Catalogue(ipywidgets.Widget):
    """The data every explorer in a kernel shares: the vis-timeline library and the records.

    One model per kernel, so a notebook saved with its widget state holds one copy of the
    library and of the records, however many explorers it shows.
    """
    version = traitlets.Unicode(VIS_VERSION).tag(sync=True)
    source = traitlets.Unicode().tag(sync=True)
    css = traitlets.Unicode().tag(sync=True)
    payload = traitlets.Dict().tag(sync=True)


_CATALOGUE: list[Catalogue] = []


def catalogue() -> Catalogue:
    """The kernel's one :class:`Catalogue` (made on first use)."""
    if not _CATALOGUE or _CATALOGUE[0].comm is None:
        _CATALOGUE[:] = [Catalogue(source=VIS_FILE.read_text(encoding="utf-8"),
                                   css=VIS_CSS.read_text(encoding="utf-8"), payload=payload())]
    return _CATALOGUE[0]


class Explorer(anywidget.AnyWidget):
    """The explorer of one view: which records, lanes and dates it opens on (``view``)."""
    _esm = STATIC / "explorer.js"
    _css = STATIC / "explorer.css"
    catalogue = traitlets.Instance(Catalogue).tag(sync=True, **ipywidgets.widget_serialization)
    view = traitlets.Dict().tag(sync=True)

    def __init__(self, view: dict, fallback: str, alt: str, summary: dict | None = None):
        super().__init__(catalogue=catalogue(), view=view)
        self._fallback, self._alt = fallback, alt
        # what the static picture draws, and the view it stands in for (stored in the output's metadata)
        self._summary = {**summary, "explorer": dict(view)} if summary else None

    def __repr__(self) -> str:
        return self._alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = super()._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = {**bundle, "text/html": self._fallback, "text/plain": self._alt}
        return (bundle, {"yalu": self._summary}) if self._summary else bundle


def _fallback(frame: pd.DataFrame, start, end, phase, actor, kind, lanes) -> tuple[str, str, dict]:
    """The static view: the timeline picture of the same records, lanes and dates the explorer opens
    on, with alt text, then the records as a list."""
    # a compact picture (four rows a lane): what it leaves out, the list below names in full
    pic = timeline.picture(phase=phase, actor=actor, kind=kind, start=start, end=end, lanes=lanes, max_rows=4,
                           more="in the list below and in the explorer")
    alt = pic.alt
    picture_html = pic.html()
    cite = citer()
    rows = records.records(merged=False).set_index("id")  # every row, for the happenings recorded more than once
    items = "".join(
        f"<li>{html.escape(span_text(r['date_start'], r['date_end']))}: {html.escape(_text(r['label_full']))} "
        f"({html.escape(_cited(r, cite, rows))})</li>"
        for r in frame.to_dict("records"))
    n = len(frame)
    listing = (f'<details class="yalu-fallback-list"><summary>The {n} record{"s" if n != 1 else ""} in this view, '
               f"{html.escape(long_day(start))} to {html.escape(long_day(end))}</summary><ul>{items}</ul></details>")
    note = ("<p><small>A static view. Run the cell to use the timeline explorer: search, filters, zoom "
            "and a detail panel for each record.</small></p>")
    return f'<div class="yalu-fallback">{picture_html}{listing}{note}</div>', " ".join(str(alt).split()), pic.summary


def _cited(r: dict, cite, rows: pd.DataFrame) -> str:
    """The record's source; for a happening recorded in several rows (``rows``: every row, by id),
    every row's kind and source."""
    if len(r.get("attestations") or []) < 2:
        return cite(r["source"], r["footnote"]).short
    return "recorded as: " + "; ".join(
        f"{_KIND_NAMES[rows.at[a, 'kind']].lower()}, {cite(rows.at[a, 'source'], rows.at[a, 'footnote']).short}"
        for a in r["attestations"])


def _claims_fallback(start, end) -> tuple[str, str, int]:
    """The static view of the disputed claims: each question with its dated versions in the range."""
    claims, disputes = _claims()
    s, e = _iso(start), _iso(end)
    kept = [c for c in claims if c["end"] >= s and c["start"] <= e]
    blocks = []
    for d in disputes:
        mine = [c for c in kept if c["conflict"] == d["id"]]
        if mine:
            items = "".join(f"<li>{html.escape(c['when'])}: {html.escape(c['title'])} "
                            f"({html.escape(c['citationShort'])})</li>" for c in mine)
            blocks.append(f"<p><b>{html.escape(d['question'])}</b></p><ul>{items}</ul>")
    alt = (f"{len(kept)} dated versions of {len(blocks)} disputed questions between {long_day(start)} and "
           f"{long_day(end)}, listed by question.")
    note = ("<p><small>A static view. Run the cell to see the versions on the timeline explorer, where the "
            "versions of one question share a lane.</small></p>")
    return f'<div class="yalu-fallback"><p>{html.escape(alt)}</p>{"".join(blocks)}{note}</div>', alt, len(kept)


def _documents_fallback(start, end) -> tuple[str, str, int]:
    """The static view of the documents: each in the range with its date and where to read it."""
    docs = documents.documents()
    docs = docs[(docs["date_end"] >= start) & (docs["date_start"] <= end)]
    items = "".join(
        f"<li>{html.escape(_text(d['date_text']))}: {html.escape(_text(d['title']))} "
        + (f'(<a href="{html.escape(d["url"], quote=True)}" target="_blank" rel="noopener">{READ_AT_ARCHIVE}</a>)'
           if _text(d["url"]) else "(no confirmed web address)") + "</li>"
        for d in docs.to_dict("records"))
    alt = f"{len(docs)} documents dated between {long_day(start)} and {long_day(end)}, listed by date."
    note = ("<p><small>A static view. Run the cell to see the documents on the timeline explorer, in their own "
            "lane, with what each bears on.</small></p>")
    return f'<div class="yalu-fallback"><p>{html.escape(alt)}</p><ul>{items}</ul>{note}</div>', alt, len(docs)


def explore(phase=None, actor=None, kind=None, start=None, end=None, lanes="actor") -> Explorer:
    """The timeline explorer, opening on these filters and dates.

    ``phase``, ``actor`` (a people id) and ``kind`` set the filters the reader can then change;
    ``start`` and ``end`` (like ``"1950-10-01"``) the dates it opens on, by default the span of the
    records the filters keep (``kind="claim"`` or ``kind="document"`` opens on the disputed claims or the
    primary documents); ``lanes`` is ``"actor"`` (one row per capital), ``"kind"``, ``"phase"`` or
    ``"evidence"`` (the works about the events, by the kind of evidence each rests on).
    """
    if not isinstance(lanes, str) or lanes not in LANES:
        raise YaluError(f"lanes must be one of {', '.join(map(repr, LANES))}, not {lanes!r}")
    kinds = None
    if kind is not None:
        if isinstance(kind, list | tuple):
            if len(kind) != 1:
                raise YaluError("explore() opens on one kind of record, e.g. kind='event'")
            kind = kind[0]
        if str(kind).strip().lower() in ("claim", "claims"):
            kinds = "claim"
        elif str(kind).strip().lower() in ("document", "documents"):
            kinds = "document"
        else:  # records() checks the name and says which kinds there are
            kinds = str(records.records(kind=kind)["kind"].iloc[0])
    frame = records.records(phase=phase, actor=actor, kind=None if kinds in ("claim", "document") else kinds)
    s, e = day_range(start, end)
    if s is None and e is None and phase is None and len(frame):
        # The story's two years, not 1920-1992: the few early and late records would flatten them.
        s = max(pd.Timestamp(DEFAULT_RANGE[0]), frame["date_start"].min())
        e = min(pd.Timestamp(DEFAULT_RANGE[1]), frame["date_end"].max())
    if s is None:
        s = frame["date_start"].min() if len(frame) else records.records()["date_start"].min()
    if e is None:
        e = frame["date_end"].max() if len(frame) else records.records()["date_end"].max()
    if e < s:
        raise YaluError(f"the range ends ({long_day(e)}) before it starts ({long_day(s)}); give a later end date")
    summary = None
    if kinds == "claim":
        fallback, alt, n = _claims_fallback(s, e)
    elif kinds == "document":
        fallback, alt, n = _documents_fallback(s, e)
    else:
        shown = records.select(frame, s, e)
        n = len(shown)
        fallback, alt, summary = _fallback(shown, s, e, phase, actor, kinds, lanes)
    view = {"phase": phase or "", "actor": actor or "", "kind": kinds or "", "lanes": lanes,
            "start": _iso(s), "end": _iso(e)}
    return Explorer(view, fallback, f"Timeline explorer, {n} records from {long_day(s)} to {long_day(e)}. "
                                    + alt, summary)
