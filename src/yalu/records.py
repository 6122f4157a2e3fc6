"""The collection's dated records as one table: what the timelines, the calendar and the explorer show.

Four tables hold dated records: ``events``, ``troop_movements``, ``soviet_air`` and
``communications``. :func:`records` puts them in one DataFrame, one row per record, with
the columns of :data:`COLUMNS`: its dates (EDTF ``date`` and the first and last day it may
mean), the paper's wording of the date, a ``label`` in full (never cut; people by family name)
and ``label_full`` (people by full name, for keys and details), the people it
names (``actors``), and its source. A row the paper leaves undated is not a dated record and
is left out (it stays in its table, see :func:`yalu.data.load`).

>>> october = records(kind="communication", start="1950-10-01", end="1950-10-19")
>>> bool((october["date_end"] >= "1950-10-01").all())
True
>>> detail(october["id"].iloc[0])["citation"].startswith(("Footnote", "Chen", "Context"))
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from yalu import data
from yalu.citations import cite
from yalu.dates import day_range
from yalu.errors import YaluError

__all__ = ["KINDS", "Kind", "COLUMNS", "CAPITALS", "KIND_NAMES", "EVIDENCE_KINDS", "records", "filter_records", "select", "merge",
           "detail", "people_names", "short_names", "capital"]


@dataclass(frozen=True)
class Kind:
    """One kind of dated record and the table it comes from."""
    name: str
    table: str
    plural: str


KINDS = {
    "event": Kind("event", "events", "events"),
    "troop_movement": Kind("troop_movement", "troop_movements", "troop movements"),
    "soviet_air": Kind("soviet_air", "soviet_air", "Soviet air records"),
    "communication": Kind("communication", "communications", "communications"),
}
_KIND_ALIASES = {k: k for k in KINDS} | {v.table: k for k, v in KINDS.items()} | {
    "troops": "troop_movement", "air": "soviet_air"}

COLUMNS = ["id", "kind", "date", "date_start", "date_end", "date_text", "phase", "label", "label_full", "summary",
           "actors", "capital", "place", "footnote", "source", "evidence", "quote", "happening", "attestations",
           "evidence_kind"]

#: The kinds of evidence the works about the events rest on (``works.csv``), in lane order.
EVIDENCE_KINDS = {"newspaper": "Newspapers", "memoir": "Memoirs", "chinese_history": "Chinese histories",
                  "interview": "Interviews", "chinese_sources": "Chinese sources",
                  "before_archives": "Before the archives", "several_archives": "Several archives",
                  "russian_archives": "Russian archives"}
NOT_A_WORK = "Other records"

#: What a record is called, one of each kind (the explorer's filter and lane names).
KIND_NAMES = {"event": "Event", "troop_movement": "Troop movement", "soviet_air": "Soviet air record",
              "communication": "Communication", "claim": "Disputed claim"}

# Lanes by capital: the capital (or camp) of a record's first actor, from the people table's `side`.
_SIDES = {
    "ccp": "Beijing", "china_other": "Beijing", "soviet": "Moscow", "north_korea": "Pyongyang",
    "south_korea": "Seoul", "united_states": "Washington and the UN", "un": "Washington and the UN",
    "gmd": "Guomindang", "historian": "Historians", "other": "Others",
}
#: The capitals (and camps) records are grouped by, in lane order.
CAPITALS = ["Beijing", "Moscow", "Pyongyang", "Seoul", "Washington and the UN", "Guomindang", "Historians",
            "Others", "No one named"]


@lru_cache(maxsize=4)
def _people(state: tuple) -> pd.DataFrame | None:
    return data.load("people") if "people" in data.table_names() else None


def people_names() -> dict[str, str]:
    """People (and bodies) by id: ``{'mao_zedong': 'Mao Zedong', ...}``."""
    people = _people(data.state())
    return {} if people is None else dict(zip(people["id"], people["name"], strict=True))


def _plain_name(name: str) -> str:
    """A name without its bracketed notes: "Stalin ('Filippov' in cables)" -> "Stalin"."""
    return re.sub(r"\s*\(.*?\)", "", name).strip()


def short_names() -> dict[str, str]:
    """Short names for labels: a person's family name as ``people.csv`` gives it (``family_name``:
    Mao, Kim, Chen, Stalin, Acheson); a body, or a person without one, keeps the full name."""
    people = _people(data.state())
    out: dict[str, str] = {}
    for row in ([] if people is None else people.to_dict("records")):
        name = _plain_name(str(row.get("name") or row["id"])) or row["id"]
        family = row.get("family_name")
        out[row["id"]] = family if isinstance(family, str) and family.strip() else name
    return out


def _sides() -> dict[str, str]:
    people = _people(data.state())
    return {} if people is None else {p: str(s) for p, s in zip(people["id"], people["side"], strict=True)}


def capital(actor_ids: list[str]) -> str:
    """The capital (or camp) of the first of ``actor_ids``: one of :data:`CAPITALS`."""
    if not actor_ids:
        return "No one named"
    return _SIDES.get(_sides().get(actor_ids[0], ""), "Others")


@lru_cache(maxsize=4)
def _links(state: tuple) -> dict[str, list[str]]:
    """``{happening: [record ids, the drawn one first]}`` from ``same_happening.csv``: explicit links
    between rows that record one happening, never guessed from similar text."""
    if "same_happening" not in data.table_names():
        return {}
    out: dict[str, list[str]] = {}
    for row in data.load("same_happening").to_dict("records"):
        ids = [row[c] for c in KINDS if isinstance(row.get(c), str) and row[c]]
        if len(ids) != 1:
            raise YaluError(f"same_happening.csv: the link {row['id']!r} names {len(ids)} records; it must name one "
                            f"(in one of the columns {', '.join(KINDS)})")
        out.setdefault(row["happening"], []).append(ids[0])
    return out


def _ids(value) -> list[str]:
    """People ids from a cell that is a list, one id, or empty."""
    if value is None or (not isinstance(value, list | tuple | str) and pd.isna(value)):
        return []
    return [v for v in ([value] if isinstance(value, str) else list(value)) if v]


def _name(pid: str, names: dict) -> str:
    return names.get(pid, str(pid).replace("_", " ").title())


def _label(kind: str, row: dict, short: dict, names: dict) -> str:
    """A record's title in full: an event's title, a unit and what it did, an air item and its status,
    or who wrote to whom."""
    if kind == "event":
        return " ".join(str(row.get("title") or row.get("summary") or "").split())
    if kind == "troop_movement":
        action = str(row.get("action") or "").replace("_", " ")
        return f"{row.get('unit') or 'troops'}: {action}".rstrip(": ")
    if kind == "soviet_air":
        status = row.get("status")
        return f"{row.get('item') or 'Soviet air'}" + (f" ({status})" if isinstance(status, str) else "")
    who = ", ".join(short.get(p, _name(p, names)) for p in _ids(row.get("sender"))) or "Unknown sender"
    to = ", ".join(short.get(r, _name(r, names)) for r in _ids(row.get("recipients")))
    what = str(row.get("kind") or "message").replace("_", " ")
    return f"{who} to {to} ({what})" if to else f"{who} ({what})"


def _actors(kind: str, row: dict) -> list[str]:
    if kind == "communication":
        out = _ids(row.get("sender"))
        return out + [r for r in _ids(row.get("recipients")) if r not in out]
    return _ids(row.get("actors"))


def _place(kind: str, row: dict) -> str | None:
    for col in ("place", "destination", "area"):
        value = row.get(col)
        if isinstance(value, str) and value:
            return value
    return None


@lru_cache(maxsize=4)
def _load_all(state: tuple) -> pd.DataFrame:
    names, short = people_names(), short_names()
    full = {p: _plain_name(n) or n for p, n in names.items()}
    available = data.table_names()
    parts = []
    for kind in KINDS.values():
        if kind.table not in available:
            continue
        t = data.load(kind.table)
        t = t[t["date_start"].notna()]  # a row the paper does not date cannot be placed in time
        rows = t.to_dict("records")
        part = pd.DataFrame({c: t[c] for c in ("id", "date", "date_start", "date_end", "date_text", "phase")})
        part["kind"] = kind.name
        part["summary"] = t["summary"] if "summary" in t else None
        part["footnote"] = t["footnote"] if "footnote" in t else pd.array([None] * len(t), dtype="Int64")
        part["source"] = t["source"]
        part["evidence"] = t["evidence"] if "evidence" in t else None
        part["quote"] = t["quote"] if "quote" in t else None
        part["label"] = [_label(kind.name, row, short, names) for row in rows]
        part["label_full"] = [_label(kind.name, row, full, names) for row in rows]
        part["actors"] = [_actors(kind.name, row) for row in rows]
        part["capital"] = [capital(a) for a in part["actors"]]
        part["place"] = [_place(kind.name, row) for row in rows]
        parts.append(part)
    if not parts:
        raise YaluError("the data package has none of the dated tables (events, troop_movements, soviet_air, "
                        "communications)")
    phases = parts[0]["phase"].cat.categories
    for p in parts:
        p["phase"] = pd.Categorical(p["phase"].astype(object), categories=phases)
    frame = pd.concat(parts, ignore_index=True)
    frame["happening"], frame["attestations"] = None, [[] for _ in range(len(frame))]
    position = {rid: n for n, rid in enumerate(frame["id"])}
    for hap, ids in _links(data.state()).items():
        known = [rid for rid in ids if rid in position]
        for rid in known:
            frame.at[position[rid], "happening"] = hap
            frame.at[position[rid], "attestations"] = known
    work_table = data.load("works") if "works" in available else None
    works = ({} if work_table is None
             else dict(zip(work_table["event"], work_table["rests_on"].astype(str), strict=True)))
    frame["evidence_kind"] = [EVIDENCE_KINDS.get(works.get(rid, ""), NOT_A_WORK) for rid in frame["id"]]
    frame = frame[COLUMNS]
    frame["kind"] = pd.Categorical(frame["kind"], categories=list(KINDS))
    return frame.sort_values(["date_start", "date_end", "kind", "id"], kind="stable").reset_index(drop=True)


def _all() -> pd.DataFrame:
    return _load_all(data.state())


def _kinds(kind) -> list[str]:
    wanted = [kind] if isinstance(kind, str) else list(kind)
    out = []
    for k in wanted:
        key = _KIND_ALIASES.get(str(k).strip().lower())
        if key is None:
            raise YaluError(f"there is no kind of record called {k!r}; the kinds are: {', '.join(KINDS)}")
        out.append(key)
    return out


def phases() -> list[str]:
    """The phases of the story, in order (``background``, ``leaning``, ... ``historiography``)."""
    return list(_all()["phase"].cat.categories)


def filter_records(frame: pd.DataFrame, phase=None, actor=None, kind=None) -> pd.DataFrame:
    """The rows of ``frame`` in ``phase``, naming ``actor`` (a people id), of ``kind``.

    ``None`` means no filter. ``kind`` may be one kind or a list (``"event"``,
    ``"troop_movement"``, ``"soviet_air"``, ``"communication"``; table names work too).
    """
    keep = pd.Series(True, index=frame.index)
    if phase is not None:
        known = phases()
        if phase not in known:
            raise YaluError(f"there is no phase called {phase!r}; the phases are: {', '.join(known)}")
        keep &= frame["phase"] == phase
    if actor is not None:
        known = set(people_names()) | {a for acts in _all()["actors"] for a in acts}
        if actor not in known:
            raise YaluError(f"there is no actor with the id {actor!r}; use a people id such as "
                            f"{', '.join(sorted(known)[:6])} (see load('people'))")
        keep &= frame["actors"].map(lambda acts: actor in acts)
    if kind is not None:
        keep &= frame["kind"].isin(_kinds(kind))
    return frame[keep]


def select(frame: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """The rows of ``frame`` whose dates overlap ``start``..``end`` (days, both included).

    A record dated "August 1949" overlaps a range that includes any day of August 1949.
    """
    s, e = day_range(start, end)
    keep = pd.Series(True, index=frame.index)
    if s is not None:
        keep &= frame["date_end"] >= s
    if e is not None:
        keep &= frame["date_start"] <= e
    return frame[keep]


def merge(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per happening: of the rows that record one happening (``same_happening.csv``), the
    first present is kept, drawn over every day any of them may mean, naming everyone any of
    them names; its ``attestations`` list every row. A row that records a happening alone is kept."""
    linked = frame["happening"].notna()
    if not linked.any():
        return frame
    full = _all().set_index("id")
    keep = pd.Series(True, index=frame.index)
    seen: set[str] = set()
    rank = {rid: n for ids in _links(data.state()).values() for n, rid in enumerate(ids)}
    order = sorted(frame.index[linked], key=lambda i: rank.get(frame.at[i, "id"], 0))
    out = frame.copy()
    for i in order:
        hap = frame.at[i, "happening"]
        if hap in seen:
            keep[i] = False
            continue
        seen.add(hap)
        members = full.loc[[rid for rid in frame.at[i, "attestations"] if rid in full.index]]
        out.at[i, "date_start"] = members["date_start"].min()
        out.at[i, "date_end"] = members["date_end"].max()
        actors = list(frame.at[i, "actors"])
        out.at[i, "actors"] = actors + [a for acts in members["actors"] for a in acts if a not in actors]
    return out[keep]


def records(phase=None, actor=None, kind=None, start=None, end=None, merged: bool = True) -> pd.DataFrame:
    """All dated records of the collection, filtered (see :func:`filter_records`, :func:`select`).

    ``merged`` (the default) gives one row per happening (see :func:`merge`); ``merged=False`` every
    row of the tables."""
    frame = select(filter_records(_all(), phase=phase, actor=actor, kind=kind), start, end)
    return (merge(frame) if merged else frame).copy()


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def detail(record_id: str) -> dict:
    """What a reader needs to check one record: its full label, summary, the date as the paper words
    it and as EDTF, the citation (footnote text or outside source), and the paper's own words."""
    frame = _all()
    rows = frame[frame["id"] == record_id]
    if rows.empty:
        raise YaluError(f"there is no record with the id {record_id!r}; see records()['id']")
    r = rows.iloc[0]
    c = cite(r["source"], r["footnote"])
    attestations = []
    for rid in r["attestations"]:
        a = frame[frame["id"] == rid].iloc[0]
        ca = cite(a["source"], a["footnote"])
        attestations.append({"id": rid, "kind": KINDS[a["kind"]].plural.rstrip("s"), "label": a["label_full"],
                             "date_text": _text(a["date_text"]), "start": a["date_start"], "end": a["date_end"],
                             "citation": ca.full, "citation_short": ca.short, "url": ca.url, "context": ca.context,
                             "evidence": _text(a["evidence"])})
    return {
        "id": r["id"], "kind": KINDS[r["kind"]].plural.rstrip("s"), "label": r["label"],
        "label_full": r["label_full"],
        "summary": _text(r["summary"]), "date_text": _text(r["date_text"]), "edtf": r["date"],
        "start": r["date_start"], "end": r["date_end"], "phase": str(r["phase"]),
        "actors": [people_names().get(a, a) for a in r["actors"]], "place": _text(r["place"]),
        "footnote": None if pd.isna(r["footnote"]) else int(r["footnote"]),
        "citation": c.full, "citation_short": c.short, "url": c.url, "context": c.context,
        "evidence": _text(r["evidence"]), "quote": _text(r["quote"]), "source": r["source"],
        "attestations": attestations,
        "dates_differ": len({(a["start"], a["end"]) for a in attestations}) > 1,
    }
