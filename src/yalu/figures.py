"""Show any matplotlib figure in a notebook with alt text, deterministically.

(The timelines have their own :class:`yalu.timeline.Picture`, built on this module's
:data:`PALETTE` and :func:`img_html`; :func:`show` is for the other figures: the
theatre map and the charts of the evidence notebook. It renders with the same
:func:`yalu.timeline.png_bytes`.)

Notebooks in this collection store their outputs, and strict nbval compares them,
so a figure must render to the same bytes every time. :func:`show` draws the
figure to PNG with no "Software" or date metadata, embeds it as base64 in an
``<img>`` element that carries the ``alt`` text (for screen readers), and closes
the figure so matplotlib's inline backend does not show it a second time.
"""
from __future__ import annotations

import base64
import html

import matplotlib

matplotlib.use("Agg")  # no display needed; the notebooks embed PNGs themselves

from yalu.errors import YaluError  # noqa: E402

__all__ = ["PALETTE", "png_bytes", "img_html", "show", "Figure"]

#: Okabe-Ito colour-blind-safe palette (Okabe & Ito, "Color Universal Design", 2008).
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes, identical from run to run (no timestamps, no software tag).

    The same renderer as the timelines: :func:`yalu.timeline.png_bytes`.
    """
    from yalu.timeline import png_bytes as _png

    return _png(fig)


def img_html(png: bytes, alt: str, width: int | None = None) -> str:
    """An ``<img>`` element embedding ``png`` with the given alt text (and a display width in
    pixels, never wider than the page)."""
    alt = " ".join(str(alt).split())
    if not alt:
        raise YaluError("a figure needs alt text: say the chart type, the axes and what it shows")
    data = base64.b64encode(png).decode("ascii")
    size = f' width="{int(width)}" style="max-width:100%"' if width else ""
    return f'<img alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{data}"{size}/>'


class Figure:
    """A rendered figure: shows as an ``<img alt=...>`` in a notebook, as its alt text elsewhere."""

    def __init__(self, png: bytes, alt: str):
        self.png = png
        self.alt = " ".join(str(alt).split())
        self._html = img_html(png, alt)

    def _repr_html_(self) -> str:
        return self._html

    def __repr__(self) -> str:
        return f"[Figure: {self.alt}]"


def show(fig, alt: str) -> Figure:
    """Render ``fig`` with alt text and close it; return the displayable :class:`Figure`.

    Put the call last in a cell (or pass the result to ``IPython.display.display``).
    """
    import matplotlib.pyplot as plt  # only here: importing yalu.figures stays light

    try:
        out = Figure(png_bytes(fig), alt)
    finally:
        plt.close(fig)
    return out


_STATUS_ORDER = ["present", "cut_off", "garbled", "missing"]
_STATUS_COLOURS = {"present": PALETTE["bluish_green"], "cut_off": PALETTE["orange"],
                   "garbled": PALETTE["reddish_purple"], "missing": PALETTE["vermillion"]}
_STATUS_HATCH = {"present": "", "cut_off": "//", "garbled": "xx", "missing": ".."}


def footnote_status(sources) -> Figure:
    """Bar chart: how many of the paper's footnotes are present, cut off, garbled or missing in the extract.

    ``sources`` is ``load("sources")``; only rows of kind ``footnote`` count. Each
    bar is split into footnotes cited in the surviving text and those not cited.
    """
    import pandas as pd

    if "kind" not in sources.columns or "status" not in sources.columns:
        raise YaluError("footnote_status() takes the sources table: footnote_status(load('sources'))")
    notes = sources[sources["kind"].astype("string") == "footnote"]
    statuses = [s for s in _STATUS_ORDER if (notes["status"].astype("string") == s).any()]
    cited = notes["cited_in_extract"].fillna(False).astype(bool) if "cited_in_extract" in notes.columns else pd.Series(True, index=notes.index)
    counts = {s: (int(((notes["status"].astype("string") == s) & cited).sum()),
                  int(((notes["status"].astype("string") == s) & ~cited).sum())) for s in statuses}
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6))
    labels = [s.replace("_", " ") for s in statuses]
    yes = [counts[s][0] for s in statuses]
    no = [counts[s][1] for s in statuses]
    ax.barh(labels, yes, color=[_STATUS_COLOURS[s] for s in statuses], hatch=None, edgecolor="black",
            label="number cited in the surviving text")
    bars = ax.barh(labels, no, left=yes, color="white", edgecolor=[_STATUS_COLOURS[s] for s in statuses],
                   linewidth=1.5, label="not cited in the surviving text")
    for bar, s in zip(bars, statuses):
        bar.set_hatch(_STATUS_HATCH[s] or "--")
    for i, s in enumerate(statuses):
        ax.text(yes[i] + no[i] + 0.8, i, f"{yes[i] + no[i]}", va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("Number of footnotes")
    ax.set_ylabel("State of the footnote in the extract")
    ax.set_xlim(0, max(y + n for y, n in zip(yes, no)) * 1.15 + 1)
    ax.set_title(f"The paper's {len(notes)} footnotes in the extract", fontsize=11)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(facecolor="#999999", edgecolor="black", label="cited in the surviving text"),
                       Patch(facecolor="white", edgecolor="#555555", hatch="..", label="not cited in the surviving text")],
              loc="upper right", fontsize=8)
    fig.tight_layout()
    parts = [f"{s.replace('_', ' ')}: {yes[i] + no[i]} ({yes[i]} cited in the surviving text, {no[i]} not)"
             for i, s in enumerate(statuses)]
    alt = (f"Horizontal bar chart of the paper's {len(notes)} footnotes by their state in the extract "
           f"(vertical axis: present, cut off, garbled, missing; horizontal axis: number of footnotes). "
           f"Each bar is split into footnotes whose number is cited in the surviving text (solid) and those "
           f"not cited (hatched). " + "; ".join(parts) + ".")
    return show(fig, alt)
