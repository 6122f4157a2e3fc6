"""1-19 October 1950 day by day: the go, stop and wait steps of China's decision to enter the war.

Each step is found in the data by its day and words (see :data:`STEPS`); the calendar draws
it as a numbered box in its row (GO, WAIT or STOP) and lists every step in full under the
picture, so no label is ever cut or crossed by the line that joins the steps.

>>> [s["signal"] for s in calendar_steps()][:3]
['go', 'go', 'wait']
"""
from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.patches import FancyBboxPatch, Rectangle

from yalu.records import records
from yalu.render import FONT_PT, PALETTE, STYLE, WIDTH_IN, Key, Picture, new_figure

__all__ = ["Step", "STEPS", "SIGNALS", "Outside", "OUTSIDE", "REACH", "calendar_steps", "outside_steps",
           "october_calendar"]


@dataclass(frozen=True)
class Step:
    """One step of the October 1950 decision, found in the data by day and words."""
    key: str
    label: str
    signal: str  # "go", "stop" or "wait"
    day: str     # a day the record's dates must cover
    words: tuple[str, ...]  # any of these in the record's title (preferred) or summary/evidence


# The go / stop / wait classification is ours, declared here; the records are the paper's.
STEPS: tuple[Step, ...] = (
    Step("decision", "Decision to send troops", "go", "1950-10-02", ("decision", "decide")),
    Step("order", "Order to enter the war", "go", "1950-10-08", ("order",)),
    Step("black_sea", "Black Sea meeting on Soviet air support", "wait", "1950-10-09", ("black sea",)),
    Step("halt", "Halt: troops told to stop", "stop", "1950-10-12", ("halt", "stop")),
    Step("go_on", "Politburo decides to go on", "go", "1950-10-13", ("go on", "go ahead", "proceed", "continue")),
    Step("by_17th", "Advance units told to cross by 17 October", "go", "1950-10-15", ("by 17 october",)),
    Step("regiment", "A regiment of the 42nd Army enters Korea", "go", "1950-10-17", ("42nd army", "regiment")),
    Step("wavering", "Mao wavers and delays the final order", "wait", "1950-10-17", ("waver",)),
    Step("crossing", "Chinese troops cross the Yalu", "go", "1950-10-19", ("cross",)),
)
SIGNALS = {  # colour, marker and word: the signal is never carried by colour alone
    "go": (PALETTE["bluish_green"], "^", "GO"),
    "wait": (PALETTE["orange"], "D", "WAIT"),
    "stop": (PALETTE["vermillion"], "s", "STOP"),
}
ROWS = ("go", "wait", "stop")


@dataclass(frozen=True)
class Outside:
    """A happening outside Beijing's decision, from outside the paper (context): found by its record id."""
    key: str
    label: str
    reach: str  # "to" (sent to Beijing), "from" (sent from Beijing) or "elsewhere"
    record: str


# What Beijing could know, day by day: the context records of 1-19 October, and how each stood to Beijing.
# Whether a message was addressed to or from Beijing is in the records; the "elsewhere" class says only that
# the records do not say when, or whether, Beijing heard of it that day.
OUTSIDE: tuple[Outside, ...] = (
    Outside("stalin_request", "Stalin asks Mao for five or six divisions", "to", "ev_ctx_stalin_request_oct1"),
    Outside("panikkar", "Zhou's warning through the Indian ambassador Panikkar", "from", "ev_ctx_zhou_panikkar"),
    Outside("un_vote", "UN General Assembly resolution on Korea", "elsewhere", "ev_ctx_un_resolution"),
    Outside("us_crossing", "US troops begin crossing the 38th parallel", "elsewhere", "ev_ctx_us_crosses_38th"),
    Outside("cable_4785", "Stalin and Zhou's Cable No. 4785: no Soviet air cover for now", "to", "ev_ctx_cable_4785"),
    Outside("wake", "Truman and MacArthur meet on Wake Island", "elsewhere", "ev_ctx_wake_island"),
    Outside("pyongyang", "The US Eighth Army takes Pyongyang", "elsewhere", "ev_ctx_pyongyang_falls"),
)
REACH = {  # marker and words: the reach is never carried by the marker alone
    "to": ("v", PALETTE["blue"], "sent to Beijing"),
    "from": ("^", PALETTE["reddish_purple"], "sent from Beijing"),
    "elsewhere": ("o", "#777777", "elsewhere; the records do not say when Beijing heard of it"),
}
#: Beside the paper's date of the Black Sea meeting: what the later documents suggest (context).
BLACK_SEA_NOTE = ("the paper's date; Cable No. 4785 of 11 October and Mao's reply of 12 October point to "
                  "10-11 October (context)")
OCTOBER = (pd.Timestamp("1950-10-01"), pd.Timestamp("1950-10-19"))


def _tint(colour: str, amount: float = 0.35) -> tuple[float, float, float]:
    """``colour`` mixed with white: an opaque fill, so nothing drawn behind it shows through."""
    r, g, b = to_rgb(colour)
    return (1 - amount + amount * r, 1 - amount + amount * g, 1 - amount + amount * b)


def _october_events(frame: pd.DataFrame) -> pd.DataFrame:
    """The events within 1-19 October (of the decision phase, where the data has one), with their
    label and their summary and evidence in lower case, for :func:`_find`."""
    cand = frame[(frame["kind"] == "event") & (frame["date_start"] >= OCTOBER[0]) & (frame["date_end"] <= OCTOBER[1])]
    if "decision" in list(frame["phase"].cat.categories):
        cand = cand[cand["phase"] == "decision"]
    lower = {c: cand[c].fillna("").astype(str).str.lower() for c in ("label", "summary", "evidence")}
    return cand.assign(_label=lower["label"], _text=lower["summary"] + "\n" + lower["evidence"],
                       _span=(cand["date_end"] - cand["date_start"]).dt.days)


def _find(step: Step, cand: pd.DataFrame):
    """The event of ``step``: on its day, its words in the label, else in the summary or evidence;
    the shortest such event, then the earliest."""
    day = pd.Timestamp(step.day)
    cand = cand[(cand["date_start"] <= day) & (cand["date_end"] >= day)]
    for col in ("_label", "_text"):
        found = cand[cand[col].map(lambda t: any(w in t for w in step.words)).astype(bool)]
        if len(found):
            return found.sort_values(["_span", "date_start", "id"]).iloc[0]
    return None


def calendar_steps() -> list[dict]:
    """The October steps found in the data: key, label, signal, record id, first and last day, wording."""
    cand = _october_events(records())
    out = []
    for step in STEPS:
        row = _find(step, cand)
        out.append({"key": step.key, "label": step.label, "signal": step.signal,
                    "id": None if row is None else row["id"],
                    "start": pd.Timestamp(step.day) if row is None else row["date_start"],
                    "end": pd.Timestamp(step.day) if row is None else row["date_end"],
                    "date_text": None if row is None else row["date_text"]})
    return out


def outside_steps() -> list[dict]:
    """The context records of :data:`OUTSIDE` found in the data, in date order: key, label, reach, id, day."""
    frame = records()
    by_id = frame.set_index("id")
    out = []
    for o in OUTSIDE:
        if o.record in by_id.index:
            row = by_id.loc[o.record]
            if OCTOBER[0] <= row["date_start"] and row["date_end"] <= OCTOBER[1]:
                out.append({"key": o.key, "label": o.label, "reach": o.reach, "id": o.record,
                            "start": row["date_start"], "end": row["date_end"], "date_text": row["date_text"]})
    return sorted(out, key=lambda s: (s["start"], [o.key for o in OUTSIDE].index(s["key"])))


def _when(s: dict) -> str:
    a, b = s["start"], s["end"]
    return f"{a.day} Oct" if a == b else f"{a.day}-{b.day} Oct"


def october_calendar() -> Picture:
    """1-19 October 1950, one column per day: the go / stop / wait steps, as a :class:`yalu.render.Picture`."""
    steps, outside = calendar_steps(), outside_steps()
    with matplotlib.rc_context(STYLE):
        fig, found = _draw(steps, outside)
    keys = [Key(n, f"{s['label']} ({SIGNALS[s['signal']][2]})"
                + (f"; {BLACK_SEA_NOTE}" if s["key"] == "black_sea" else ""), _when(s))
            for n, s in enumerate(found, start=1)]
    first = len(found) + 1
    keys += [Key(n, f"{o['label']} (context, {REACH[o['reach']][2]})", _when(o))
             for n, o in enumerate(outside, start=first)]
    summary = {"picture": "calendar", "drawn": len(found) + len(outside), "labelled": len(keys), "keyed": len(keys),
               "left_out": 0, "note": "", "lanes": ["outside"] + [SIGNALS[s][2] for s in ROWS], "lane_by": "signal",
               "start": f"{OCTOBER[0]:%Y-%m-%d}", "end": f"{OCTOBER[1]:%Y-%m-%d}"}
    return Picture(fig, _alt(steps, outside, first), keys=keys,
                   drawing={"steps": steps, "found": found, "outside": outside}, summary=summary)


def _draw(steps: list[dict], outside: list[dict]):
    first, last = OCTOBER
    days = pd.date_range(first, last, freq="D")
    width, height = WIDTH_IN, 3.4
    left = 0.75
    fig = new_figure(width, height)
    ax = fig.add_axes((left / width, 0.1 / height, 1 - (left + 0.1) / width, 1 - 0.85 / height))
    ax.set_xlim(0.5, len(days) + 0.5)
    ax.set_ylim(3.5, -1.6)
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_xticks(range(1, len(days) + 1), [f"{d.day}" for d in days])
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, pad=2)
    ax.set_yticks([-1, 0, 1, 2, 3], ["outside"] + [SIGNALS[s][2] for s in ROWS] + ["in force"], weight="bold")
    ax.tick_params(axis="y", length=0)
    ax.vlines([c + 0.5 for c in range(len(days) + 1)], 0, 1, transform=ax.get_xaxis_transform(), color="#DDDDDD",
              lw=0.6, zorder=0)
    ax.axhline(2.55, color="#999999", lw=0.6)
    ax.axhline(-0.5, color="#999999", lw=0.6)
    fig.text(0.1 / width, 1 - 0.06 / height, "October 1950, day by day: go, stop, go", ha="left", va="top",
             fontsize=FONT_PT + 2, weight="bold")

    found = [s for s in steps if s["id"] is not None]
    centres = []
    for n, st in enumerate(found, start=1):
        colour = SIGNALS[st["signal"]][0]
        y = ROWS.index(st["signal"])
        c0, c1 = st["start"].day, st["end"].day
        ax.add_patch(FancyBboxPatch((c0 - 0.4, y - 0.3), c1 - c0 + 0.8, 0.6, boxstyle="round,pad=0.02",
                                    facecolor=_tint(colour), edgecolor=colour, lw=1.4, zorder=2))
        ax.text((c0 + c1) / 2, y, str(n), ha="center", va="center", weight="bold", zorder=4)
        centres.append(((c0 + c1) / 2, y))
    if len(centres) > 1:
        xs, ys = zip(*centres, strict=True)
        ax.plot(xs, ys, color="#555555", lw=1.0, ls="--", zorder=1)  # behind the opaque boxes

    # Outside Beijing's decision (context), numbered after the steps; two on one day sit side by side.
    per_day: dict = {}
    for o in outside:
        per_day.setdefault(o["start"], []).append(o)
    number = len(found)
    outside_xy = {}
    for day in sorted(per_day):
        group = per_day[day]
        for i, o in enumerate(group):
            number += 1
            x = day.day + (i - (len(group) - 1) / 2) * 0.66
            marker, colour, _ = REACH[o["reach"]]
            ax.plot([x], [-0.85], marker=marker, markersize=7, color=colour, zorder=3, ls="none")
            ax.text(x, -1.25, str(number), ha="center", va="center", weight="bold", zorder=4)
            outside_xy[o["key"]] = (x, -0.85)
    # Mao's message of 2 October answered Stalin's request of 1 October: an arrow shows the reply.
    decision = next((n for n, s in enumerate(found) if s["key"] == "decision"), None)
    if "stalin_request" in outside_xy and decision is not None:
        ax.annotate("", xy=(centres[decision][0] - 0.1, centres[decision][1] - 0.3),
                    xytext=(outside_xy["stalin_request"][0] + 0.1, outside_xy["stalin_request"][1] + 0.12),
                    arrowprops={"arrowstyle": "->", "color": "#333333", "lw": 1.0}, zorder=3)

    # The signal in force each day: that of the latest step begun by that day (word, not only colour).
    for d in days:
        now = [s for s in found if s["start"] <= d]
        if now:
            colour, _, word = SIGNALS[now[-1]["signal"]]
            ax.add_patch(Rectangle((d.day - 0.5, 2.75), 1.0, 0.5, facecolor=_tint(colour, 0.55), lw=0, zorder=1))
            ax.text(d.day, 3.0, word[0], ha="center", va="center", weight="bold", zorder=2)
    return fig, found


def _alt(steps: list[dict], outside: list[dict] = (), first: int = 1) -> str:
    shown = [f"{_when(s)}: {s['label']} ({s['signal']})" for s in steps if s["id"] is not None]
    missing = [s["label"] for s in steps if s["id"] is None]
    if not shown:
        return "Calendar of 1 to 19 October 1950: none of the steps were found in the data."
    seq = [s["signal"] for s in steps if s["id"] is not None]
    squeezed = [x for i, x in enumerate(seq) if i == 0 or x != seq[i - 1]]
    text = (f"Calendar of 1 to 19 October 1950, one column per day, with rows for go, wait and stop and a row "
            f"for the signal in force. {len(shown)} numbered steps: " + "; ".join(shown) + ". "
            f"Sequence of signals: {' - '.join(squeezed)}.")
    if missing:
        text += f" Not found in the data: {', '.join(missing)}."
    if outside:
        text += (f" A row above, from outside the paper, shows {len(outside)} numbered happenings outside Beijing's "
                 "decision: " + "; ".join(f"{n}. {_when(o)}: {o['label']} ({REACH[o['reach']][2]})"
                                          for n, o in enumerate(outside, start=first)) + ".")
        if any(o["key"] == "stalin_request" for o in outside):
            text += " An arrow joins Stalin's request of 1 October to the decision step of 2 October, which answered it."
    return text
