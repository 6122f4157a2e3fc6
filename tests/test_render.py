"""yalu.render: text measured for layout never undershoots the renderer, and PNG resolution."""
import struct

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import FontProperties

from yalu import data, render
from yalu.render import SCREEN_DPI, WIDTH_IN, Picture, new_figure, text_height_px, text_width_px


def _every_short_text() -> list[str]:
    """Every one-line cell of the data package under 120 characters: labels, names, places."""
    texts = set()
    for name in data.table_names():
        frame = data.load(name)
        for col in frame.columns:
            texts.update(v for v in frame[col].tolist() if isinstance(v, str) and "\n" not in v and len(v) < 120)
    return sorted(texts)


@pytest.mark.parametrize("size, weight", [(9.0, "normal"), (9.0, "bold"), (11.0, "normal"), (11.0, "bold")])
def test_text_width_is_never_narrower_than_the_renderer_and_close_to_it(size, weight):
    texts = _every_short_text()
    assert len(texts) > 500
    renderer = FigureCanvasAgg(new_figure(1, 1)).get_renderer()
    prop = FontProperties(family=render.STYLE["font.family"], size=size, weight=weight)
    for text in texts:
        exact = renderer.get_text_width_height_descent(text, prop, ismath=False)[0]
        estimate = text_width_px(text, size, weight)
        assert estimate >= exact, (text, estimate, exact)  # a label given this room never overlaps
        assert estimate <= exact * 1.12 + 1, (text, estimate, exact)  # and wastes little room


@pytest.mark.parametrize("size, weight", [(9.0, "normal"), (9.0, "bold"), (11.0, "normal"), (11.0, "bold")])
def test_text_width_covers_kerning_that_widens_a_pair(size, weight):
    import random

    rng = random.Random(1950)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -–,.;:'’\"()[]/fFJTVWAYLPrvwy"
    # pairs DejaVu Sans kerns apart ("-J", "f’"): the sum of advances alone falls short on these
    texts = ["Pro-Japan, anti-Japan, non-Japan", "Chief’s", "f’f’f’f’", "Sino-Japanese", "-J-J-J-J"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(4, 60))) for _ in range(2000)]
    renderer = FigureCanvasAgg(new_figure(1, 1)).get_renderer()
    prop = FontProperties(family=render.STYLE["font.family"], size=size, weight=weight)
    for text in texts:
        exact = renderer.get_text_width_height_descent(text, prop, ismath=False)[0]
        assert text_width_px(text, size, weight) >= exact, text


def test_a_character_the_font_lacks_is_measured_by_the_renderer():
    # DejaVu Sans has no CJK glyphs: the sum of advances would be wrong, the renderer knows
    text = "Dandong 丹东"
    renderer = FigureCanvasAgg(new_figure(1, 1)).get_renderer()
    prop = FontProperties(family=render.STYLE["font.family"], size=render.FONT_PT)
    with pytest.warns(UserWarning, match="missing from font"):
        exact = renderer.get_text_width_height_descent(text, prop, ismath=False)[0]
    with pytest.warns(UserWarning, match="missing from font"):
        assert text_width_px(text) == pytest.approx(exact)


def test_text_height_is_that_of_a_line():
    assert 9 <= text_height_px() <= 14  # 9 pt at 100 px per inch, ascender to descender


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def test_pictures_are_png_at_png_dpi_shown_at_screen_size():
    fig = new_figure(WIDTH_IN, 2)
    fig.add_subplot().plot([1, 2], [2, 1])
    pic = Picture(fig, "A falling line.")
    assert _png_size(pic.png) == (round(WIDTH_IN * render.PNG_DPI), 2 * render.PNG_DPI)
    assert pic.width == round(WIDTH_IN * SCREEN_DPI)


def test_a_figure_measures_its_text_with_one_renderer():
    fig = new_figure(2, 1)
    text = fig.text(0.1, 0.5, "Yalu")
    text.get_window_extent()
    first = fig.canvas.get_renderer()
    text.get_window_extent()
    assert fig.canvas.get_renderer() is first
