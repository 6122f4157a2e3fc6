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
from yalu.records import CAPITALS, EVIDENCE_KINDS, KIND_NAMES, KINDS, NOT_A_WORK, detail, filter_records, records, select
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
#: How lanes can group the records, as in the explorer: by the capital of the first actor, by kind, by
#: phase, or (for the works about the events) by the kind of evidence a work rests on. ``"actor"`` is the
#: explorer's name for lanes by capital, and means the same here.
LANE_BY = ("capital", "kind", "phase", "evidence")
_LANE_ALIASES = {"actor": "capital"}
MAX_ROWS = 12    # sub-rows per lane
MAX_KEYS = 99    # numbered labels listed under a picture, at most (two digits)
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
    left_out: dict[str, int] = field(default_factory=dict)
    note: str = ""
    alt: str = ""

    @property
    def record_ids(self) -> list[str]:
        return list(dict.fromkeys(i.id for i in self.items))

    def summary(self) -> dict:
        """What the picture draws and names, for its output's metadata: marks drawn, marks labelled
        (in full or by key number), records left out and where to see them, and the lanes."""
        return {"picture": "timeline", "drawn": len(self.items), "labelled": len(self.labels),
                "keyed": len(self.keys), "left_out": sum(self.left_out.values()), "note": self.note,
                "lanes": list(self.lanes), "lane_by": self.lane_by,
                "start": f"{self.start:%Y-%m-%d}", "end": f"{self.end:%Y-%m-%d}"}


def _lanes_for(frame: pd.DataFrame, lanes: str) -> list[tuple[str, str, list[int]]]:
    """[(lane key, lane name, [row positions in frame])] in display order, named as in the explorer."""
    if lanes == "phase":
        values = frame["phase"].tolist()
        out = [(p, str(p).capitalize(), [i for i, v in enumerate(values) if v == p])
               for p in frame["phase"].cat.categories]
    elif lanes == "kind":
        values = frame["kind"].tolist()
        out = [(k, KIND_NAMES[k], [i for i, v in enumerate(values) if v == k]) for k in KINDS]
    elif lanes == "evidence":
        values = frame["evidence_kind"].tolist()
        out = [(c, c, [i for i, v in enumerate(values) if v == c]) for c in [*EVIDENCE_KINDS.values(), NOT_A_WORK]]
    else:
        values = frame["capital"].tolist()
        out = [(c, c, [i for i, v in enumerate(values) if v == c]) for c in CAPITALS]
    return [lane for lane in out if lane[2]]


def lane_by(lanes) -> str:
    """``lanes`` as one of :data:`LANE_BY` (``"actor"`` is lanes by capital, as in the explorer)."""
    key = _LANE_ALIASES.get(lanes, lanes) if isinstance(lanes, str) else lanes
    if key not in LANE_BY:
        raise YaluError(f"lanes must be one of {', '.join(LANE_BY)} (or 'actor', lanes by capital), not {lanes!r}")
    return key


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
         width: float = WIDTH_IN, max_rows: int = MAX_ROWS, more: str | None = None) -> tuple[Figure, Drawing]:
    """Draw ``frame`` (rows of :func:`yalu.records.records`) as a timeline: ``(figure, drawing)``.

    Every mark drawn is named, by its full label or by a key number listed under the picture.
    ``max_rows`` caps the sub-rows of each lane: a record that finds no room for a mark and its
    name is left out (events are placed first), and the picture says how many it leaves out and
    where to see them: ``more`` says where (by default "in the explorer", with the kinds to filter)."""
    if not isinstance(max_rows, int) or max_rows < 1:
        raise YaluError(f"max_rows must be a whole number of rows, 1 or more, not {max_rows!r}")
    lanes = lane_by(lanes)
    s, e = day_range(start, end)
    frame = select(frame, s, e).reset_index(drop=True)
    if s is None:
        s = frame["date_start"].min() if len(frame) else pd.Timestamp("1949-01-01")
    if e is None:
        e = frame["date_end"].max() if len(frame) else pd.Timestamp("1950-12-31")
    with matplotlib.rc_context(STYLE):
        return _draw(frame, s, e, lanes, title, width, max_rows, more)


def _pack(d0, d1, widths, members, kinds, ax_px, max_rows) -> tuple[list[tuple[int, int, tuple]], int]:
    """Sub-rows of one lane: [(row, record position, (x0, x1) kept for the mark and its name)] for the
    records that find room for their mark and their full label or at least a key number, events
    first; and the number of rows used. Full labels where they fit; if giving every mark its full
    label's room would leave marks out, each mark first gets a key number's room, then its full
    label's room where that is free."""
    rank = {k: j for j, k in enumerate(KIND_STYLE)}
    order = sorted(members, key=lambda i: (rank[kinds[i]], d0[i], i))

    def sides(i, room):
        a, b = d0[i], d1[i]
        out = [w for w in ((a, b + room), (a - room, b)) if not ((w[1] > ax_px and w[1] != b) or (w[0] < 0 and w[0] != a))]
        # no room beside a long bar: its name goes on the bar itself
        return out or ([(a, b)] if b - a >= room + 6 else [])

    def fits(row, want, skip=None):
        return all(want[1] + 2 <= x0 or x1 + 2 <= want[0] for n, (x0, x1) in row if n != skip)

    def run(rooms_first):
        rows: list[list[tuple[int, tuple]]] = []
        out = {}
        for i in order:
            placed = None
            for room in rooms_first(i):
                for want in sides(i, room):
                    k = next((k for k, row in enumerate(rows) if fits(row, want)), None)
                    if k is None and len(rows) < max_rows:
                        rows.append([])
                        k = len(rows) - 1
                    if k is not None:
                        placed = (k, want)
                        break
                if placed:
                    break
            if placed:
                rows[placed[0]].append((i, placed[1]))
                out[i] = placed
        return rows, out

    rows, out = run(lambda i: (widths[i], KEY_PX))
    if len(out) < len(order):
        rows_b, out_b = run(lambda i: (KEY_PX,))
        if len(out_b) > len(out):
            rows, out = rows_b, out_b
            for k, row in enumerate(rows):  # widen to the full label where the row has room
                for n, (i, _) in enumerate(row):
                    for wide in sides(i, widths[i]):
                        if fits(row, wide, skip=i):
                            row[n] = (i, wide)
                            out[i] = (k, wide)
                            break
    return [(k, i, want) for i, (k, want) in out.items()], max(len(rows), 1)


def _draw(frame, s, e, lanes, title, width, max_rows, more) -> tuple[Figure, Drawing]:
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

    # Pack each lane's marks into sub-rows, each with room for its full label or its key number.
    lane_rows = _lanes_for(frame, lanes) if len(frame) else []
    kinds, ids = frame["kind"].tolist(), frame["id"].tolist()
    spec, spans, reserved, row = [], [], [], 0
    for key, lane_title, members in lane_rows:
        packed, n = _pack(d0, d1, widths, members, kinds, ax_px, max_rows)
        for k, i, want in sorted(packed, key=lambda t: (t[0], d0[t[1]])):
            spec.append((key, row + k, i))
            reserved.append((want[0], row + k - 0.3, want[1], row + k + 0.3))
        shown = _lane_title(lane_title)
        n = max(n, shown.count("\n") + 1)  # a lane name on two lines gets two rows, never crossing the next lane
        spans.append((key, shown, row, row + n - 1))
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
        if j:
            ax.axhline(r0 - 0.5, color="#999999", lw=0.6, zorder=1)
        lane_ticks.append((r0 + r1) / 2)
        lane_labels.append(lane_title)
    ax.set_yticks(lane_ticks, lane_labels)

    starts, ends = list(frame["date_start"]), list(frame["date_end"])
    fulls = frame["label_full"].tolist() if "label_full" in frame else list(labels)
    twins = [len(a) > 1 for a in frame["attestations"]] if "attestations" in frame else [False] * len(frame)
    for i, twin in enumerate(twins):  # a happening recorded in several rows: every row in its key entry
        if twin:
            fulls[i] = attested(ids[i])
    items = [Item(ids[i], kinds[i], lane, sub, starts[i], ends[i], "point" if point[i] else "bar")
             for lane, sub, i in spec]
    placed, keys = _place_labels(ax, labels, fulls, items, spec, d0, d1, reserved, twins)
    named = {lab.id for lab in placed}
    keep = [n for n, it in enumerate(items) if it.id in named]  # a mark that found no room for a name is left out
    items, spec = [items[n] for n in keep], [spec[n] for n in keep]
    bars: dict[str, list] = {k: [] for k in KIND_STYLE}
    points: dict[str, list] = {k: [] for k in KIND_STYLE}
    for (_, sub, i), it in zip(spec, items, strict=True):
        if point[i]:
            points[it.kind].append((mid[i], sub))
        else:
            bars[it.kind].append(Rectangle((d0[i], sub - 0.22), d1[i] - d0[i], 0.44))
    for kind, st in KIND_STYLE.items():
        if bars[kind]:
            ax.add_collection(PatchCollection(bars[kind], facecolor=st.color, alpha=0.45, edgecolor=st.color,
                                              hatch=st.hatch, linewidth=1.0, zorder=2))
        if points[kind]:
            xs, ys = zip(*points[kind], strict=True)
            ax.plot(xs, ys, ls="", marker=st.marker, color=st.color, ms=7, mec="black", mew=0.6, zorder=3)

    left_out: dict[str, int] = {}
    for k in kinds:
        left_out[k] = left_out.get(k, 0) + 1
    for it in items:
        left_out[it.kind] -= 1
    left_out = {k: left_out[k] for k in KINDS if left_out.get(k)}
    note = _note(left_out, more)
    if note:  # under the date axis, in its own room: the figure grows by the note's lines
        lines = _wrap(note, width * SCREEN_DPI - 20)
        bottom += 0.08 + len(lines) * text_height_px() * 1.25 / SCREEN_DPI
        height = top + bottom + n_rows * ROW_IN
        fig.set_size_inches(width, height)
        ax.set_position((LEFT_IN / width, bottom / height, 1 - (LEFT_IN + RIGHT_IN) / width, n_rows * ROW_IN / height))
        fig.text(0.1 / width, 0.06 / height, "\n".join(lines), ha="left", va="bottom", fontsize=FONT_PT,
                 style="italic")
    kinds_drawn = [k for k in KIND_STYLE if any(it.kind == k for it in items)]
    _legend(fig, 0.1 / width, 1 - 0.32 / height, kinds_drawn)
    heading = title or f"Records, {long_day(s)} to {long_day(e)}"
    fig.text(0.1 / width, 1 - 0.06 / height, heading, ha="left", va="top", fontsize=FONT_PT + 2, weight="bold")
    if not len(frame):
        ax.text(0.5, 0.5, "No records in this range", transform=ax.transAxes, ha="center", va="center")
        ax.set_yticks([])
    counts = {k: int(sum(1 for x in kinds if x == k)) for k in KINDS}
    drawing = Drawing(s, e, lanes, [t.replace("\n", " ") for _, t, _, _ in spans], items, placed, keys, counts,
                      left_out, note)
    drawing.alt = _alt(drawing, frame)
    return fig, drawing


def attested(record_id: str) -> str:
    """A happening with every row that records it, who reports it and when:
    "Zhou meets Stalin. Recorded as: event, ... (Chen, fn. 96, 9 Oct 1950 - 10 Oct 1950); ..."."""
    d = detail(record_id)
    rows = "; ".join(f"{a['kind']} '{a['label']}' ({a['citation_short']}, {span_text(a['start'], a['end'])})"
                     for a in d["attestations"])
    differ = " The rows give different dates." if d["dates_differ"] else ""
    return f"{d['label_full']}. Recorded as: {rows}.{differ}"


def _place_labels(ax, labels, fulls, items, spec, d0, d1, reserved=None, twins=None) -> tuple[list[Label], list[Key]]:
    """Each record's full label right of its mark, else left, else a key number there; never over
    another label or mark, never outside the axes. Events are labelled first. The key lists the
    label with people's full names (``fulls``)."""
    ax_px = ax.get_xlim()[1]
    h = text_height_px() / ROW_IN / SCREEN_DPI + 0.08  # label height in rows
    marks = np.array([(d0[i], sub - 0.3, d1[i], sub + 0.3) for _, sub, i in spec], dtype=float).reshape(-1, 4)
    # each mark's room for its name, kept when the lanes were packed: another label never takes it
    rooms = np.array(reserved if reserved is not None else marks, dtype=float).reshape(-1, 4)
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
        on_marks = hits(box, marks) | hits(box, rooms)
        on_marks[n] = False  # a label may touch its own mark's box and fill its own room
        return not on_marks.any() and not hits(box, taken[:n_taken]).any()

    for n in order:
        it = items[n]
        if it.id in seen:
            continue
        i = spec[n][2]
        text = labels[i]
        x0, _, x1, _ = marks[n]
        y = it.row
        # a happening recorded in several rows is keyed, so the key lists every row that records it
        options = ([] if twins and twins[i] else [(text, False)]) + (
            [] if len(keys) >= MAX_KEYS else [(str(len(keys) + 1), True)])
        for shown, keyed in options:
            # a key's room is that of two digits: keys are renumbered in date order below
            w = text_width_px("00" if keyed else shown, weight="bold" if keyed else "normal")
            inside = (x0 + 3, y - h / 2, x0 + 3 + w, y + h / 2)  # on a long bar that leaves no room beside it
            boxes = [(x1 + 3, y - h / 2, x1 + 3 + w, y + h / 2), (x0 - 3 - w, y - h / 2, x0 - 3, y + h / 2)]
            for box in boxes + ([inside] if inside[2] + 3 <= x1 else []):
                if free(box, n):
                    t = ax.text(box[0], y, shown, va="center", ha="left", zorder=4, clip_on=False, parse_math=False,
                                weight="bold" if keyed else "normal",
                                # on its own bar: a light backing that keeps the bar's start and end in view
                                bbox=dict(facecolor="white", alpha=0.6, edgecolor="none", pad=0.5)
                                if box is inside else None)
                    taken[n_taken] = box
                    n_taken += 1
                    placed.append(Label(it.id, fulls[i] if keyed else text, t, keyed))
                    if keyed:
                        keys.append(Key(len(keys) + 1, fulls[i], span_text(it.start, it.end)))
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


def _note(left_out: dict[str, int], more: str | None) -> str:
    """What the picture leaves out and where to see it: "23 more in the explorer: filter Troop movements"."""
    n = sum(left_out.values())
    if not n:
        return ""
    kinds = ", ".join(f"{KIND_NAMES[k]}s ({c})" if len(left_out) > 1 else f"{KIND_NAMES[k]}s"
                      for k, c in left_out.items())
    return f"{n} more {more or 'in the explorer'}: filter {kinds}."


def _wrap(text: str, px: float) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and text_width_px(trial) > px:
            lines.append(line)
            line = word
        else:
            line = trial
    return lines + ([line] if line else [])


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
    listed = "; ".join(f"{span_text(by_id[lab.id].start, by_id[lab.id].end)}: "
                       + (f"{lab.artist.get_text()}, {lab.text}" if lab.keyed else lab.text) for lab in labelled)
    keyed = sum(1 for lab in d.labels if lab.keyed)
    drawn = len(d.items)
    return (f"Timeline of {n} record{'s' if n != 1 else ''} from {long_day(d.start)} to {long_day(d.end)}: "
            f"{kinds}, in {len(d.lanes)} lane{'s' if len(d.lanes) != 1 else ''} by {d.lane_by} "
            f"({'; '.join(d.lanes)}). {drawn} drawn: {bars} as bars (ranged or uncertain dates), {points} as points "
            f"(exact days); every mark drawn is named, {drawn - keyed} by its label and {keyed} by a key number. "
            f"In date order: {listed}." + (f" {d.note}" if d.note else ""))


def picture(phase=None, actor=None, kind=None, start=None, end=None, lanes="phase", title=None,
            width: float = WIDTH_IN, max_rows: int = MAX_ROWS, more: str | None = None) -> Picture:
    """The timeline of the filtered records as a static :class:`yalu.render.Picture` (PNG, alt text, key)."""
    frame = filter_records(records(), phase=phase, actor=actor, kind=kind)
    fig, drawing = draw(frame, start, end, lanes=lanes, title=title, width=width, max_rows=max_rows, more=more)
    return Picture(fig, drawing.alt, keys=drawing.keys, drawing=drawing, summary=drawing.summary())
