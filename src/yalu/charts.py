"""Charts of the evidence itself: what survives of the paper's footnotes in this copy.

>>> from yalu.data import load
>>> pic = footnote_status(load("sources"))
>>> pic.alt.startswith("Horizontal bar chart")
True
>>> "missing" in footnote_ranges(load("sources"))
True
"""
from __future__ import annotations

import html

import matplotlib
import pandas as pd
from matplotlib.patches import Patch

from yalu.errors import YaluError
from yalu.render import PALETTE, STYLE, WIDTH_IN, Picture, new_figure

__all__ = ["footnote_status", "footnote_ranges", "FootnoteList"]

_STATUS_ORDER = ["present", "cut_off", "garbled", "missing"]
_STATUS_COLOURS = {"present": PALETTE["bluish_green"], "cut_off": PALETTE["orange"],
                   "garbled": PALETTE["reddish_purple"], "missing": PALETTE["vermillion"]}


def _footnotes(sources: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(sources, pd.DataFrame) or "kind" not in sources.columns or "status" not in sources.columns:
        raise YaluError("this chart takes the sources table: footnote_status(load('sources'))")
    return sources[sources["kind"].astype("string") == "footnote"]


def footnote_status(sources: pd.DataFrame) -> Picture:
    """Bar chart: how many of the paper's footnotes are present, cut off, garbled or missing in this copy,
    each bar split into footnotes cited in the surviving text (solid) and not cited (hatched)."""
    notes = _footnotes(sources)
    status = notes["status"].astype("string")
    statuses = [s for s in _STATUS_ORDER if (status == s).any()]
    cited = notes["cited_in_extract"].fillna(False).astype(bool)
    counts = {s: (int(((status == s) & cited).sum()), int(((status == s) & ~cited).sum())) for s in statuses}
    yes = [counts[s][0] for s in statuses]
    no = [counts[s][1] for s in statuses]
    labels = [s.replace("_", " ") for s in statuses]
    with matplotlib.rc_context(STYLE):
        fig = new_figure(WIDTH_IN, 3.4)
        ax = fig.add_axes((0.16, 0.3, 0.8, 0.58))
        ax.barh(labels, yes, color=[_STATUS_COLOURS[s] for s in statuses], edgecolor="black")
        ax.barh(labels, no, left=yes, color="white", edgecolor=[_STATUS_COLOURS[s] for s in statuses],
                linewidth=1.5, hatch="..")
        for i in range(len(statuses)):
            ax.text(yes[i] + no[i] + 0.8, i, f"{yes[i] + no[i]}", va="center")
        ax.invert_yaxis()
        ax.set_xlabel("Number of footnotes")
        ax.set_xlim(0, max(y + n for y, n in zip(yes, no, strict=True)) * 1.12 + 1)
        last = int(notes["footnote"].max())
        fig.text(0.02, 0.97, f"Footnotes 1–{last} of this copy", weight="bold",
                 fontsize=STYLE["font.size"] + 2, va="top")
        fig.legend(handles=[Patch(facecolor="#999999", edgecolor="black", label="cited in the surviving text"),
                            Patch(facecolor="white", edgecolor="#555555", hatch="..",
                                  label="not cited in the surviving text")],
                   loc="lower left", bbox_to_anchor=(0.02, 0.0), ncol=2, frameon=False)
    parts = [f"{s.replace('_', ' ')}: {yes[i] + no[i]} ({yes[i]} cited in the surviving text, {no[i]} not)"
             for i, s in enumerate(statuses)]
    alt = (f"Horizontal bar chart of footnotes 1–{last} of this copy by their state "
           f"(vertical axis: {', '.join(labels)}; horizontal axis: number of footnotes). Each bar is split into "
           f"footnotes whose number is cited in the surviving text (solid) and those not cited (dotted). "
           + "; ".join(parts) + ".")
    # every bar is named on the vertical axis and carries its count
    summary = {"picture": "chart", "drawn": len(statuses), "labelled": len(labels), "keyed": 0, "left_out": 0,
               "note": "", "lanes": labels, "lane_by": "state"}
    return Picture(fig, alt, summary=summary)


def _ranges(numbers: list[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` -> ``'1–3, 7, 9–10'``."""
    out, run = [], []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [n]
    if run:
        out.append(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(out)


class FootnoteList:
    """Footnote numbers by state, as a short list: shows as HTML in a notebook, as text elsewhere."""

    def __init__(self, groups: dict[str, list[int]]):
        self.groups = groups

    def lines(self) -> list[str]:
        return [f"{state.replace('_', ' ').capitalize()} ({len(ns)}): {_ranges(ns)}"
                for state, ns in self.groups.items() if ns]

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.lines())
        return f'<ul class="yalu-footnotes">{items}</ul>'

    def __repr__(self) -> str:
        return "\n".join(self.lines())

    def __contains__(self, state: str) -> bool:
        return bool(self.groups.get(state))


def footnote_ranges(sources: pd.DataFrame, states=("missing", "cut_off", "garbled")) -> FootnoteList:
    """The numbers of the footnotes in each state (e.g. missing: 1, 8–10, …), instead of a long table."""
    notes = _footnotes(sources)
    status = notes["status"].astype("string")
    return FootnoteList({s: [int(n) for n in notes.loc[status == s, "footnote"].dropna()] for s in states})
