"""Timelines of the collection's dated records: the one way the notebooks draw them.

Four tables hold dated records: ``events``, ``troop_movements``, ``soviet_air`` and
``communications``. This module puts them in one table and draws them.

Public API
----------
``records(phase=None, actor=None, kind=None, start=None, end=None)``
    All dated records as one DataFrame (one row per record, column ``kind`` says which
    table it came from), filtered; the filters are those of :func:`filter_records` and
    :func:`select`.
``filter_records(frame, phase=None, actor=None, kind=None)``
    Keep the rows of one phase, naming one actor, of one kind (or a list of kinds).
``select(frame, start=None, end=None)``
    Keep the rows whose dates overlap the range ``start``..``end`` (both days included).
``draw(frame, start=None, end=None, lanes="phase", title=None)``
    A matplotlib Figure of those records. Ranged or uncertain dates are bars, exact days
    points; one lane per phase (or actor, or kind); colour *and* marker shape *and* bar
    hatching say the kind of record. ``fig.yalu`` is a :class:`Drawing` describing what
    was drawn (items, lanes, labels, alt text) for tests and captions.
``picture(phase=None, actor=None, kind=None, start=None, end=None, lanes="phase")``
    A :class:`Picture`: the drawn timeline as deterministic PNG bytes with its alt text;
    in a notebook it shows as ``<img alt=...>``, so it survives where no kernel runs.
``october_calendar()``
    A :class:`Picture` of 1-19 October 1950, one column per day: the go / stop / wait
    steps of the decision to enter the war (see :data:`CALENDAR_STEPS`).
``explore(phase=None, actor=None, kind=None, start=None, end=None, lanes="phase")``
    Shows the static picture, then returns the interactive explorer
    (:class:`yalu.widget.Explorer`): date-range slider, filters, list, detail panel.
``detail(record_id)`` / ``detail_html(record_id)``
    What the explorer shows for one record: summary, the date as the paper words it and as
    EDTF, the footnote citation (or the context source), the verbatim evidence.
``png_bytes(fig)``
    Render a figure to PNG bytes the same way every time (fixed dpi, no metadata).

Bad input (an unknown phase, actor or kind, a range that ends before it starts) raises
:class:`yalu.YaluError` with a message saying what the valid values are.
"""
from __future__ import annotations

import html
import io
import re
import struct
import textwrap
import zlib
from dataclasses import dataclass, field
from functools import lru_cache

import matplotlib

matplotlib.use("Agg", force=False)  # headless-safe; yalu never needs a GUI backend
import matplotlib.dates as mdates  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import FancyBboxPatch, PathPatch, Rectangle  # noqa: E402
from matplotlib.path import Path  # noqa: E402

from yalu import data  # noqa: E402
from yalu.errors import YaluError  # noqa: E402
from yalu.figures import PALETTE, img_html  # noqa: E402

__all__ = [
    "KINDS", "OKABE_ITO", "CALENDAR_STEPS", "Drawing", "Item", "Label", "Picture",
    "records", "filter_records", "select", "draw", "picture", "october_calendar",
    "explore", "detail", "detail_html", "png_bytes", "legend_png", "people_names", "calendar_steps",
]

# Okabe & Ito (2008), "Color Universal Design": the collection's one palette (yalu.figures.PALETTE).
OKABE_ITO = PALETTE


@dataclass(frozen=True)
class Kind:
    """How one kind of record looks: colour, marker shape and bar hatching all differ."""
    name: str
    table: str
    plural: str
    color: str
    marker: str
    hatch: str


KINDS = {
    "event": Kind("event", "events", "events", OKABE_ITO["blue"], "o", ""),
    "troop_movement": Kind("troop_movement", "troop_movements", "troop movements", OKABE_ITO["vermillion"], "^", "////"),
    "soviet_air": Kind("soviet_air", "soviet_air", "Soviet air records", OKABE_ITO["bluish_green"], "D", "xxx"),
    "communication": Kind("communication", "communications", "communications", OKABE_ITO["reddish_purple"], "s", "...."),
}
_KIND_ALIASES = {k: k for k in KINDS} | {v.table: k for k, v in KINDS.items()} | {
    "events": "event", "troops": "troop_movement", "air": "soviet_air", "communications": "communication"}

LANE_BY = ("phase", "actor", "kind")
DPI = 100
WIDTH_IN = 10.0
FONT_SIZE = 8.0
LABEL_CHARS = 34
MAX_ROWS = 8  # sub-rows per lane
WIDGET_LABELS = 24  # the explorer labels at most this many records per redraw (speed)
_RC = {"font.size": FONT_SIZE, "font.family": "DejaVu Sans", "axes.unicode_minus": False,
       "hatch.linewidth": 0.8, "path.simplify": True}
COLUMNS = ["id", "kind", "date", "date_start", "date_end", "date_text", "phase", "label", "summary",
           "actors", "footnote", "source", "evidence", "quote"]


# ----------------------------------------------------------------------------- loading

@lru_cache(maxsize=4)
def _load_all(folder: str) -> pd.DataFrame:
    names = people_names()
    available = data.tables()
    parts = []
    for kind in KINDS.values():
        if kind.table not in available:
            continue
        t = data.load(kind.table)
        part = pd.DataFrame({c: t[c] for c in ("id", "date", "date_start", "date_end", "date_text", "phase")})
        part["kind"] = kind.name
        part["summary"] = t["summary"] if "summary" in t else None
        part["footnote"] = t["footnote"] if "footnote" in t else pd.array([None] * len(t), dtype="Int64")
        part["source"] = t["source"]
        part["evidence"] = t["evidence"] if "evidence" in t else None
        part["quote"] = t["quote"] if "quote" in t else None
        part["label"] = [_label(kind.name, row, names) for row in t.to_dict("records")]
        part["actors"] = [_actors(kind.name, row) for row in t.to_dict("records")]
        parts.append(part)
    if not parts:
        raise YaluError("the data package has none of the dated tables (events, troop_movements, soviet_air, communications)")
    phases = parts[0]["phase"].cat.categories
    for p in parts:
        p["phase"] = pd.Categorical(p["phase"].astype(object), categories=phases)
    frame = pd.concat(parts, ignore_index=True)[COLUMNS]
    frame["kind"] = pd.Categorical(frame["kind"], categories=list(KINDS))
    frame = frame.sort_values(["date_start", "date_end", "kind", "id"], kind="stable").reset_index(drop=True)
    return frame


def _all() -> pd.DataFrame:
    return _load_all(str(data.data_dir()))


@lru_cache(maxsize=4)
def _people(folder: str) -> dict[str, str]:
    if "people" not in data.tables():
        return {}
    p = data.load("people")
    return dict(zip(p["id"], p["name"]))


def people_names() -> dict[str, str]:
    """People (and bodies) by id: ``{'mao_zedong': 'Mao Zedong', ...}``."""
    return _people(str(data.data_dir()))


@lru_cache(maxsize=4)
def _short_names(folder: str) -> dict[str, str]:
    """Short names for labels: a Chinese or Korean person's family name comes first (Mao, Zhou,
    Kim), others' last (Stalin); bodies keep their full name."""
    if "people" not in data.tables():
        return {}
    out = {}
    for row in data.load("people").to_dict("records"):
        name = re.sub(r"\s*\(.*?\)", "", str(row.get("name") or row["id"])).strip() or row["id"]
        if row.get("kind") == "body" or " " not in name:
            out[row["id"]] = name
        elif row.get("side") in ("chinese", "korean", "prc", "ccp", "north_korean", "dprk"):
            out[row["id"]] = name.split()[0]
        else:
            out[row["id"]] = name.split()[-1]
    return out


def _name(pid, names) -> str:
    return names.get(pid, str(pid).replace("_", " ").title())


def _clip(text: str, n: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _label(kind: str, row: dict, names: dict) -> str:
    if kind == "event":
        return _clip(row.get("title") or row.get("summary") or row["id"])
    if kind == "troop_movement":
        action = str(row.get("action") or "").replace("_", " ")
        return _clip(f"{row.get('unit') or 'troops'}: {action}".rstrip(": "))
    if kind == "soviet_air":
        status = row.get("status")
        return _clip(f"{row.get('item') or 'Soviet air'}" + (f" ({status})" if isinstance(status, str) else ""))
    senders, recipients = _ids(row.get("sender")), _ids(row.get("recipients"))
    short = _short_names(str(data.data_dir()))
    who = ", ".join(short.get(p, _name(p, names)) for p in senders) or "?"
    to = ", ".join(short.get(r, _name(r, names)) for r in recipients)
    return _clip(f"{who} to {to} ({row.get('kind') or 'message'})" if to else f"{who} ({row.get('kind') or 'message'})")


def _ids(value) -> list[str]:
    """People ids from a cell that is a list, one id, or empty."""
    if value is None or (not isinstance(value, (list, tuple, str)) and pd.isna(value)):
        return []
    return [v for v in ([value] if isinstance(value, str) else list(value)) if v]


def _actors(kind: str, row: dict) -> list[str]:
    if kind == "communication":
        out = _ids(row.get("sender"))
        return out + [r for r in _ids(row.get("recipients")) if r not in out]
    return _ids(row.get("actors"))


# ----------------------------------------------------------------------------- selection

def _day(value, what: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise YaluError(f"{what} {value!r} is not a date; write it like '1950-10-19'") from None
    if pd.isna(ts):
        raise YaluError(f"{what} is empty; write it like '1950-10-19'")
    return ts.normalize()


def _kinds(kind) -> list[str]:
    wanted = [kind] if isinstance(kind, str) else list(kind)
    out = []
    for k in wanted:
        key = _KIND_ALIASES.get(str(k).strip().lower())
        if key is None:
            raise YaluError(f"there is no kind of record called {k!r}; the kinds are: {', '.join(KINDS)}")
        out.append(key)
    return out


def filter_records(frame: pd.DataFrame, phase=None, actor=None, kind=None) -> pd.DataFrame:
    """The rows of ``frame`` in ``phase``, naming ``actor`` (a people id), of ``kind``.

    ``None`` means no filter. ``kind`` may be one kind or a list (``"event"``,
    ``"troop_movement"``, ``"soviet_air"``, ``"communication"``; table names work too).
    """
    keep = pd.Series(True, index=frame.index)
    if phase is not None:
        phases = list(frame["phase"].cat.categories) if hasattr(frame["phase"], "cat") else sorted(set(frame["phase"]))
        if phase not in phases:
            raise YaluError(f"there is no phase called {phase!r}; the phases are: {', '.join(phases)}")
        keep &= frame["phase"] == phase
    if actor is not None:
        known = set(people_names()) | {a for acts in _all()["actors"] for a in acts}
        if actor not in known:
            raise YaluError(f"there is no actor with the id {actor!r}; use a people id such as "
                            f"{', '.join(sorted(known)[:6])} (see yalu.data.load('people'))")
        keep &= frame["actors"].map(lambda acts: actor in acts)
    if kind is not None:
        keep &= frame["kind"].isin(_kinds(kind))
    return frame[keep]


def select(frame: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """The rows of ``frame`` whose dates overlap ``start``..``end`` (days, both included).

    A record dated "August 1949" overlaps a range that includes any day of August 1949.
    """
    s, e = _day(start, "the start date"), _day(end, "the end date")
    if s is not None and e is not None and e < s:
        raise YaluError(f"the range ends ({_fmt(e)}) before it starts ({_fmt(s)}); swap the two dates")
    keep = pd.Series(True, index=frame.index)
    if s is not None:
        keep &= frame["date_end"] >= s
    if e is not None:
        keep &= frame["date_start"] <= e
    return frame[keep]


def records(phase=None, actor=None, kind=None, start=None, end=None) -> pd.DataFrame:
    """All dated records of the collection, filtered (see :func:`filter_records`, :func:`select`)."""
    return select(filter_records(_all(), phase=phase, actor=actor, kind=kind), start, end)


def _fmt(ts: pd.Timestamp) -> str:
    return f"{ts.day} {ts:%B %Y}"


def span_text(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A record's dates in a few characters, keeping a vague date a range.

    ``1950-10-14`` -> "14 Oct 1950"; all of October 1950 -> "Oct 1950"; all of 1949 -> "1949";
    July to October 1949 -> "Jul 1949 - Oct 1949"; otherwise "30 Jan 1949 - 7 Feb 1949".
    """
    def month_start(d):
        return d.day == 1

    def month_end(d):
        return (d + pd.Timedelta(days=1)).day == 1

    if start == end:
        return f"{start.day} {start:%b %Y}"
    if month_start(start) and month_end(end):
        if start.month == 1 and end.month == 12:
            return f"{start.year}" if start.year == end.year else f"{start.year} - {end.year}"
        if (start.year, start.month) == (end.year, end.month):
            return f"{start:%b %Y}"
        return f"{start:%b %Y} - {end:%b %Y}"
    return f"{start.day} {start:%b %Y} - {end.day} {end:%b %Y}"


# ----------------------------------------------------------------------------- drawing

@dataclass
class Item:
    """One drawn mark: a record in one lane, as a bar (ranged/uncertain date) or a point (exact day)."""
    id: str
    kind: str
    lane: str
    row: int
    start: pd.Timestamp
    end: pd.Timestamp
    shape: str  # "bar" or "point"
    color: str
    marker: str
    hatch: str


@dataclass
class Label:
    """One drawn label; ``artist`` is the matplotlib Text (for measuring its extent)."""
    id: str
    text: str
    artist: object = field(repr=False)


@dataclass
class Drawing:
    """What a figure shows, attached to it as ``fig.yalu``."""
    what: str
    start: pd.Timestamp
    end: pd.Timestamp
    lane_by: str
    lanes: list[str]
    items: list[Item]
    labels: list[Label]
    counts: dict[str, int]
    alt_text: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def record_ids(self) -> list[str]:
        return list(dict.fromkeys(i.id for i in self.items))


def _lanes_for(frame: pd.DataFrame, lanes: str, names: dict) -> list[tuple[str, str, list[int]]]:
    """[(lane key, lane title, [row positions in frame])] in display order."""
    if lanes == "phase":
        values = frame["phase"].tolist()
        out = [(p, p, [i for i, v in enumerate(values) if v == p]) for p in frame["phase"].cat.categories]
        return [lane for lane in out if lane[2]]
    if lanes == "kind":
        values = frame["kind"].tolist()
        out = [(k, KINDS[k].plural, [i for i, v in enumerate(values) if v == k]) for k in KINDS]
        return [lane for lane in out if lane[2]]
    actors = frame["actors"].tolist()
    counts: dict[str, int] = {}
    for acts in actors:
        for a in acts:
            counts[a] = counts.get(a, 0) + 1
    order = sorted(counts, key=lambda a: (-counts[a], a))
    out = [(a, _clip(_name(a, names), 18), [i for i, acts in enumerate(actors) if a in acts]) for a in order]
    none = [i for i, acts in enumerate(actors) if not acts]
    if none:
        out.append(("(none)", "(no actor named)", none))
    return out


@lru_cache(maxsize=4096)
def _label_width(text: str) -> float:
    """Width in pixels of a label at FONT_SIZE and DPI, as Agg will draw it (for packing)."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer = _measuring_renderer()
    w, _, _ = renderer.get_text_width_height_descent(text, FontProperties(family="DejaVu Sans", size=FONT_SIZE),
                                                     ismath=False)
    return w


@lru_cache(maxsize=1)
def _label_height() -> float:
    """Height in pixels of a one-line label's extent (the same for every label of FONT_SIZE)."""
    fig = _new_figure(2, 1)
    t = fig.text(0, 0, "Ag", fontsize=FONT_SIZE, parse_math=False)
    return t.get_window_extent(fig.canvas.get_renderer()).height


@lru_cache(maxsize=1)
def _measuring_renderer():
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(10, 10, DPI)


def _new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


MAX_TICKS = 9  # date ticks on the time axis, at most


def _daynums(values) -> np.ndarray:
    """Matplotlib date numbers of whole days (a datetime64 column), as ``mdates.date2num`` gives them."""
    days = np.asarray(values, dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)
    return days + _epoch_offset()


@lru_cache(maxsize=1)
def _epoch_offset() -> float:
    return float(mdates.date2num(pd.Timestamp("1970-01-01")))


def _date_ticks(s: pd.Timestamp, e: pd.Timestamp) -> tuple[list[float], list[str]]:
    """At most MAX_TICKS date ticks between ``s`` and the end of day ``e``, labelled concisely:
    the year on 1 January, the month on the 1st, else the day (or the year, for long ranges)."""
    stop = e + pd.Timedelta(days=1)
    span = (stop - s).days
    candidates = []
    for step in (1, 2, 3, 4, 5, 7, 10):  # days of the month: 1, 1+step, ... (restarting each month)
        if span / step <= MAX_TICKS + 2:
            candidates.append(("day", step))
    for step in (1, 2, 3, 6):
        candidates.append(("month", step))
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        candidates.append(("year", step))
    ticks: list[pd.Timestamp] = []
    for unit, step in candidates:
        ticks = []
        if unit == "day":
            d = s
            while d <= stop:
                if (d.day - 1) % step == 0 and d.day + step <= d.days_in_month + 1:  # none just before a 1st
                    ticks.append(d)
                d += pd.Timedelta(days=1)
        elif unit == "month":
            m = (s.year * 12 + s.month - 1) + (0 if s.day == 1 else 1)
            m += (-m) % step
            while True:
                d = pd.Timestamp(year=m // 12, month=m % 12 + 1, day=1)
                if d > stop:
                    break
                ticks.append(d)
                m += step
        else:
            y = s.year + (0 if (s.month, s.day) == (1, 1) else 1)
            y += (-y) % step
            while (d := pd.Timestamp(year=y, month=1, day=1)) <= stop:
                ticks.append(d)
                y += step
        if len(ticks) <= MAX_TICKS:
            break
    labels = []
    for d in ticks:
        if unit == "year" or (d.day, d.month) == (1, 1):
            labels.append(f"{d.year}")
        elif d.day == 1:
            labels.append(f"{d:%b}")
        else:
            labels.append(f"{d.day}")
    return [float(x) for x in _daynums([t.to_datetime64() for t in ticks])] if ticks else [], labels


class _Reused:
    """One Figure and Axes that the explorer redraws in place on every slider move.

    Only the marks, the lanes and the labels are replaced; the canvas keeps one renderer
    per figure size (so text measurements are cached) and the axes keep their ticks. What is
    drawn, and hence the PNG bytes, depends only on the state drawn, not on earlier states.
    """

    def __init__(self):
        self.figure = Figure(figsize=(WIDTH_IN, 1.0), dpi=DPI)
        _ReusingCanvas(self.figure)
        with matplotlib.rc_context(_RC):
            self.axes = self.figure.add_axes((0.1, 0.1, 0.8, 0.8))
            _style_axes(self.axes)
        self._labels: list = []  # label Texts, kept in the axes and reused in this order
        self._used = 0

    def prepare(self, height: float, rect: tuple) -> tuple[Figure, object]:
        fig, ax = self.figure, self.axes
        pool = {id(t) for t in self._labels}
        for artist in [*ax.collections, *ax.lines, *ax.patches, *ax.texts, *fig.texts, *fig.legends]:
            if id(artist) in pool:
                artist.set_visible(False)
            else:
                artist.remove()
        self._used = 0
        if fig.get_figheight() != height:
            fig.set_size_inches(WIDTH_IN, height, forward=False)
        ax.set_position(rect)
        return fig, ax

    def label_text(self, x: float, y: float, text: str):
        """The next label Text of the pool, showing ``text`` at ``x``, ``y`` (made on first use)."""
        if self._used == len(self._labels):
            self._labels.append(self.axes.text(x, y, text, **_LABEL_STYLE))
        t = self._labels[self._used]
        self._used += 1
        t.set_position((x, y))
        t.set_text(text)
        t.set_bbox(None)
        t.set_visible(True)
        return t


class _TextCachingRenderer(RendererAgg):
    """Agg, drawing each horizontal text as one cached image of its glyphs.

    A text is rasterised once (glyph by glyph, as Agg does) into a small coverage image, kept
    by its string and font, and then blended into the picture in one step wherever it is drawn,
    at the nearest whole pixel. The explorer draws mostly the same labels, ticks and lane names
    move after move, so most texts cost one blend instead of a layout and a rendering of every
    glyph. A given text always gives the same image, so a state's PNG bytes stay the same.
    """

    _cache: dict = {}  # shared by all: (text, font, ...) -> (coverage image, x offset, baseline offset)
    _CACHE_MAX = 4096

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath or angle % 360 != 0 or not s:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        features = tuple(mtext.get_fontfeatures() or ()) if mtext is not None else ()
        language = mtext.get_language() if mtext is not None else None
        key = (s, prop.copy(), features, language, bool(gc.get_antialiased()), self.dpi,
               matplotlib.rcParams["text.hinting"], matplotlib.rcParams["text.hinting_factor"])
        hit = self._cache.get(key)
        if hit is None:
            hit = self._rasterise(gc, s, prop, mtext)
            if len(self._cache) >= self._CACHE_MAX:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = hit
        image, ox, oy = hit
        if image is None:
            return
        xi, yi = int(round(x)), int(round(y))
        self._renderer.draw_text_image(image, xi - ox, yi - oy + image.shape[0], 0, gc)

    _metrics: dict = {}  # shared by all: (text, font, ismath, dpi, hinting) -> (width, height, descent)

    def get_text_width_height_descent(self, s, prop, ismath):
        key = (s, prop.copy(), ismath, self.dpi, matplotlib.rcParams["text.hinting"],
               matplotlib.rcParams["text.hinting_factor"])
        found = self._metrics.get(key)
        if found is None:
            found = super().get_text_width_height_descent(s, prop, ismath)
            if len(self._metrics) >= self._CACHE_MAX:
                self._metrics.pop(next(iter(self._metrics)))
            self._metrics[key] = found
        return found

    def _rasterise(self, gc, s, prop, mtext):
        w, h, d = self.get_text_width_height_descent(s, prop, False)
        pad = int(np.ceil(prop.get_size_in_points() * self.dpi / 72.0)) + 2
        width, height = int(np.ceil(w)) + 2 * pad, int(np.ceil(h)) + 2 * pad
        ox, oy = pad, pad + int(np.ceil(h - d))  # the baseline's start in the small image
        off = RendererAgg(width, height, self.dpi)
        gc1 = off.new_gc()
        gc1.set_antialiased(gc.get_antialiased())
        gc1.set_foreground((0.0, 0.0, 0.0, 1.0))
        off.draw_text(gc1, ox, oy, s, prop, 0, ismath=False, mtext=mtext)
        gc1.restore()
        coverage = np.asarray(off.buffer_rgba())[:, :, 3]
        rows, cols = np.nonzero(coverage)
        if not len(rows):
            return None, 0, 0
        r0, r1, c0, c1 = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
        image = np.ascontiguousarray(coverage[r0:r1, c0:c1])
        return image, ox - c0, oy - r0


class _ReusingCanvas(FigureCanvasAgg):
    """An Agg canvas that keeps a renderer per figure size (a few), instead of only the last one,
    and caches the images of its texts (:class:`_TextCachingRenderer`)."""

    def __init__(self, figure):
        super().__init__(figure)
        self._renderers: dict = {}

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if key not in self._renderers:
            if len(self._renderers) >= 8:
                self._renderers.pop(next(iter(self._renderers)))
            self._renderers[key] = _TextCachingRenderer(w, h, self.figure.dpi)
        self.renderer = self._renderers[key]
        self._lastKey = key
        return self.renderer


def _style_axes(ax) -> None:
    ax.tick_params(axis="y", length=0)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def draw(frame: pd.DataFrame, start=None, end=None, lanes: str = "phase", title: str | None = None,
         legend: bool = True, max_labels: int | None = None) -> Figure:
    """Draw ``frame`` (rows of :func:`records`) as a timeline; return the Figure (``fig.yalu`` describes it)."""
    return _draw_into(None, frame, start, end, lanes, title, legend, max_labels)


def _draw_into(into: _Reused | None, frame: pd.DataFrame, start=None, end=None, lanes: str = "phase",
               title: str | None = None, legend: bool = True, max_labels: int | None = None) -> Figure:
    """:func:`draw`, into the reused figure ``into`` when one is given (the explorer's), else a new one."""
    if lanes not in LANE_BY:
        raise YaluError(f"lanes must be one of {', '.join(LANE_BY)}, not {lanes!r}")
    s, e = _day(start, "the start date"), _day(end, "the end date")
    if s is not None and e is not None and e < s:
        raise YaluError(f"the range ends ({_fmt(e)}) before it starts ({_fmt(s)}); swap the two dates")
    frame = select(frame, s, e).reset_index(drop=True)
    with matplotlib.rc_context(_RC):
        return _draw(frame, s, e, lanes, title, legend, max_labels, into)


def _draw(frame, s, e, lanes, title, legend=True, max_labels=None, into=None) -> Figure:
    names = people_names()
    if s is None:
        s = frame["date_start"].min() if len(frame) else pd.Timestamp("1949-01-01")
    if e is None:
        e = frame["date_end"].max() if len(frame) else pd.Timestamp("1950-12-31")
    span_days = max((e - s).days + 1, 1)
    lane_rows = _lanes_for(frame, lanes, names) if len(frame) else []

    # Fixed margins in inches, so the axes (and hence every position) depends only on the row count.
    left, right, top, bottom = 1.45, 0.2, (0.75 if legend else 0.4), 0.45
    ax_w_px = (WIDTH_IN - left - right) * DPI
    px_per_day = ax_w_px / span_days

    # Per record, once: date numbers of the first day and of the last day, the label and its width.
    sd, ed = float(_daynums([s.to_datetime64()])[0]), float(_daynums([e.to_datetime64()])[0])
    d0 = _daynums(frame["date_start"].to_numpy()).tolist()
    d1 = _daynums(frame["date_end"].to_numpy()).tolist()
    texts = frame["label"].tolist()

    # Pack the records of each lane into at most MAX_ROWS sub-rows, keeping room for each
    # label where possible (right of the mark, else left); when a lane is full, a mark
    # goes in the sub-row that frees up first (marks may then touch, labels never do).
    items_spec = []  # (lane_key, sub-row, frame row)
    lane_spans = []
    row = 0
    for key, title_, members in lane_rows:
        ends: list[float] = []
        for i in members:
            a = max((max(d0[i], sd) - sd) * px_per_day, 0)
            b = (min(d1[i], ed) + 1 - sd) * px_per_day
            if d0[i] == d1[i]:
                a, b = a + px_per_day / 2 - 6, a + px_per_day / 2 + 6
            lw = _label_width(texts[i]) + 8
            with_label = (a, b + lw) if b + lw <= ax_w_px else (a - lw, b)
            k = next((k for k, last in enumerate(ends) if with_label[0] >= last), None)
            if k is None and len(ends) < MAX_ROWS:
                ends.append(float("-inf"))
                k = len(ends) - 1
            if k is not None:
                ends[k] = with_label[1]
            else:
                k = next((k for k, last in enumerate(ends) if a >= last), None)
                if k is None:
                    k = min(range(len(ends)), key=lambda j: ends[j])
                ends[k] = max(ends[k], b)
            items_spec.append((key, row + k, i))
        n = max(len(ends), 1)
        lane_spans.append((key, title_, row, row + n - 1))
        row += n
    n_rows = max(row, 1)
    row_in = 0.3
    height = top + bottom + n_rows * row_in + 0.1
    rect = (left / WIDTH_IN, bottom / height, 1 - (left + right) / WIDTH_IN, (n_rows * row_in + 0.1) / height)
    if into is None:
        fig = _new_figure(WIDTH_IN, height)
        ax = fig.add_axes(rect)
        _style_axes(ax)
    else:
        fig, ax = into.prepare(height, rect)
    ax.set_xlim(sd, ed + 1)
    ax.set_ylim(n_rows - 0.5 + 0.15, -0.5 - 0.15)
    ax.set_xticks(*_date_ticks(s, e))

    # Lanes: banded background, separator lines and a name on the left.
    ticks, tick_labels = [], []
    for j, (key, title_, r0, r1) in enumerate(lane_spans):
        if j % 2 == 0:
            ax.axhspan(r0 - 0.5, r1 + 0.5, color="#EEEEEE", zorder=0, lw=0)
        ax.axhline(r1 + 0.5, color="#999999", lw=0.6, zorder=1)
        ticks.append((r0 + r1) / 2)
        tick_labels.append(title_)
    ax.set_yticks(ticks, tick_labels)

    from matplotlib.collections import PatchCollection

    kinds = frame["kind"].tolist()
    ids = frame["id"].tolist()
    starts, stops = frame["date_start"].tolist(), frame["date_end"].tolist()
    items: list[Item] = []
    spans = []  # (x0, x1) in date numbers of each item's mark
    by_kind: dict[str, dict[str, list]] = {k: {"px": [], "py": [], "bx": [], "by": [], "bars": []} for k in KINDS}
    for key, sub, i in items_spec:
        kind = KINDS[kinds[i]]
        g = by_kind[kind.name]
        is_bar = d0[i] != d1[i]
        if is_bar:
            x0 = max(d0[i], sd)
            x1 = min(d1[i], ed) + 1
            g["bars"].append((x0, sub - 0.22, x1, sub + 0.22))
            g["bx"].append(x0)
            g["by"].append(sub)
            spans.append((d0[i], d1[i] + 1))
        else:
            g["px"].append(d0[i] + 0.5)
            g["py"].append(sub)
            spans.append((d0[i], d0[i] + 0.5))
        items.append(Item(ids[i], kind.name, key, sub, starts[i], stops[i],
                          "bar" if is_bar else "point", kind.color, kind.marker, kind.hatch))
    for name, g in by_kind.items():
        kind = KINDS[name]
        if g["bars"]:
            # Agg renders a hatch pattern once per path, so the bars of a kind that neither overlap
            # nor touch are drawn as one compound path (the same picture, a fraction of the time).
            ax.add_collection(PatchCollection(_compound_bars(g["bars"], 2 / px_per_day), facecolor=kind.color,
                                              alpha=0.45, edgecolor=kind.color, hatch=kind.hatch, linewidth=1.0,
                                              zorder=2), autolim=False)
            ax.plot(g["bx"], g["by"], ls="", marker=kind.marker, color=kind.color, ms=5, mec="black", mew=0.5, zorder=3)
        if g["px"]:
            ax.plot(g["px"], g["py"], ls="", marker=kind.marker, color=kind.color, ms=7, mec="black", mew=0.6, zorder=3)

    labels = _place_labels(fig, ax, texts, items, items_spec, spans, max_labels,
                           None if into is None else into.label_text)

    if legend:
        _legend(fig, left / WIDTH_IN, 1 - 0.3 / height, [k for k in KINDS if any(it.kind == k for it in items)])
    heading = title or f"Records, {_fmt(s)} to {_fmt(e)}"
    fig.text(left / WIDTH_IN, 1 - 0.08 / height, heading, ha="left", va="top", fontsize=FONT_SIZE + 2, weight="bold")
    if not len(frame):
        ax.text(0.5, 0.5, "No records in this range", transform=ax.transAxes, ha="center", va="center",
                fontsize=FONT_SIZE + 2)
        ax.set_yticks([])

    counts = dict.fromkeys(KINDS, 0)
    for k in kinds:
        counts[k] += 1
    drawing = Drawing("timeline", s, e, lanes, [t for _, t, _, _ in lane_spans], items, labels, counts)
    drawing.alt_text = _alt_text(drawing, frame)
    fig.yalu = drawing
    return fig


def _compound_bars(bars: list[tuple], gap: float) -> list[PathPatch]:
    """The bars ``(x0, y0, x1, y1)`` as few compound paths as possible, none holding two bars that
    overlap or come closer than ``gap`` (data units): drawn together they look as if drawn apart."""
    groups: list[list[tuple]] = []
    for bar in bars:
        x0, y0, x1, y1 = bar
        for group in groups:
            if all(x1 + gap <= b[0] or b[2] + gap <= x0 or y1 <= b[1] or b[3] <= y0 for b in group):
                group.append(bar)
                break
        else:
            groups.append([bar])
    codes = [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY]
    return [PathPatch(Path([(x, y) for x0, y0, x1, y1 in group
                            for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))],
                           codes * len(group))) for group in groups]


def _legend(fig, x, y, kinds) -> None:
    """Kind = colour + marker + hatch; and what bars and points mean."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = []
    for k in kinds or list(KINDS):
        kd = KINDS[k]
        handles.append(Line2D([], [], marker=kd.marker, color=kd.color, mec="black", mew=0.6, ls="", ms=7,
                              label=kd.plural))
    handles.append(Patch(facecolor="#BBBBBB", edgecolor="#555555", label="bar = ranged or uncertain date"))
    handles.append(Line2D([], [], marker="o", color="#555555", ls="", ms=5, label="point = exact day"))
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(x, y), ncol=min(len(handles), 6), frameon=False,
               fontsize=FONT_SIZE, handletextpad=0.3, columnspacing=1.0)


def legend_png() -> bytes:
    """The legend of every kind of record on its own, as PNG bytes (the explorer shows it once)."""
    with matplotlib.rc_context(_RC):
        fig = _new_figure(WIDTH_IN, 0.35)
        _legend(fig, 1.45 / WIDTH_IN, 0.95, list(KINDS))
        return png_bytes(fig)


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


_LABEL_STYLE = {"fontsize": FONT_SIZE, "va": "center", "ha": "left", "zorder": 4, "clip_on": False,
                "parse_math": False}


def _place_labels(fig, ax, texts, items, items_spec, spans, max_labels=None, new_text=None) -> list[Label]:
    """Label as many marks as fit (at most ``max_labels``, events first): right of the mark, else
    left, else inside its bar; never over another label or mark. ``new_text(x, y, text)``, if
    given, makes each label's Text (the explorer reuses them), else ``ax.text`` does."""
    trans = ax.transData
    axbox = ax.bbox.extents
    h = _label_height()
    if items:
        corners = np.array([[(x0, it.row - 0.25), (x1, it.row + 0.25)] for it, (x0, x1) in zip(items, spans)])
        px = trans.transform(corners.reshape(-1, 2)).reshape(-1, 2, 2)
        a, b, c, d = px[:, 0, 0], px[:, 0, 1], px[:, 1, 0], px[:, 1, 1]
        point = np.array([it.shape == "point" for it in items])
        a, c = np.where(point, c - 5, a), np.where(point, c + 5, c)
        marks = np.stack([np.minimum(a, c), np.minimum(b, d), np.maximum(a, c), np.maximum(b, d)], axis=1)
        rows_y = trans.transform(np.array([(0.0, it.row) for it in items]))[:, 1]
    else:
        marks, rows_y = np.zeros((0, 4)), np.zeros(0)
    mark_list = marks.tolist()
    placed = np.zeros((0, 4))
    labels: list[Label] = []
    seen: set[str] = set()
    inv = trans.inverted()
    order = list(range(len(items)))
    if max_labels is not None:
        rank = {k: j for j, k in enumerate(KINDS)}
        order.sort(key=lambda n: rank[items[n].kind])

    def free(box, n) -> bool:
        if len(placed) and np.any((box[0] < placed[:, 2]) & (placed[:, 0] < box[2])
                                  & (box[1] < placed[:, 3]) & (placed[:, 1] < box[3])):
            return False
        hit = (box[0] < marks[:, 2]) & (marks[:, 0] < box[2]) & (box[1] < marks[:, 3]) & (marks[:, 1] < box[3])
        hit[n] = False
        return not hit.any()

    for n in order:
        it, (_, _, i) = items[n], items_spec[n]
        if max_labels is not None and len(labels) >= max_labels:
            break
        if it.id in seen:  # in actor lanes a record may appear twice; label it once
            continue
        text = texts[i]
        mark = mark_list[n]
        w = _label_width(text)
        yc = float(rows_y[n])
        for side in ("right", "left", "inside"):
            if side == "right":
                box = (mark[2] + 3, yc - h / 2, mark[2] + 3 + w, yc + h / 2)
            elif side == "left":
                box = (mark[0] - 3 - w, yc - h / 2, mark[0] - 3, yc + h / 2)
            elif it.shape == "bar" and max(mark[0], axbox[0]) + 12 + w < min(mark[2], axbox[2]):
                x0 = max(mark[0], axbox[0]) + 12
                box = (x0, yc - h / 2, x0 + w, yc + h / 2)
            else:
                continue
            if box[0] < axbox[0] or box[2] > axbox[2]:
                continue
            if not free(box, n):
                continue
            x = inv.transform((box[0], yc))[0]
            t = ax.text(x, it.row, text, **_LABEL_STYLE) if new_text is None else new_text(x, it.row, text)
            if side == "inside":
                t.set_bbox({"facecolor": "white", "alpha": 0.85, "pad": 1.0, "linewidth": 0})
            placed = np.vstack([placed, box])
            labels.append(Label(it.id, text, t))
            seen.add(it.id)
            break
    return labels


def _text_size(t, renderer) -> tuple[float, float]:
    bb = t.get_window_extent(renderer)
    return bb.width, bb.height


def _alt_text(d: Drawing, frame: pd.DataFrame) -> str:
    if not len(frame):
        return f"Timeline from {_fmt(d.start)} to {_fmt(d.end)}: no records in this range."
    n = len(frame)
    kinds = ", ".join(f"{c} {KINDS[k].plural if c != 1 else KINDS[k].plural.rstrip('s')}"
                      for k, c in d.counts.items() if c)
    bars = sum(1 for i in d.items if i.shape == "bar")
    points = sum(1 for i in d.items if i.shape == "point")
    lanes = "; ".join(d.lanes)
    labelled = len(d.labels)
    return (f"Timeline of {n} record{'s' if n != 1 else ''} from {_fmt(d.start)} to {_fmt(d.end)}: {kinds}. "
            f"{len(d.lanes)} lane{'s' if len(d.lanes) != 1 else ''} by {d.lane_by} ({lanes}). "
            f"{bars} drawn as bars (ranged or uncertain dates), {points} as points (exact days); "
            f"{labelled} labelled. Each kind has its own colour and marker shape.")


def _render(fig: Figure, dpi: int) -> None:
    """Draw ``fig`` on an Agg canvas at ``dpi``, with the collection's rc settings."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    with matplotlib.rc_context(_RC):
        fig.canvas.draw()


def png_bytes(fig: Figure, dpi: float = DPI, compress_level: int = 6) -> bytes:
    """PNG bytes of ``fig``, identical for identical figures (fixed dpi, no Software/date metadata).

    The figure is drawn once by Agg and its pixels encoded by Pillow with no text chunks, so
    the bytes depend only on what is drawn.
    """
    from PIL import Image

    _render(fig, dpi)
    buf = io.BytesIO()
    Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba(), "raw", "RGBA", 0, 1) \
        .convert("RGB").save(buf, format="PNG", compress_level=compress_level)
    return buf.getvalue()


def _quick_png_bytes(fig: Figure) -> bytes:
    """PNG bytes of ``fig`` drawn as :func:`png_bytes` draws it, encoded for speed (the explorer's
    redraws): RGB rows without PNG filters, deflated by zlib at level 1, no metadata chunks. About
    as small as ``png_bytes(fig, compress_level=1)`` for these mostly flat pictures, and faster,
    as Pillow spends most of its time choosing a filter for each row. Deterministic likewise."""
    _render(fig, DPI)
    rgba = np.asarray(fig.canvas.buffer_rgba())
    height, width = rgba.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # each row: filter type 0 (none), then RGB
    rows[:, 1:].reshape(height, width, 3)[:] = rgba[:, :, :3]

    def chunk(tag: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


class Picture:
    """A drawn figure as PNG bytes plus alt text; shows in a notebook as ``<img alt=...>``."""

    def __init__(self, fig: Figure):
        self.figure = fig
        self.drawing: Drawing = fig.yalu
        self.alt_text = self.drawing.alt_text
        self.png = png_bytes(fig)

    def html(self) -> str:
        return img_html(self.png, self.alt_text, width=int(self.figure.get_figwidth() * DPI))

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.html(), "text/plain": self.alt_text}

    def __repr__(self) -> str:
        return self.alt_text


def picture(phase=None, actor=None, kind=None, start=None, end=None, lanes="phase", title=None) -> Picture:
    """The timeline of the filtered records as a static :class:`Picture` (PNG + alt text)."""
    frame = records(phase=phase, actor=actor, kind=kind)
    return Picture(draw(frame, start, end, lanes=lanes, title=title))


def explore(phase=None, actor=None, kind=None, start=None, end=None, lanes="phase", static=True):
    """Show the static timeline (for readers without a kernel), then return the interactive explorer.

    ``phase``, ``actor`` and ``kind`` set the starting filters; ``start``/``end`` the starting
    range (by default the span of the records the filters keep).
    """
    from yalu.widget import Explorer

    explorer = Explorer(phase=phase, actor=actor, kind=kind, start=start, end=end, lanes=lanes)
    if static:
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:  # pragma: no cover - plain Python
            return explorer
        if get_ipython() is not None:
            display(explorer.static_picture())
    return explorer


# ----------------------------------------------------------------------------- record detail

def detail(record_id: str) -> dict:
    """What the explorer shows for one record (summary, dates, citation, evidence) as a dict."""
    frame = _all()
    rows = frame[frame["id"] == record_id]
    if rows.empty:
        raise YaluError(f"there is no record with the id {record_id!r}; see yalu.timeline.records()['id']")
    r = rows.iloc[0]
    citation, url = _citation(r)
    return {
        "id": r["id"], "kind": KINDS[r["kind"]].plural.rstrip("s"), "label": r["label"], "summary": r["summary"] or "",
        "date_text": r["date_text"], "edtf": r["date"], "phase": r["phase"],
        "footnote": None if pd.isna(r["footnote"]) else int(r["footnote"]),
        "citation": citation, "url": url, "evidence": r["evidence"] or "", "quote": r["quote"] or "",
        "source": r["source"],
    }


@lru_cache(maxsize=4)
def _sources(folder: str) -> dict[str, dict]:
    if "sources" not in data.tables():
        return {}
    s = data.load("sources")
    return {row["id"]: row for row in s.to_dict("records")}


def _text(v) -> str:
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


def _citation(r) -> tuple[str, str]:
    sources = _sources(str(data.data_dir()))
    src = r["source"]
    if isinstance(src, str) and src.startswith("ctx_"):
        row = sources.get(src, {})
        title = _text(row.get("title")) or src
        return f"Context from outside the paper: {title}", _text(row.get("url"))
    fn = r["footnote"]
    if pd.isna(fn):
        return "Chen Jian (1992), in the paper's text (no footnote).", ""
    row = sources.get(f"fn_{int(fn)}", {})
    text = _text(row.get("citation"))
    status = _text(row.get("status"))
    if text:
        suffix = " [cut off in the extract]" if status == "cut_off" else ""
        return f"Footnote {int(fn)}: {text}{suffix}", ""
    why = {"missing": "missing from the extract", "garbled": "garbled in the extract"}.get(status, "not available")
    return f"Footnote {int(fn)}: the footnote's text is {why}.", ""


def detail_html(record_id: str) -> str:
    """The detail panel for one record, as HTML."""
    d = detail(record_id)
    esc = html.escape
    cite = esc(d["citation"])
    if d["url"]:
        cite += f' <a href="{esc(d["url"])}" target="_blank" rel="noopener">{esc(d["url"])}</a>'
    parts = [
        f'<div class="yalu-detail" data-record="{esc(d["id"])}">',
        f"<h4>{esc(d['label'])}</h4>",
        f"<p>{esc(d['summary'])}</p>",
        f"<p><b>Date in the paper:</b> {esc(d['date_text'])}<br/><b>EDTF:</b> <code>{esc(d['edtf'])}</code>"
        f"<br/><b>Kind:</b> {esc(d['kind'])}; <b>phase:</b> {esc(str(d['phase']))}</p>",
        f"<p><b>Source:</b> {cite}</p>",
    ]
    if d["evidence"]:
        parts.append(f"<p><b>Evidence (verbatim, Chen 1992):</b></p><blockquote>{esc(d['evidence'])}</blockquote>")
    elif d["source"].startswith("ctx_"):
        parts.append("<p><i>No excerpt: this fact comes from outside the paper.</i></p>")
    if d["quote"]:
        parts.append(f"<p><b>Quoted in the paper:</b></p><blockquote>{esc(d['quote'])}</blockquote>")
    parts.append("</div>")
    return "\n".join(parts)


# ----------------------------------------------------------------------------- October 1950 calendar

@dataclass(frozen=True)
class Step:
    """One step of the October 1950 decision, found in the data by day and words."""
    key: str
    label: str
    signal: str  # "go", "stop" or "wait"
    day: str     # a day the record's dates must cover
    words: tuple[str, ...]  # any of these in the record's title (preferred) or summary/evidence
    why: str


# The go / stop / wait classification is ours, declared here, with the reason for each.
CALENDAR_STEPS: tuple[Step, ...] = (
    Step("decision", "Decision to send troops", "go", "1950-10-02", ("decision", "decide"),
         "Beijing decides to send troops."),
    Step("order", "Order to enter the war", "go", "1950-10-08", ("order",),
         "Mao formally issues the order."),
    Step("black_sea", "Black Sea meeting", "wait", "1950-10-09", ("black sea",),
         "Zhou meets Stalin about Soviet air support; the outcome is awaited."),
    Step("halt", "Halt", "stop", "1950-10-12", ("halt", "stop"),
         "Mao orders the troops to stop all movement."),
    Step("go_on", "Decision to go on", "go", "1950-10-13", ("go on", "go ahead", "proceed", "continue"),
         "The Politburo decides to go on without Soviet air cover."),
    Step("wavering", "Mao wavers", "wait", "1950-10-17", ("waver",),
         "Mao tells the units to keep preparing and wait for a formal order."),
    Step("crossing", "Crossing of the Yalu", "go", "1950-10-19", ("cross",),
         "Chinese troops cross the Yalu."),
)
SIGNALS = {  # colour, marker and word: the signal is never carried by colour alone
    "go": (OKABE_ITO["bluish_green"], "^", "GO"),
    "wait": (OKABE_ITO["orange"], "D", "WAIT"),
    "stop": (OKABE_ITO["vermillion"], "s", "STOP"),
}
SIGNAL_ROWS = ("go", "wait", "stop")
OCTOBER = (pd.Timestamp("1950-10-01"), pd.Timestamp("1950-10-19"))
#: The explorer's starting range when no filter or range is given: the collection's two years.
DEFAULT_RANGE = ("1949-01-01", "1950-12-31")


def _find_step(step: Step, frame: pd.DataFrame):
    day = pd.Timestamp(step.day)
    cand = frame[(frame["date_start"] <= day) & (frame["date_end"] >= day)
                 & (frame["date_end"] <= OCTOBER[1]) & (frame["date_start"] >= OCTOBER[0])]
    cand = cand[cand["kind"] == "event"]
    if "decision" in list(frame["phase"].cat.categories):
        cand = cand[cand["phase"] == "decision"]

    def hits(col):
        return cand[col].fillna("").astype(str).str.lower().map(lambda t: any(w in t for w in step.words)).astype(bool)

    for cols in (("label",), ("summary", "evidence")):
        mask = pd.Series(False, index=cand.index)
        for c in cols:
            mask |= hits(c)
        found = cand[mask]
        if len(found):
            found = found.assign(_span=(found["date_end"] - found["date_start"]).dt.days)
            return found.sort_values(["_span", "date_start", "id"]).iloc[0]
    return None


def calendar_steps() -> list[dict]:
    """The October steps found in the data: key, label, signal, record id, first and last day."""
    frame = _all()
    out = []
    for step in CALENDAR_STEPS:
        row = _find_step(step, frame)
        out.append({"key": step.key, "label": step.label, "signal": step.signal, "why": step.why,
                    "id": None if row is None else row["id"],
                    "start": pd.Timestamp(step.day) if row is None else row["date_start"],
                    "end": pd.Timestamp(step.day) if row is None else row["date_end"],
                    "date_text": None if row is None else row["date_text"]})
    return out


def october_calendar() -> Picture:
    """1-19 October 1950, one column per day: the go / stop / wait steps, as a :class:`Picture`."""
    with matplotlib.rc_context(_RC):
        return Picture(_draw_calendar(calendar_steps()))


def _draw_calendar(steps: list[dict]) -> Figure:
    first, last = OCTOBER
    days = pd.date_range(first, last, freq="D")
    width, height = 12.0, 4.2
    fig = _new_figure(width, height)
    ax = fig.add_axes((1.0 / width, 0.35 / height, 1 - 1.2 / width, 1 - 1.15 / height))
    ax.set_xlim(0.5, len(days) + 0.5)
    ax.set_ylim(3.55, -0.6)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_xticks(range(1, len(days) + 1), [f"{d.day}" for d in days])
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, pad=2)
    ax.set_yticks([0, 1, 2, 3], [f"{SIGNALS[s][2]}" for s in SIGNAL_ROWS] + ["signal in force"])
    ax.tick_params(axis="y", length=0)
    for lbl, s in zip(ax.get_yticklabels()[:3], SIGNAL_ROWS):
        lbl.set_color("black")
        lbl.set_fontweight("bold")
    for c in range(len(days) + 1):
        ax.axvline(c + 0.5, color="#DDDDDD", lw=0.6, zorder=0)
    ax.axhline(2.6, color="#999999", lw=0.6)
    fig.text(1.0 / width, 1 - 0.1 / height, "October 1950, day by day: go, stop, go", ha="left", va="top",
             fontsize=FONT_SIZE + 2, weight="bold")

    found = [s for s in steps if s["id"] is not None]
    items: list[Item] = []
    centres = []
    for st in found:
        color, marker, word = SIGNALS[st["signal"]]
        y = SIGNAL_ROWS.index(st["signal"])
        c0, c1 = st["start"].day, st["end"].day
        ax.add_patch(FancyBboxPatch((c0 - 0.42, y - 0.28), c1 - c0 + 0.84, 0.56, boxstyle="round,pad=0.02",
                                    facecolor=color, alpha=0.35, edgecolor=color, lw=1.2, zorder=2))
        ax.plot([c0 - 0.22], [y], marker=marker, color=color, mec="black", mew=0.6, ms=8, zorder=3)
        ax.text(c0 - 0.05, y, word, va="center", ha="left", fontsize=FONT_SIZE - 0.5, weight="bold", zorder=4)
        centres.append(((c0 + c1) / 2, y))
        items.append(Item(st["id"], "event", st["signal"], y, st["start"], st["end"],
                          "bar" if c1 > c0 else "point", color, marker, ""))
    if centres:
        xs, ys = zip(*centres)
        ax.plot(xs, ys, color="#555555", lw=1.0, ls="--", zorder=1)

    # Signal in force each day: the signal of the latest step begun by that day.
    for d in days:
        now = [s for s in found if s["start"] <= d]
        if not now:
            continue
        sig = now[-1]["signal"]
        color, marker, word = SIGNALS[sig]
        ax.add_patch(Rectangle((d.day - 0.5, 2.75), 1.0, 0.5, facecolor=color, alpha=0.55, lw=0, zorder=1))
        ax.text(d.day, 3.0, word[0], ha="center", va="center", fontsize=FONT_SIZE, weight="bold", zorder=2)

    labels = _place_calendar_labels(fig, ax, found)
    missing = [s["label"] for s in steps if s["id"] is None]
    if missing:
        ax.text(0.5, -0.45, "Not found in the data: " + ", ".join(missing), fontsize=FONT_SIZE, color="#000000")
    drawing = Drawing("october_calendar", first, last, "signal", list(SIGNAL_ROWS), items, labels,
                      {"event": len(found)}, extra={"steps": steps, "missing": missing,
                                                    "sequence": [s["signal"] for s in found]})
    drawing.alt_text = _calendar_alt(steps, missing)
    fig.yalu = drawing
    return fig


def _place_calendar_labels(fig, ax, found) -> list[Label]:
    renderer = fig.canvas.get_renderer()
    placed: list[tuple] = []
    labels = []
    for st in found:
        y = SIGNAL_ROWS.index(st["signal"])
        c0, c1 = st["start"].day, st["end"].day
        xc = (c0 + c1) / 2
        text = textwrap.fill(st["label"], 14 + 9 * (c1 - c0))
        for dy, va in ((0.33, "top"), (-0.33, "bottom")):
            t = ax.text(xc, y + dy, text, ha="center", va=va, fontsize=FONT_SIZE, zorder=4, linespacing=1.1,
                        parse_math=False)
            bb = t.get_window_extent(renderer)
            box = (bb.x0, bb.y0, bb.x1, bb.y1)
            if not any(_overlaps(box, p) for p in placed):
                placed.append(box)
                labels.append(Label(st["id"], st["label"], t))
                break
            t.remove()
    return labels


def _calendar_alt(steps, missing) -> str:
    def when(s):
        a, b = s["start"], s["end"]
        return f"{a.day} Oct" if a == b else f"{a.day}-{b.day} Oct"

    shown = [f"{when(s)}: {s['label']} ({s['signal']})" for s in steps if s["id"] is not None]
    seq = [s["signal"] for s in steps if s["id"] is not None]
    squeezed = [x for i, x in enumerate(seq) if i == 0 or x != seq[i - 1]]
    text = (f"Calendar of 1 to 19 October 1950, one column per day, with rows for go, wait and stop. "
            f"{len(shown)} steps: " + "; ".join(shown) + ". "
            f"Sequence of signals: {' - '.join(squeezed)}." if shown else
            "Calendar of 1 to 19 October 1950: none of the steps were found in the data.")
    if missing and shown:
        text += f" Not found in the data: {', '.join(missing)}."
    return text
