"""yalu.charts: the footnote chart and the short list that replaces a long True/False table."""
import itertools

import pandas as pd
import pytest

from yalu import YaluError
from yalu.charts import footnote_ranges, footnote_status
from yalu.data import load
from yalu.render import PROJECTOR_COLUMN_PX, SCREEN_DPI, WIDTH_IN


def test_footnote_status_chart_draws_from_the_sources_table():
    pic = footnote_status(load("sources"))
    assert pic.alt.startswith("Horizontal bar chart of footnotes 1–109 of this copy")
    assert pic.html().startswith("<img alt=")
    pic.figure.draw_without_rendering()
    texts = [t for t in pic.figure.axes[0].texts] + list(pic.figure.texts)
    shown = SCREEN_DPI / 72 * PROJECTOR_COLUMN_PX / (WIDTH_IN * SCREEN_DPI)
    assert all(t.get_fontsize() * shown >= 11 for t in texts)
    boxes = [t.get_window_extent() for t in texts]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    with pytest.raises(YaluError):
        footnote_status(load("events"))


def test_footnote_ranges_is_a_short_list():
    sources = pd.DataFrame({"kind": ["footnote"] * 6 + ["paper"], "footnote": [1, 2, 3, 5, 6, 9, None],
                            "status": ["missing", "missing", "missing", "garbled", "missing", "present", "n/a"]})
    listing = footnote_ranges(sources)
    assert repr(listing) == "Missing (4): 1–3, 6\nGarbled (1): 5"
    assert listing._repr_html_() == '<ul class="yalu-footnotes"><li>Missing (4): 1–3, 6</li><li>Garbled (1): 5</li></ul>'
    assert "missing" in listing and "cut_off" not in listing
