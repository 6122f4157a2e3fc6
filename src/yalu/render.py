"""How every figure of the collection looks and reaches the page: palette, style, PNG, alt text.

Figures are drawn on an explicit :class:`matplotlib.figure.Figure` (never through pyplot, and
never by changing the backend, so a student's own plots still display inline) and shown as a
:class:`Picture`: deterministic PNG bytes with alt text, displayed as ``<img alt=...>`` so that
the stored notebook shows it where no kernel runs, plus any key of labels as real text below.

Sizes are set for a 1024-px projector with JupyterLab's side panel open: a figure is at most
:data:`WIDTH_IN` inches wide and shown at :data:`SCREEN_DPI` pixels per inch (scaled down to
:data:`PROJECTOR_COLUMN_PX` there), so the body text of :data:`STYLE` (9 pt) is at least 11 px
on screen; the PNG holds :data:`PNG_DPI` for sharp zooming.

>>> from matplotlib.figure import Figure
>>> fig = Figure(figsize=(2, 1))
>>> _ = fig.add_subplot().plot([1, 2], [2, 1])
>>> pic = Picture(fig, "A line falling from 2 to 1.")
>>> pic.png[:4] == b"\\x89PNG", png_bytes(fig) == pic.png
(True, True)
"""
from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass, field
from functools import lru_cache

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg, get_hinting_flag
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import Kerning

from yalu.errors import YaluError

__all__ = ["PALETTE", "STYLE", "WIDTH_IN", "SCREEN_DPI", "PNG_DPI", "FONT_PT", "PROJECTOR_COLUMN_PX", "Picture", "Key",
           "new_figure", "png_bytes", "img_html", "text_width_px", "text_height_px"]

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
FONT_PT = 9.0
WIDTH_IN = 6.4      # 640 px on screen: fits the notebook column of a 1024-px window with the side panel open
SCREEN_DPI = 100    # pixels per inch as shown (the <img> width)
PNG_DPI = 150       # pixels per inch in the PNG (sharper when zoomed)
#: The notebook's output column at 1024x768 with the file browser open, in JupyterLab 4.6
#: (measured with Chromium): a 640-px figure is shown 572 px wide there, so 9 pt is 11.2 px.
PROJECTOR_COLUMN_PX = 572
STYLE = {"font.size": FONT_PT, "font.family": "DejaVu Sans", "axes.unicode_minus": False,
         "axes.titlesize": FONT_PT + 2, "axes.labelsize": FONT_PT, "xtick.labelsize": FONT_PT,
         "ytick.labelsize": FONT_PT, "legend.fontsize": FONT_PT, "hatch.linewidth": 0.8}


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches, not registered with pyplot (nothing shows it twice).

    It has its own Agg canvas, so measuring its artists (``get_window_extent``) reuses one renderer
    instead of making a new one, the size of the whole figure, at every call."""
    fig = Figure(figsize=(width, height), dpi=SCREEN_DPI, layout=None)
    FigureCanvasAgg(fig)
    return fig


def _prop(size: float, weight: str) -> FontProperties:
    return FontProperties(family=STYLE["font.family"], size=size, weight=weight)


@lru_cache(maxsize=1)
def _renderer():
    return FigureCanvasAgg(Figure(figsize=(1, 1), dpi=SCREEN_DPI)).get_renderer()


@lru_cache(maxsize=1024)
def _measured(text: str, size: float, weight: str) -> tuple[float, float]:
    w, h, _ = _renderer().get_text_width_height_descent(text, _prop(size, weight), ismath=False)
    return w, h


@lru_cache(maxsize=8)
def _metrics(size: float, weight: str) -> tuple[dict, dict]:
    """Per character (hinted advance in px, glyph index), and per pair of glyph indices the kerning
    that widens them (px): filled as text is measured, for one size and weight."""
    return {}, {}


def _sized_font(size: float, weight: str):
    """The collection's font at ``size`` points and screen resolution (matplotlib keeps one per thread)."""
    font = get_font(findfont(_prop(size, weight)))
    font.clear()
    font.set_size(size, SCREEN_DPI)
    return font


def text_width_px(text: str, size: float = FONT_PT, weight: str = "normal") -> float:
    """Width in screen pixels of one line of ``text`` in the collection's font at ``size`` points.

    The sum of each character's hinted advance and of the kerning that widens a pair (kerning
    that narrows one is left out), plus 1 px: never narrower than the renderer's measure, and
    at most a few percent wider, at a small part of its cost. Text of three characters or fewer
    (a key number) and text with a character the font lacks are measured by the renderer, exactly.

    >>> text_width_px("Mao") >= text_height_px()
    True
    """
    if len(text) <= 3:
        return _measured(text, size, weight)[0]
    chars, pairs = _metrics(size, weight)
    width, previous = 1.0, None
    for ch in text:
        known = chars.get(ch)
        if known is None:  # a character not met before at this size: ask the font
            font = _sized_font(size, weight)
            index = font.get_char_index(ord(ch))
            if not index:
                return _measured(text, size, weight)[0]
            known = chars[ch] = (font.load_char(ord(ch), flags=get_hinting_flag()).horiAdvance / 64, index)
        advance, index = known
        if previous is not None:
            kern = pairs.get((previous, index))
            if kern is None:
                kern = pairs[(previous, index)] = max(
                    0.0, _sized_font(size, weight).get_kerning(previous, index, Kerning.UNFITTED) / 64)
            width += kern
        width += advance
        previous = index
    return width


def text_height_px(size: float = FONT_PT, weight: str = "normal") -> float:
    """Height in screen pixels of a line of text (ascender to descender) at ``size`` points."""
    return _measured("Ag", size, weight)[1]


def png_bytes(fig: Figure, dpi: float = PNG_DPI) -> bytes:
    """PNG bytes of ``fig``, identical for identical figures (fixed dpi, no Software or date metadata)."""
    buf = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None}, facecolor="white")
    return buf.getvalue()


def img_html(png: bytes, alt: str, width: int | None = None) -> str:
    """An ``<img>`` element embedding ``png`` with alt text, ``width`` CSS pixels wide at most."""
    alt = " ".join(str(alt).split())
    if not alt:
        raise YaluError("a figure needs alt text: say the chart type, the axes and what it shows")
    payload = base64.b64encode(png).decode("ascii")
    size = f' width="{int(width)}" style="max-width:100%;height:auto"' if width else ""
    return f'<img alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{payload}"{size}/>'


@dataclass(frozen=True)
class Key:
    """A label too long for its place in a figure: drawn as ``number``, listed in full below."""
    number: int
    text: str
    when: str = ""


@dataclass
class Picture:
    """A drawn figure: PNG bytes with alt text, and a key of numbered labels listed under it.

    Shows as ``<img alt=...>`` (plus the key as a list) in a notebook, as its alt text elsewhere.
    ``drawing`` describes what was drawn (for tests and captions), where the drawer gives one;
    ``summary`` says how many marks it draws and names (``drawn``, ``labelled``, ``left_out`` and
    where to see those, ``lanes``), and is stored in the output's metadata under ``yalu``, so a test
    can walk the pictures of a stored notebook.
    """
    figure: Figure = field(repr=False)
    alt: str
    keys: list[Key] = field(default_factory=list)
    drawing: object = field(default=None, repr=False)
    summary: dict | None = None

    def __post_init__(self):
        self.alt = " ".join(str(self.alt).split())
        self.png = png_bytes(self.figure)
        self.width = int(round(self.figure.get_figwidth() * SCREEN_DPI))

    def html(self) -> str:
        out = img_html(self.png, self.alt, width=self.width)
        if self.keys:
            items = "".join(f'<li value="{k.number}">{html.escape(k.text)}'
                            + (f" ({html.escape(k.when)})" if k.when else "") + "</li>" for k in self.keys)
            out += (f'<div class="yalu-key" style="max-width:{self.width}px"><p style="margin:0.3em 0 0">'
                    f"<b>Key to the numbers in the figure</b></p><ol style=\"margin-top:0.2em\">{items}</ol></div>")
        return out

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/html": self.html(), "text/plain": self.alt}
        return (bundle, {"yalu": self.summary}) if self.summary else bundle

    def __repr__(self) -> str:
        return self.alt
