"""Static timelines of the collection's dated records: the printable view of :mod:`yalu.records`.

A record with a ranged or uncertain date (an EDTF range, a month, "autumn 1949") is drawn
as a bar over every day it may mean; an exact day as a point. Colour, marker shape and
hatching all say the kind of record, so colour is never the only cue. Lanes group the
records by phase, actor or kind. A label is drawn in full where it fits beside its mark;
otherwise the mark gets a number and the label is listed in full under the picture.

>>> pic = picture(phase="decision", kind="event")
>>> pic.alt.startswith("Timeline of")
True

The interactive view is :func:`yalu.explorer.explore`; the October 1950 calendar is
:func:`yalu.calendar.october_calendar`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from yalu.dates import day_range, long_day, span_text
from yalu.errors import YaluError
from yalu.records import KINDS, filter_records, people_names, records, select
from yalu.render import (
    FONT_PT,
    PALETTE,
    SCREEN_DPI,
    STYLE,
    WIDTH_IN,
    Key,
    Picture,
    new_figure,
    text_height_px,
    text_width_px,
)

__all__ = ["KIND_STYLE", "LANE_BY", "Item", "Label", "Drawing", "draw", "picture"]


@dataclass(frozen=True)
class KindStyle:
    color: str
    marker: str
    hatch: str


KIND_STYLE = {
    "event": KindStyle(PALETTE["blue"], "o", ""),
    "troop_movement": KindStyle(PALETTE["vermillion"], "^", "////"),
    "soviet_air": KindStyle(PALETTE["bluish_green"], "D", "xxx"),
    "communication": KindStyle(PALETTE["reddish_purple"], "s", "---"),
}
LANE_BY = ("phase", "actor", "kind")
MAX_ROWS = 12    # sub-rows per lane
MAX_KEYS = 40    # numbered labels listed under a picture, at most
ROW_IN = 0.28    # height of one sub-row
LEFT_IN, RIGHT_IN = 1.35, 0.3
KEY_PX = 22      # room for a key number beside a mark


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


@dataclass
class Label:
    """One drawn label: the record's full label, or its key number (``keyed``)."""
    id: str
    text: str
    artist: object = field(repr=False)
    keyed: bool = False


@dataclass
class Drawing:
    """What a timeline shows: its range, lanes, marks, labels, key and alt text."""
    start: pd.Timestamp
    end: pd.Timestamp
    lane_by: str
    lanes: list[str]
    items: list[Item]
    labels: list[Label]
    keys: list[Key]
    counts: dict[str, int]
    alt: str = ""

    @property
    def record_ids(self) -> list[str]:
        return list(dict.fromkeys(i.id for i in self.items))


def _lanes_for(frame: pd.DataFrame, lanes: str) -> list[tuple[str, str, list[int]]]:
    """[(lane key, lane title, [row positions in frame])] in display order."""
    if lanes == "phase":
        values = frame["phase"].tolist()
        out = [(p, str(p), [i for i, v in enumerate(values) if v == p]) for p in frame["phase"].cat.categories]
    elif lanes == "kind":
        values = frame["kind"].tolist()
        out = [(k, KINDS[k].plural, [i for i, v in enumerate(values) if v == k]) for k in KINDS]
    else:
        names = people_names()
        actors = frame["actors"].tolist()
        counts: dict[str, int] = {}
        for acts in actors:
            for a in acts:
                counts[a] = counts.get(a, 0) + 1
        order = sorted(counts, key=lambda a: (-counts[a], a))[:12]
        out = [(a, names.get(a, a.replace("_", " ").title()), [i for i, acts in enumerate(actors) if a in acts])
               for a in order]
        rest = [i for i, acts in enumerate(actors) if not any(a in order for a in acts)]
        if rest:
            out.append(("(other)", "others / none", rest))
    return [lane for lane in out if lane[2]]


def _lane_title(title: str) -> str:
    """Lane titles wrap onto two lines rather than being cut."""
    if text_width_px(title) <= (LEFT_IN - 0.1) * SCREEN_DPI or " " not in title:
        return title
    words, best = title.split(), title
    for cut in range(1, len(words)):
        a, b = " ".join(words[:cut]), " ".join(words[cut:])
        if max(text_width_px(a), text_width_px(b)) < max(text_width_px(x) for x in best.split("\n")):
            best = f"{a}\n{b}"
    return best


def draw(frame: pd.DataFrame, start=None, end=None, lanes: str = "phase", title: str | None = None,
         width: float = WIDTH_IN, max_rows: int = MAX_ROWS) -> tuple[Figure, Drawing]:
    """Draw ``frame`` (rows of :func:`yalu.records.records`) as a timeline: ``(figure, drawing)``.

    ``max_rows`` caps the sub-rows of each lane: fewer rows make a shorter overview, with
    fewer labels (marks that find no free row share one, and stay unlabelled)."""
    if not isinstance(max_rows, int) or max_rows < 1:
        raise YaluError(f"max_rows must be a whole number of rows, 1 or more, not {max_rows!r}")
    if lanes not in LANE_BY:
        raise YaluError(f"lanes must be one of {', '.join(LANE_BY)}, not {lanes!r}")
    s, e = day_range(start, end)
    frame = select(frame, s, e).reset_index(drop=True)
    if s is None:
        s = frame["date_start"].min() if len(frame) else pd.Timestamp("1949-01-01")
    if e is None:
        e = frame["date_end"].max() if len(frame) else pd.Timestamp("1950-12-31")
    with matplotlib.rc_context(STYLE):
        return _draw(frame, s, e, lanes, title, width, max_rows)


def _draw(frame, s, e, lanes, title, width, max_rows) -> tuple[Figure, Drawing]:
    span_days = (e - s).days + 1
    ax_px = (width - LEFT_IN - RIGHT_IN) * SCREEN_DPI
    px_day = ax_px / span_days
    d0 = ((frame["date_start"].clip(lower=s) - s).dt.days * px_day).to_numpy(dtype=float)
    d1 = (((frame["date_end"].clip(upper=e) - s).dt.days + 1) * px_day).to_numpy(dtype=float)
    point = (frame["date_start"] == frame["date_end"]).to_numpy()
    mid = (d0 + d1) / 2
    d0 = np.where(point, mid - 5, d0)
    d1 = np.where(point, mid + 5, d1)
    labels = frame["label"].tolist()
    widths = [text_width_px(t) + 6 for t in labels]

    # Pack each lane's marks into sub-rows, keeping room for the label beside the mark when possible.
    lane_rows = _lanes_for(frame, lanes) if len(frame) else []
    spec, spans, row = [], [], 0
    for key, lane_title, members in lane_rows:
        ends: list[float] = []
        for i in members:
            a, b = d0[i], d1[i]
            k = None
            for room in (widths[i], KEY_PX):  # the full label beside the mark, else a key number
                want = (a, b + room) if b + room <= ax_px else (a - room, b)
                k = next((k for k, last in enumerate(ends) if want[0] >= last), None)
                if k is not None:
                    break
            if k is None and len(ends) < max_rows:
                ends.append(float("-inf"))
                k = len(ends) - 1
                want = (a, b + widths[i]) if b + widths[i] <= ax_px else (a - widths[i], b)
            if k is not None:
                ends[k] = want[1]
            else:
                k = min(range(len(ends)), key=lambda j: ends[j])
                ends[k] = max(ends[k], b + 4)
            spec.append((key, row + k, i))
        n = max(len(ends), 1)
        spans.append((key, _lane_title(lane_title), row, row + n - 1))
        row += n
    n_rows = max(row, 1)
    top, bottom = 0.95, 0.45
    height = top + bottom + n_rows * ROW_IN
    fig = new_figure(width, height)
    ax = fig.add_axes((LEFT_IN / width, bottom / height, 1 - (LEFT_IN + RIGHT_IN) / width, n_rows * ROW_IN / height))
    ax.set_xlim(0, ax_px)
    ax.set_ylim(n_rows - 0.5, -0.5)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    # Date ticks: matplotlib's locator and concise formatter, on a twin scale in date numbers.
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    formatter = mdates.ConciseDateFormatter(locator, show_offset=False)
    n0 = mdates.date2num(s)
    ticks = [t for t in locator.tick_values(s.to_pydatetime(), (e + pd.Timedelta(days=1)).to_pydatetime())
             if n0 <= t < n0 + span_days]
    ax.set_xticks([(t - n0) * px_day for t in ticks], formatter.format_ticks(ticks))

    lane_ticks, lane_labels = [], []
    for j, (_, lane_title, r0, r1) in enumerate(spans):
        if j % 2 == 0:
            ax.axhspan(r0 - 0.5, r1 + 0.5, color="#EEEEEE", zorder=0, lw=0)
        lane_ticks.append((r0 + r1) / 2)
        lane_labels.append(lane_title)
    ax.set_yticks(lane_ticks, lane_labels)

    kinds, ids = frame["kind"].tolist(), frame["id"].tolist()
    starts, ends = list(frame["date_start"]), list(frame["date_end"])
    items: list[Item] = []
    bars: dict[str, list] = {k: [] for k in KIND_STYLE}
    points: dict[str, list] = {k: [] for k in KIND_STYLE}
    for lane, sub, i in spec:
        kind = kinds[i]
        items.append(Item(ids[i], kind, lane, sub, starts[i], ends[i],
                          "point" if point[i] else "bar"))
        if point[i]:
            points[kind].append((mid[i], sub))
        else:
            bars[kind].append(Rectangle((d0[i], sub - 0.22), d1[i] - d0[i], 0.44))
    for kind, st in KIND_STYLE.items():
        if bars[kind]:
            ax.add_collection(PatchCollection(bars[kind], facecolor=st.color, alpha=0.45, edgecolor=st.color,
                                              hatch=st.hatch, linewidth=1.0, zorder=2))
        if points[kind]:
            xs, ys = zip(*points[kind], strict=True)
            ax.plot(xs, ys, ls="", marker=st.marker, color=st.color, ms=7, mec="black", mew=0.6, zorder=3)

    placed, keys = _place_labels(ax, labels, items, spec, d0, d1)
    kinds_drawn = [k for k in KIND_STYLE if any(it.kind == k for it in items)]
    _legend(fig, 0.1 / width, 1 - 0.32 / height, kinds_drawn)
    heading = title or f"Records, {long_day(s)} to {long_day(e)}"
    fig.text(0.1 / width, 1 - 0.06 / height, heading, ha="left", va="top", fontsize=FONT_PT + 2, weight="bold")
    if not len(frame):
        ax.text(0.5, 0.5, "No records in this range", transform=ax.transAxes, ha="center", va="center")
        ax.set_yticks([])
    counts = {k: int(sum(1 for x in kinds if x == k)) for k in KINDS}
    drawing = Drawing(s, e, lanes, [t.replace("\n", " ") for _, t, _, _ in spans], items, placed, keys, counts)
    drawing.alt = _alt(drawing, frame)
    return fig, drawing


def _place_labels(ax, labels, items, spec, d0, d1) -> tuple[list[Label], list[Key]]:
    """Each record's full label right of its mark, else left, else a key number there; never over
    another label or mark, never outside the axes. Events are labelled first."""
    ax_px = ax.get_xlim()[1]
    h = text_height_px() / ROW_IN / SCREEN_DPI + 0.08  # label height in rows
    marks = np.array([(d0[i], sub - 0.3, d1[i], sub + 0.3) for _, sub, i in spec], dtype=float).reshape(-1, 4)
    taken = np.empty((len(items), 4))  # the labels' boxes so far, in rows [:n_taken]
    n_taken = 0
    placed: list[Label] = []
    keys: list[Key] = []
    seen: set[str] = set()
    rank = {k: j for j, k in enumerate(KIND_STYLE)}
    by_id = {it.id: it for it in items}
    order = sorted(range(len(items)), key=lambda n: (rank[items[n].kind], items[n].start))

    def hits(box, boxes: np.ndarray) -> np.ndarray:
        return ((box[0] < boxes[:, 2]) & (boxes[:, 0] < box[2]) & (box[1] < boxes[:, 3]) & (boxes[:, 1] < box[3]))

    def free(box, n) -> bool:
        if box[0] < 0 or box[2] > ax_px:
            return False
        on_marks = hits(box, marks)
        on_marks[n] = False  # a label may touch its own mark's box
        return not on_marks.any() and not hits(box, taken[:n_taken]).any()

    for n in order:
        it = items[n]
        if it.id in seen:
            continue
        i = spec[n][2]
        text = labels[i]
        x0, _, x1, _ = marks[n]
        y = it.row
        options = [(text, False)] + ([] if len(keys) >= MAX_KEYS else [(str(len(keys) + 1), True)])
        for shown, keyed in options:
            # a key's room is that of two digits: keys are renumbered in date order below
            w = text_width_px("00" if keyed else shown, weight="bold" if keyed else "normal")
            for box in ((x1 + 3, y - h / 2, x1 + 3 + w, y + h / 2), (x0 - 3 - w, y - h / 2, x0 - 3, y + h / 2)):
                if free(box, n):
                    t = ax.text(box[0], y, shown, va="center", ha="left", zorder=4, clip_on=False, parse_math=False,
                                weight="bold" if keyed else "normal")
                    taken[n_taken] = box
                    n_taken += 1
                    placed.append(Label(it.id, text, t, keyed))
                    if keyed:
                        keys.append(Key(len(keys) + 1, text, span_text(it.start, it.end)))
                    seen.add(it.id)
                    break
            if it.id in seen:
                break
    # Number the keys in date order, so the list under the picture reads as a chronology.
    keyed = sorted((lab for lab in placed if lab.keyed), key=lambda lab: (by_id[lab.id].start, by_id[lab.id].end, lab.id))
    keys = []
    for number, lab in enumerate(keyed, start=1):
        lab.artist.set_text(str(number))
        it = by_id[lab.id]
        keys.append(Key(number, lab.text, span_text(it.start, it.end)))
    return placed, keys


def _legend(fig, x, y, kinds) -> None:
    """Kind = colour + marker + hatch; and what bars and points mean. Swatches as drawn."""
    handles = []
    for k in kinds or list(KIND_STYLE):
        st = KIND_STYLE[k]
        handles.append(Patch(facecolor=st.color, alpha=0.45, edgecolor=st.color, hatch=st.hatch,
                             label=KINDS[k].plural))
    handles.append(Line2D([], [], marker="o", color="#555555", mec="black", ls="", ms=6, label="point = exact day"))
    handles.append(Patch(facecolor="#BBBBBB", edgecolor="#555555", label="bar = date range"))
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(x, y), ncol=3, frameon=False,
               handletextpad=0.4, columnspacing=1.0, borderaxespad=0, handlelength=1.6)


def _alt(d: Drawing, frame: pd.DataFrame) -> str:
    if not len(frame):
        return f"Timeline from {long_day(d.start)} to {long_day(d.end)}: no records in this range."
    n = len(frame)
    kinds = ", ".join(f"{c} {KINDS[k].plural if c != 1 else KINDS[k].plural.rstrip('s')}"
                      for k, c in d.counts.items() if c)
    bars = sum(1 for i in d.items if i.shape == "bar")
    points = sum(1 for i in d.items if i.shape == "point")
    by_id = {i.id: i for i in d.items}
    labelled = sorted(d.labels, key=lambda lab: (by_id[lab.id].start, by_id[lab.id].end))
    listed = "; ".join(f"{span_text(by_id[lab.id].start, by_id[lab.id].end)}: {lab.text}" for lab in labelled)
    return (f"Timeline of {n} record{'s' if n != 1 else ''} from {long_day(d.start)} to {long_day(d.end)}: "
            f"{kinds}, in {len(d.lanes)} lane{'s' if len(d.lanes) != 1 else ''} by {d.lane_by} "
            f"({'; '.join(d.lanes)}). {bars} drawn as bars (ranged or uncertain dates), {points} as points "
            f"(exact days). Labelled in date order: {listed}."
            + (f" {n - len(labelled)} further records are drawn without a label." if n > len(labelled) else ""))


def picture(phase=None, actor=None, kind=None, start=None, end=None, lanes="phase", title=None,
            width: float = WIDTH_IN, max_rows: int = MAX_ROWS) -> Picture:
    """The timeline of the filtered records as a static :class:`yalu.render.Picture` (PNG, alt text, key)."""
    frame = filter_records(records(), phase=phase, actor=actor, kind=kind)
    fig, drawing = draw(frame, start, end, lanes=lanes, title=title, width=width, max_rows=max_rows)
    return Picture(fig, drawing.alt, keys=drawing.keys, drawing=drawing)
