"""yalu.timeline and yalu.widget: selection, filters, and what each figure draws.

Run against the small fixture data package in tests/fixtures/data (YALU_DATA), so the
numbers below are known. nbval never compares images: these tests assert on the
``fig.yalu`` description of each drawing and on the renderer's text extents.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "data"


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("YALU_DATA", str(FIXTURE))


@pytest.fixture
def tl():
    from yalu import timeline

    return timeline


def test_records_unifies_the_four_tables(tl):
    r = tl.records()
    assert len(r) == 12 + 4 + 2 + 5
    assert r["kind"].value_counts().to_dict() == {"event": 12, "communication": 5, "troop_movement": 4, "soviet_air": 2}
    assert list(r.columns) == tl.COLUMNS
    assert r["date_start"].is_monotonic_increasing
    assert (r["date_end"] >= r["date_start"]).all()
    # communications name their sender and recipients as actors
    com = r.set_index("id").loc["com_mao_gao_peng_1950_10_15"]
    assert com["actors"] == ["mao_zedong", "gao_gang", "peng_dehuai"]


def test_filter_by_phase_actor_kind(tl):
    r = tl.records()
    assert set(tl.filter_records(r, phase="leaning")["id"]) == {"tm_164_166_divisions", "tm_korean_soldiers_sent_back"}
    stalin = tl.filter_records(r, actor="stalin")
    assert set(stalin["id"]) == {"ev_treaty_signed", "ev_black_sea_meeting", "com_mao_stalin_1949_10_20",
                                 "com_mao_stalin_1950_10_02"}
    assert set(tl.filter_records(r, kind="soviet_air")["id"]) == {"air_umbrella_promise", "air_13_divisions"}
    assert len(tl.filter_records(r, kind=["events", "communications"])) == 17
    both = tl.filter_records(r, phase="decision", actor="zhou_enlai", kind="communication")
    assert list(both["id"]) == ["com_mao_zhou_1950_10_14"]


def test_select_keeps_overlapping_ranges(tl):
    r = tl.records()
    # "1949-07/1949-10" overlaps a range that only touches its last day
    ids = set(tl.select(r, "1949-10-31", "1949-10-31")["id"])
    assert ids == {"tm_korean_soldiers_sent_back"}
    ids = set(tl.select(r, "1950-10-12", "1950-10-12")["id"])
    assert ids == {"ev_halt", "tm_13th_corps_halted", "air_13_divisions"}
    assert len(tl.select(r, start="1950-10-01")) == 16
    assert len(tl.select(r, end="1949-12-31")) == 5
    assert tl.select(r, "1950-03-01", "1950-04-01").empty


@pytest.mark.parametrize("call, message", [
    (lambda tl: tl.records(phase="lean"), "no phase called 'lean'; the phases are: background, leaning"),
    (lambda tl: tl.records(actor="mao"), "no actor with the id 'mao'"),
    (lambda tl: tl.records(kind="telegram"), "no kind of record called 'telegram'"),
    (lambda tl: tl.records(start="1950-10-19", end="1950-10-01"), "ends (1 October 1950) before it starts"),
    (lambda tl: tl.records(start="yesterday"), "'yesterday' is not a date"),
    (lambda tl: tl.draw(tl.records(), lanes="colour"), "lanes must be one of phase, actor, kind"),
    (lambda tl: tl.detail("ev_nothing"), "no record with the id 'ev_nothing'"),
    (lambda tl: tl.explore(phase="korean", static=False), "no phase called 'korean'"),
])
def test_bad_input_is_a_clear_yalu_error(tl, call, message):
    from yalu import YaluError

    with pytest.raises(YaluError) as err:
        call(tl)
    assert message in str(err.value)


def test_timeline_draws_bars_points_and_lanes(tl):
    fig = tl.draw(tl.records())
    d = fig.yalu
    assert d.what == "timeline"
    assert (d.start, d.end) == (pd.Timestamp("1949-07-01"), pd.Timestamp("1950-12-31"))
    assert d.lanes == ["leaning", "treaty", "korea", "decision"]  # declared phase order, present phases only
    assert len(d.items) == 23 and len(d.record_ids) == 23
    shapes = {i.id: i.shape for i in d.items}
    assert shapes["tm_korean_soldiers_sent_back"] == "bar"   # 1949-07/1949-10
    assert shapes["ev_black_sea_meeting"] == "bar"           # 9-10 October
    assert shapes["air_13_divisions"] == "bar"               # 1950-10/1950-12
    assert shapes["ev_halt"] == "point"
    assert sum(s == "bar" for s in shapes.values()) == 6
    lane = {i.id: i.lane for i in d.items}
    assert lane["ev_treaty_signed"] == "treaty" and lane["ev_crossing"] == "decision"
    # the lanes do not interleave: each lane's rows form one block, in lane order
    blocks = [sorted({i.row for i in d.items if i.lane == ln}) for ln in d.lanes]
    flat = list(itertools.chain.from_iterable(blocks))
    assert flat == sorted(flat) and len(flat) == len(set(flat))
    # each lane packs its records into at most MAX_ROWS sub-rows
    assert all(len(b) <= tl.MAX_ROWS for b in blocks)
    # in a lane with room, no two bars of a sub-row overlap in time
    for row in {i.row for i in d.items}:
        bars = sorted((i.start, i.end) for i in d.items if i.row == row and i.shape == "bar")
        assert all(a[1] < b[0] for a, b in zip(bars, bars[1:]))


def test_timeline_lanes_by_actor_and_kind(tl):
    d = tl.draw(tl.records(phase="decision"), lanes="actor").yalu
    assert d.lanes[0] == "Mao Zedong"  # the actor with most records comes first
    assert "(no actor named)" in d.lanes
    assert [i.lane for i in d.items if i.id == "ev_black_sea_meeting"] == ["stalin", "zhou_enlai"]
    k = tl.draw(tl.records(), lanes="kind").yalu
    assert k.lanes == ["events", "troop movements", "Soviet air records", "communications"]
    assert {i.lane for i in k.items if i.kind == "soviet_air"} == {"soviet_air"}


def test_palette_is_okabe_ito_and_kind_is_not_colour_alone(tl):
    d = tl.draw(tl.records()).yalu
    palette = set(tl.OKABE_ITO.values())
    assert {i.color for i in d.items} <= palette
    markers = {k.marker for k in tl.KINDS.values()}
    hatches = {k.hatch for k in tl.KINDS.values()}
    assert len(markers) == len(tl.KINDS) and len(hatches) == len(tl.KINDS)
    for i in d.items:
        assert (i.color, i.marker, i.hatch) == (tl.KINDS[i.kind].color, tl.KINDS[i.kind].marker, tl.KINDS[i.kind].hatch)
    cal = tl.october_calendar().drawing
    assert {i.color for i in cal.items} <= palette
    assert len({tl.SIGNALS[s][1] for s in tl.SIGNALS}) == 3 and len({tl.SIGNALS[s][2] for s in tl.SIGNALS}) == 3


def _boxes(fig, labels):
    renderer = fig.canvas.get_renderer()
    return [t.artist.get_window_extent(renderer) for t in labels]


@pytest.mark.parametrize("kwargs", [{}, {"phase": "decision"}, {"start": "1950-10-01", "end": "1950-10-19"},
                                    {"lanes": "actor"}, {"start": "1949-06-01", "end": "1950-01-01"}])
def test_labels_never_overlap_and_stay_readable(tl, kwargs):
    lanes = kwargs.pop("lanes", "phase")
    phase = kwargs.pop("phase", None)
    fig = tl.draw(tl.records(phase=phase), lanes=lanes, **kwargs)
    tl.png_bytes(fig)  # draw it, as the reader sees it
    labels = fig.yalu.labels
    assert labels, "something is labelled"
    boxes = _boxes(fig, labels)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), "two labels overlap"
    fig_box = fig.bbox
    for box, label in zip(boxes, labels):
        assert label.artist.get_fontsize() >= 8
        assert fig_box.x0 <= box.x0 and box.x1 <= fig_box.x1, f"{label.text!r} runs off the figure"
        assert label.artist.get_text() == label.text and label.artist.get_visible()


def test_zooming_in_labels_more(tl):
    wide = tl.draw(tl.records()).yalu
    d = tl.draw(tl.records(), "1950-10-01", "1950-10-19").yalu
    october = [lab for lab in wide.labels if lab.id in d.record_ids]
    assert len(d.labels) > len(october)
    assert len(d.labels) >= 0.85 * len(d.record_ids)
    assert len(set(lab.id for lab in d.labels)) == len(d.labels)  # a record is labelled once


def test_alt_text_is_generated_from_what_is_drawn(tl):
    d = tl.draw(tl.records(phase="treaty")).yalu
    assert d.alt_text == (
        "Timeline of 4 records from 1 October 1949 to 14 February 1950: 3 events, 1 communication. "
        "1 lane by phase (treaty). 0 drawn as bars (ranged or uncertain dates), 4 as points (exact days); "
        f"{len(d.labels)} labelled. Each kind has its own colour and marker shape.")
    empty = tl.draw(tl.records(), "1950-03-01", "1950-04-01").yalu
    assert empty.items == [] and "no records in this range" in empty.alt_text


def test_picture_is_deterministic_png_with_alt(tl):
    a, b = tl.picture(phase="decision"), tl.picture(phase="decision")
    assert a.png == b.png and a.png.startswith(b"\x89PNG")
    assert b"Software" not in a.png and b"tIME" not in a.png
    bundle = a._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert 'alt="Timeline of 16 records' in bundle["text/html"]
    assert "0x" not in bundle["text/plain"]


def test_october_calendar_go_stop_go(tl):
    pic = tl.october_calendar()
    d = pic.drawing
    steps = d.extra["steps"]
    assert [s["id"] for s in steps] == ["ev_decision_to_send_troops", "ev_order_to_enter", "ev_black_sea_meeting",
                                        "ev_halt", "ev_decision_to_go_on", "ev_wavering", "ev_crossing"]
    assert d.extra["sequence"] == ["go", "go", "wait", "stop", "go", "wait", "go"]
    assert d.extra["missing"] == []
    # one column per day: each step sits in the column(s) of its days, in its signal's row
    for item, step in zip(d.items, steps):
        assert item.row == tl.SIGNAL_ROWS.index(step["signal"])
        assert (item.start.day, item.end.day) == (step["start"].day, step["end"].day)
    assert [(i.start.day, i.end.day) for i in d.items] == [(1, 2), (8, 8), (9, 10), (12, 12), (13, 13), (17, 17), (19, 19)]
    assert "Sequence of signals: go - wait - stop - go - wait - go." in pic.alt_text
    assert "12 Oct: Halt (stop)" in pic.alt_text
    boxes = _boxes(pic.figure, d.labels)
    assert len(boxes) == 7
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_calendar_reports_a_step_missing_from_the_data(tl, monkeypatch):
    frame = tl._all()
    monkeypatch.setattr(tl, "_all", lambda: frame[frame["id"] != "ev_wavering"])
    d = tl.october_calendar().drawing
    assert d.extra["missing"] == ["Mao wavers"]
    assert "Not found in the data: Mao wavers." in d.alt_text


def test_detail_footnote_context_and_evidence(tl):
    d = tl.detail("com_mao_zhou_1950_10_14")
    assert d["date_text"] == "on 14 October" and d["edtf"] == "1950-10-14"
    assert d["citation"] == "Footnote 102: Mao Zedong to Zhou Enlai, 14 October 1950, Mao Zedong wengao, I, 558-559."
    assert d["evidence"] == "Mao telegraphed Zhou on 14 October"
    assert "the footnote's text is missing from the extract" in tl.detail("ev_halt")["citation"]
    assert tl.detail("ev_crossing")["citation"] == "Chen Jian (1992), in the paper's text (no footnote)."
    ctx = tl.detail("ev_treaty_signed")
    assert ctx["citation"].startswith("Context from outside the paper: Foreign Relations of the United States")
    assert ctx["url"] == "https://history.state.gov/historicaldocuments/frus1950v06/d157"
    h = tl.detail_html("ev_treaty_signed")
    assert 'href="https://history.state.gov/historicaldocuments/frus1950v06/d157"' in h
    assert "outside the paper" in h
    h = tl.detail_html("ev_black_sea_meeting")
    assert "1950-10-09/1950-10-10" in h and "Zhou met Stalin at a villa on the Black Sea" in h


# ----------------------------------------------------------------------------- the widget

@pytest.fixture
def explorer(tl):
    from yalu.widget import Explorer

    return Explorer()


def test_explorer_starts_with_everything(explorer):
    assert explorer.range() == (pd.Timestamp("1949-07-01"), pd.Timestamp("1950-12-31"))
    assert len(explorer.shown) == 23 and len(explorer.listing.options) == 23
    assert bytes(explorer.image.value).startswith(b"\x89PNG")
    assert "23 records in view" in explorer.status.value
    assert "0x" not in repr(explorer)
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Timeline explorer: 23 records")
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_slider_redraws_through_widget_state(explorer):
    before = explorer.image.value
    explorer.set_range("1950-10-01", "1950-10-19")
    assert bytes(explorer.image.value) != bytes(before)
    assert explorer.drawing.start == pd.Timestamp("1950-10-01")
    assert len(explorer.shown) == 16
    assert explorer.status.value.startswith("<b>16 records in view</b>")
    assert "Timeline of 16 records from 1 October 1950 to 19 October 1950" in explorer.caption.value
    explorer.slider.index = (0, 0)  # as a reader dragging the handles: 1 July 1949
    assert set(explorer.shown["id"]) == {"tm_164_166_divisions", "tm_korean_soldiers_sent_back"}


def test_filters_and_empty_range(explorer):
    explorer.kind.value = "communication"
    assert set(explorer.shown["kind"]) == {"communication"} and len(explorer.shown) == 5
    explorer.phase.value = "decision"
    assert len(explorer.shown) == 4
    explorer.actor.value = "stalin"
    assert list(explorer.shown["id"]) == ["com_mao_stalin_1950_10_02"]
    explorer.set_range("1950-03-01", "1950-04-01")
    assert explorer.shown.empty and explorer.listing.options == ()
    assert "No records in this range." in explorer.status.value
    assert "No records in this range" in explorer.detail.value
    assert "no records in this range" in explorer.drawing.alt_text


def test_picking_a_record_fills_the_detail_panel(explorer):
    explorer.pick("ev_halt")
    assert 'data-record="ev_halt"' in explorer.detail.value
    assert "on the evening of 12 October" in explorer.detail.value
    # the pick survives a redraw that keeps the record, and is cleared by one that drops it
    explorer.set_range("1950-10-01", "1950-10-19")
    assert explorer.listing.value == "ev_halt"
    explorer.set_range("1949-07-01", "1949-12-31")
    assert explorer.listing.value is None and "Pick a record" in explorer.detail.value


def test_explore_starting_filters(tl):
    ex = tl.explore(phase="leaning", static=False)
    assert ex.phase.value == "leaning"
    assert ex.range() == (pd.Timestamp("1949-07-01"), pd.Timestamp("1949-10-31"))
    assert set(ex.shown["phase"]) == {"leaning"}
    ex = tl.explore(kind="events", start="1950-10-01", end="1950-10-19", static=False)
    assert ex.kind.value == "event" and len(ex.shown) == 8


def test_benchmark_function_returns_numbers():
    import importlib.util

    spec = importlib.util.spec_from_file_location("redraw", Path(__file__).parents[1] / "bench" / "redraw.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    r = mod.measure_redraw(n=3)
    assert r["moves"] == 3 and len(r["samples_ms"]) == 3 and 0 < r["median_ms"] <= r["p95_ms"] + 1e-9


@pytest.mark.parametrize("start,end,text", [
    ("1950-10-14", "1950-10-14", "14 Oct 1950"),
    ("1950-10-01", "1950-10-31", "Oct 1950"),
    ("1949-01-01", "1949-12-31", "1949"),
    ("1949-07-01", "1949-10-31", "Jul 1949 - Oct 1949"),
    ("1949-01-30", "1949-02-07", "30 Jan 1949 - 7 Feb 1949"),
    ("1950-10-01", "1950-10-02", "1 Oct 1950 - 2 Oct 1950"),
])
def test_span_text_keeps_vague_dates_as_ranges(tl, start, end, text):
    assert tl.span_text(pd.Timestamp(start), pd.Timestamp(end)) == text


def test_the_list_shows_each_records_dates_as_a_range(tl, explorer):
    labels = dict((rid, label) for label, rid in explorer.listing.options)
    for _, row in explorer.shown.iterrows():
        assert labels[row["id"]].startswith(tl.span_text(row["date_start"], row["date_end"]) + " | ")
