"""yalu.records, yalu.dates and yalu.citations: one table of dated records, filters, detail, sources.

Run against the small fixture data package in tests/fixtures/data (YALU_DATA), so the numbers are known.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from yalu import YaluError
from yalu.citations import cite, citer, link_text
from yalu.dates import day_range, span_text
from yalu.records import COLUMNS, detail, filter_records, records, select

FIXTURE = Path(__file__).parent / "fixtures" / "data"


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch):
    monkeypatch.setenv("YALU_DATA", str(FIXTURE))


def test_records_unifies_the_four_tables():
    r = records()
    assert len(r) == 12 + 4 + 2 + 5
    assert r["kind"].value_counts().to_dict() == {"event": 12, "communication": 5, "troop_movement": 4, "soviet_air": 2}
    assert list(r.columns) == COLUMNS
    assert r["date_start"].is_monotonic_increasing
    assert (r["date_end"] >= r["date_start"]).all()
    com = r.set_index("id").loc["com_mao_gao_peng_1950_10_15"]
    assert com["actors"] == ["mao_zedong", "gao_gang", "peng_dehuai"]
    assert not r["label"].str.contains("…").any(), "labels are kept in full"


def test_filter_by_phase_actor_kind():
    r = records()
    assert set(filter_records(r, phase="leaning")["id"]) == {"tm_164_166_divisions", "tm_korean_soldiers_sent_back"}
    stalin = filter_records(r, actor="stalin")
    assert set(stalin["id"]) == {"ev_treaty_signed", "ev_black_sea_meeting", "com_mao_stalin_1949_10_20",
                                 "com_mao_stalin_1950_10_02"}
    assert set(filter_records(r, kind="soviet_air")["id"]) == {"air_umbrella_promise", "air_13_divisions"}
    assert len(filter_records(r, kind=["events", "communications"])) == 17
    both = filter_records(r, phase="decision", actor="zhou_enlai", kind="communication")
    assert list(both["id"]) == ["com_mao_zhou_1950_10_14"]


def test_select_keeps_overlapping_ranges():
    r = records()
    assert set(select(r, "1949-10-31", "1949-10-31")["id"]) == {"tm_korean_soldiers_sent_back"}
    assert set(select(r, "1950-10-12", "1950-10-12")["id"]) == {"ev_halt", "tm_13th_corps_halted", "air_13_divisions"}
    assert len(select(r, start="1950-10-01")) == 16
    assert len(select(r, end="1949-12-31")) == 5
    assert select(r, "1950-03-01", "1950-04-01").empty


@pytest.mark.parametrize("call, message", [
    (lambda: records(phase="lean"), "no phase called 'lean'; the phases are: background, leaning"),
    (lambda: records(actor="mao"), "no actor with the id 'mao'"),
    (lambda: records(kind="telegram"), "no kind of record called 'telegram'"),
    (lambda: records(start="1950-10-19", end="1950-10-01"), "ends (1 October 1950) before it starts"),
    (lambda: records(start="yesterday"), "'yesterday' is not a date"),
    (lambda: detail("ev_nothing"), "no record with the id 'ev_nothing'"),
    (lambda: day_range("1950-10-19", pd.NaT), "the end date is empty"),
])
def test_bad_input_is_a_clear_yalu_error(call, message):
    with pytest.raises(YaluError) as err:
        call()
    assert message in str(err.value)


def test_detail_footnote_context_and_evidence():
    d = detail("com_mao_zhou_1950_10_14")
    assert d["date_text"] == "on 14 October" and d["edtf"] == "1950-10-14"
    assert d["citation"] == "Footnote 102: Mao Zedong to Zhou Enlai, 14 October 1950, Mao Zedong wengao, I, 558-559."
    assert d["citation_short"] == "Chen, fn. 102" and not d["context"]
    assert d["evidence"] == "Mao telegraphed Zhou on 14 October"
    assert "the footnote's text is missing from this copy" in detail("ev_halt")["citation"]
    assert detail("ev_crossing")["citation"] == "Chen Jian (1992), in the paper's text (no footnote)."
    ctx = detail("ev_treaty_signed")
    assert ctx["context"] and ctx["citation"].startswith("Foreign Relations of the United States")
    assert ctx["citation_short"] == "Context: FRUS 1950 vol. VI doc. 157"
    assert ctx["url"] == "https://history.state.gov/historicaldocuments/frus1950v06/d157"


@pytest.mark.parametrize("url, title, text", [
    ("https://history.state.gov/historicaldocuments/frus1950v07/d614", "", "FRUS 1950 vol. VII doc. 614"),
    ("https://digitalarchive.wilsoncenter.org/document/x", "A very long title", "Wilson Center Digital Archive"),
    ("", "Jianguo yilai Mao Zedong wengao, vol. I, pp. 539-40 (Chinese version of Mao's message to Stalin)",
     "Jianguo yilai Mao Zedong wengao, vol. I, pp. 539-40 …"),
])
def test_link_text_is_short(url, title, text):
    assert link_text(url, title) == text
    assert len(link_text(url, title)) <= 60


def test_citation_html_links_the_short_text():
    c = cite("ctx_frus_1950_vi_157")
    assert c.html().startswith('<a href="https://history.state.gov/historicaldocuments/frus1950v06/d157"')
    assert ">Context: FRUS 1950 vol. VI doc. 157</a>" in c.html()
    assert cite("chen1992", 31).html() == "Chen, fn. 31"
    assert cite(None).short == "source missing"


@pytest.mark.parametrize("start, end, text", [
    ("1950-10-14", "1950-10-14", "14 Oct 1950"),
    ("1950-10-01", "1950-10-31", "Oct 1950"),
    ("1949-01-01", "1949-12-31", "1949"),
    ("1949-01-01", "1950-12-31", "1949 - 1950"),
    ("1949-07-01", "1949-10-31", "Jul 1949 - Oct 1949"),
    ("1949-01-30", "1949-02-07", "30 Jan 1949 - 7 Feb 1949"),
])
def test_span_text_keeps_vague_dates_as_ranges(start, end, text):
    assert span_text(pd.Timestamp(start), pd.Timestamp(end)) == text


def test_an_edited_table_is_seen_by_the_records_in_the_same_session(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(FIXTURE, copy)
    monkeypatch.setenv("YALU_DATA", str(copy))
    before = detail("ev_halt")["label"]
    path = copy / "events.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(before, "Halt (edited)", 1), encoding="utf-8")
    assert detail("ev_halt")["label"] == "Halt (edited)"


def test_citer_cites_as_cite_does_and_sees_an_edited_sources_table(tmp_path, monkeypatch):
    import shutil

    frame = records()
    pairs = list(zip(frame["source"], frame["footnote"], strict=True)) + [("ctx_frus_1950_vi_157", None), (None, None)]
    cite_many = citer()
    assert [cite_many(s, f) for s, f in pairs] == [cite(s, f) for s, f in pairs]
    assert len({cite_many(s, f).short for s, f in pairs}) > 3

    copy = tmp_path / "data"
    shutil.copytree(FIXTURE, copy)
    monkeypatch.setenv("YALU_DATA", str(copy))
    path = copy / "sources.csv"
    old = citer()("ctx_frus_1950_vi_157").full
    path.write_text(path.read_text(encoding="utf-8").replace(old, "An edited title", 1), encoding="utf-8")
    assert citer()("ctx_frus_1950_vi_157").full == "An edited title"
