"""yalu.timeline and yalu.calendar: what each static figure draws, and that it reads on a projector.

Run against the fixture data package (YALU_DATA). nbval never compares images: these tests assert
on each drawing's description and on the text extents matplotlib reports.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

from yalu import YaluError
from yalu.calendar import ROWS, SIGNALS, calendar_steps, october_calendar
from yalu.records import KINDS, records
from yalu.render import PALETTE, PROJECTOR_COLUMN_PX, SCREEN_DPI, WIDTH_IN
from yalu.timeline import KIND_STYLE, MAX_ROWS, draw, picture

FIXTURE = Path(__file__).parent / "fixtures" / "data"
MIN_PX = 11  # body text as displayed on a 1024-px projector with the side panel open
SHOWN = SCREEN_DPI / 72 * PROJECTOR_COLUMN_PX / (WIDTH_IN * SCREEN_DPI)  # px on screen per point


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("YALU_DATA", str(FIXTURE))


def test_timeline_draws_bars_points_and_lanes():
    fig, d = draw(records())
    assert (d.start, d.end) == (pd.Timestamp("1949-07-01"), pd.Timestamp("1950-12-31"))
    assert d.lanes == ["Leaning", "Treaty", "Korea", "Decision"]  # declared phase order, present phases only
    # 16 records in 19 days of October 1950 need more than 12 rows for their names: 2 are left out, and said
    assert len(d.items) == 21 and len(d.record_ids) == 21 and d.left_out == {"communication": 2}
    assert d.note == "2 more in the explorer: filter Communications."
    assert len(d.labels) == len(d.items), "every mark drawn is named"
    shapes = {i.id: i.shape for i in d.items}
    assert shapes["tm_korean_soldiers_sent_back"] == "bar"   # 1949-07/1949-10
    assert shapes["ev_black_sea_meeting"] == "bar"           # 9-10 October
    assert shapes["ev_halt"] == "point"
    blocks = [sorted({i.row for i in d.items if i.lane == ln}) for ln in ("leaning", "treaty", "korea", "decision")]
    flat = list(itertools.chain.from_iterable(blocks))
    assert flat == sorted(flat) and len(flat) == len(set(flat)), "lanes do not interleave"
    assert all(len(b) <= MAX_ROWS for b in blocks)


def test_lanes_by_capital_and_kind_as_in_the_explorer():
    _, d = draw(records(phase="decision"), lanes="actor")  # the explorer's name for lanes by capital
    _, c = draw(records(phase="decision"), lanes="capital")
    assert d.lanes == c.lanes and d.lane_by == "capital"
    assert d.lanes[0] == "Beijing" and set(d.lanes) <= {"Beijing", "Moscow", "Pyongyang", "No one named"}
    assert [i.lane for i in d.items if i.id == "ev_black_sea_meeting"] == ["Beijing"]  # Zhou is named first
    _, k = draw(records(), lanes="kind")
    assert k.lanes == ["Event", "Troop movement", "Soviet air record", "Communication"]
    with pytest.raises(YaluError, match="lanes must be one of capital, kind, phase"):
        draw(records(), lanes="colour")


def test_kind_is_never_colour_alone_and_the_palette_is_okabe_ito():
    assert {s.color for s in KIND_STYLE.values()} <= set(PALETTE.values())
    assert len({s.marker for s in KIND_STYLE.values()}) == len(KINDS)
    assert len({s.hatch for s in KIND_STYLE.values()}) == len(KINDS)
    assert len({SIGNALS[s][1] for s in SIGNALS}) == 3 and len({SIGNALS[s][2] for s in SIGNALS}) == 3


def test_legend_swatches_match_what_is_drawn():
    fig, d = draw(records())
    handles = {t.get_text(): h for h, t in zip(fig.legends[0].legend_handles, fig.legends[0].get_texts(), strict=True)}
    for kind, st in KIND_STYLE.items():
        h = handles[KINDS[kind].plural]
        assert (h.get_hatch() or "") == st.hatch
        assert tuple(round(c, 3) for c in h.get_edgecolor()[:3]) == tuple(
            round(int(st.color[i:i + 2], 16) / 255, 3) for i in (1, 3, 5))
    drawn = {(c.get_hatch() or "", tuple(round(x, 3) for x in c.get_edgecolor()[0][:3]))
             for c in fig.axes[0].collections if len(c.get_paths())}
    legend = {(h.get_hatch() or "", tuple(round(x, 3) for x in h.get_edgecolor()[:3])) for h in handles.values()
              if hasattr(h, "get_hatch")}
    assert drawn and drawn <= legend, "every drawn bar style has its swatch"


def _text_boxes(fig, artists):
    fig.draw_without_rendering()
    return [a.get_window_extent() for a in artists]


@pytest.mark.parametrize("kwargs", [{}, {"phase": "decision"}, {"start": "1950-10-01", "end": "1950-10-19"},
                                    {"lanes": "actor"}, {"start": "1949-06-01", "end": "1950-01-01"}])
def test_labels_are_whole_never_overlap_and_are_readable(kwargs):
    lanes = kwargs.pop("lanes", "phase")
    phase = kwargs.pop("phase", None)
    fig, d = draw(records(phase=phase), lanes=lanes, **kwargs)
    assert d.labels, "something is labelled"
    boxes = _text_boxes(fig, [lab.artist for lab in d.labels])
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), "two labels overlap"
    for box, lab in zip(boxes, d.labels, strict=True):
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, f"{lab.text!r} runs off the figure"
        shown = lab.artist.get_text()
        assert shown == lab.text or (lab.keyed and shown.isdigit()), "a label is whole or a key number"
        assert "…" not in shown
        assert lab.artist.get_fontsize() * SHOWN >= MIN_PX
    keyed = [lab for lab in d.labels if lab.keyed]
    assert [k.number for k in d.keys] == list(range(1, len(keyed) + 1))
    assert fig.get_figwidth() <= WIDTH_IN


def test_keys_are_listed_under_the_picture():
    pic = picture(start="1950-10-01", end="1950-10-19", width=3.0)  # narrow: labels must become keys
    assert pic.keys, "a narrow picture keys its labels"
    html = pic.html()
    for k in pic.keys:
        assert f'<li value="{k.number}">' in html and k.text in html


def test_alt_text_lists_the_labelled_records_in_date_order():
    _, d = draw(records(phase="treaty"))
    assert d.alt.startswith("Timeline of 4 records from 1 October 1949 to 14 February 1950: 3 events, "
                            "1 communication, in 1 lane by phase (Treaty). 4 drawn")
    assert "every mark drawn is named, 4 by its label and 0 by a key number" in d.alt
    listed = d.alt.split("In date order: ")[1]
    by_id = {i.id: i for i in d.items}
    order = sorted(d.labels, key=lambda lab: by_id[lab.id].start)
    assert listed.index(order[0].text) < listed.index(order[-1].text)
    _, empty = draw(records(), "1950-03-01", "1950-04-01")
    assert empty.items == [] and "no records in this range" in empty.alt


def test_picture_is_deterministic_png_with_alt():
    a, b = picture(phase="decision"), picture(phase="decision")
    assert a.png == b.png and a.png.startswith(b"\x89PNG")
    assert b"Software" not in a.png and b"tIME" not in a.png
    bundle, meta = a._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert meta["yalu"]["drawn"] == meta["yalu"]["labelled"] == len(a.drawing.items)
    assert 'alt="Timeline of 16 records' in bundle["text/html"]


def test_october_calendar_go_stop_go():
    pic = october_calendar()
    found = pic.drawing["found"]
    assert [s["id"] for s in found] == ["ev_decision_to_send_troops", "ev_order_to_enter", "ev_black_sea_meeting",
                                        "ev_halt", "ev_decision_to_go_on", "ev_wavering", "ev_crossing"]
    assert [s["signal"] for s in found] == ["go", "go", "wait", "stop", "go", "wait", "go"]
    missing = [s["label"] for s in calendar_steps() if s["id"] is None]
    assert missing == ["Advance units told to cross by 17 October", "A regiment of the 42nd Army enters Korea"]
    assert "Sequence of signals: go - wait - stop - go - wait - go." in pic.alt
    assert "12 Oct: Halt: troops told to stop (stop)" in pic.alt
    assert "Not found in the data: Advance units told to cross by 17 October" in pic.alt
    assert [k.number for k in pic.keys] == list(range(1, 8))
    assert pic.keys[3].text == "Halt: troops told to stop (STOP)" and pic.keys[3].when == "12 Oct"


def test_calendar_numbers_do_not_overlap_and_the_line_passes_behind_the_boxes():
    pic = october_calendar()
    ax = pic.figure.axes[0]
    numbers = [t for t in ax.texts if t.get_text().isdigit()]
    boxes = _text_boxes(pic.figure, numbers)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    (line,) = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    patches = [p for p in ax.patches if p.get_zorder() == 2]
    assert line.get_zorder() < min(p.get_zorder() for p in patches) < min(t.get_zorder() for t in numbers)
    assert all(p.get_facecolor()[3] == 1.0 for p in patches), "boxes are opaque, so the line never crosses a number"
    for t in numbers:
        assert t.get_fontsize() * SHOWN >= MIN_PX
    assert [t.get_text() for t in ax.get_yticklabels()][:4] == ["outside"] + [SIGNALS[s][2] for s in ROWS]


def test_a_short_overview_keys_its_labels_in_date_order():
    tall = picture(start="1949-01-01", end="1950-12-31")
    short = picture(start="1949-01-01", end="1950-12-31", max_rows=1, width=4.0)
    assert short.figure.get_figheight() < tall.figure.get_figheight()
    by_id = {i.id: i for i in short.drawing.items}
    keyed = sorted((lab for lab in short.drawing.labels if lab.keyed), key=lambda lab: int(lab.artist.get_text()))
    assert len(keyed) >= 2, "a narrow overview keys some labels"
    starts = [by_id[lab.id].start for lab in keyed]
    assert starts == sorted(starts), "key numbers follow the dates"
    with pytest.raises(YaluError, match="max_rows must be a whole number"):
        picture(max_rows=0)
