"""Show a matplotlib figure in a notebook with alt text, deterministically.

Notebooks in this collection store their outputs, and strict nbval compares them,
so a figure must render to the same bytes every time. :func:`show` draws the
figure to PNG with no "Software" or date metadata, embeds it as base64 in an
``<img>`` element that carries the ``alt`` text (for screen readers), and closes
the figure so matplotlib's inline backend does not show it a second time.
"""
from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")  # no display needed; the notebooks embed PNGs themselves
import matplotlib.pyplot as plt  # noqa: E402

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


def png_bytes(fig, dpi: int = 100) -> bytes:
    """The figure as PNG bytes, identical from run to run (no timestamps, no software tag)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()


def img_html(png: bytes, alt: str) -> str:
    """An ``<img>`` element embedding ``png`` with the given alt text."""
    alt = " ".join(str(alt).split())
    if not alt:
        raise YaluError("a figure needs alt text: say the chart type, the axes and what it shows")
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{data}"/>'


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


def show(fig, alt: str, dpi: int = 100) -> Figure:
    """Render ``fig`` with alt text and close it; return the displayable :class:`Figure`.

    Put the call last in a cell (or pass the result to ``IPython.display.display``).
    """
    try:
        out = Figure(png_bytes(fig, dpi=dpi), alt)
    finally:
        plt.close(fig)
    return out
