"""yalu.explorer, the Python side: what is sent to the browser, the starting view, the static
fallback and the messages for bad input. The browser side is tested in tests/browser."""
from __future__ import annotations

import json
import re

import pytest

from yalu import documents
from yalu import explorer as ex
from yalu.errors import YaluError
from yalu.records import records

WIDGET = "application/vnd.jupyter.widget-view+json"


@pytest.fixture(scope="module")
def payload():
    return ex.payload()


def test_payload_holds_every_record_with_its_evidence_and_citation(payload):
    frame = records()
    sent = {r["id"]: r for r in payload["records"]}
    assert set(sent) == set(frame["id"]) and len(sent) == len(frame)
    row = frame.set_index("id").loc["ev_black_sea_meeting"]
    r = sent["ev_black_sea_meeting"]
    assert r["title"] == row["label"] and "Black Sea" in r["place"]
    assert r["dateText"] == row["date_text"] and r["edtf"] == row["date"]
    assert r["start"] == f"{row['date_start']:%Y-%m-%d}" and r["end"] == f"{row['date_end']:%Y-%m-%d}"
    assert r["evidence"] == " ".join(row["evidence"].split()) and r["citation"].startswith("Footnote ")
    assert "Stalin" in " ".join(r["actors"]) and r["capital"] == "Beijing"
    assert r["notebook"] == "05_the_decision.ipynb"
    json.dumps(payload)  # everything is plain JSON


@pytest.mark.parametrize(("edtf", "start", "end", "shape"), [
    ("1950-10-19", "1950-10-19", "1950-10-19", "day"),
    ("1950-10-09/1950-10-10", "1950-10-09", "1950-10-10", "span"),
    ("1949-10~", "1949-10-01", "1949-10-31", "uncertain"),
    ("1949-12?/1950-01-02", "1949-12-01", "1950-01-02", "uncertain"),
    ("1949-23", "1949-09-01", "1949-11-30", "uncertain"),  # autumn 1949
    ("194X", "1940-01-01", "1949-12-31", "uncertain"),
])
def test_each_date_gets_the_shape_it_is_drawn_with(edtf, start, end, shape):
    assert ex._shape(edtf, start, end) == shape


def test_shapes_in_the_payload_follow_the_dates(payload):
    for r in payload["records"]:
        if r["shape"] == "day":
            assert r["start"] == r["end"] and not re.search(r"[~?%X]", r["edtf"])
        if re.search(r"[~?%X]", r["edtf"]):
            assert r["shape"] == "uncertain", r["title"]


def test_claims_are_linked_by_their_question(payload):
    disputes = {d["id"]: d for d in payload["disputes"]}
    assert payload["claims"], "no dated claims sent"
    for c in payload["claims"]:
        versions = disputes[c["conflict"]]["versions"]
        assert c["id"] in {v["id"] for v in versions} and len(versions) >= 2
        assert c["kind"] == "claim" and c["start"] <= c["end"]
    # A claim with no date is not drawn, but its question still lists it.
    undated = [v for d in payload["disputes"] for v in d["versions"] if not v["dated"]]
    assert undated and all(v["when"] == "no date given" for v in undated)


def test_lanes_by_capital_come_from_the_first_actor(payload):
    capitals = {r["capital"] for r in payload["records"]}
    assert {"Beijing", "Moscow", "Pyongyang"} <= capitals <= set(payload["capitals"])
    assert all(r["capital"] == "No one named" for r in payload["records"] if not r["actorIds"])


def test_filters_offer_labels_not_ids(payload):
    assert [p["value"] for p in payload["phases"]][:2] == ["background", "leaning"]
    stalin = [a for a in payload["actors"] if a["value"] == "stalin"]
    assert stalin and not stalin[0]["label"].startswith("stalin")
    assert {k["value"] for k in payload["kinds"]} == {"event", "troop_movement", "soviet_air", "communication",
                                                      "claim", "document"}
    assert [p["label"] for p in payload["periods"]] == ["1949", "Treaty talks", "Jun–Sep 1950", "1–19 Oct 1950"]


def test_default_view_is_the_two_years_of_the_story():
    w = ex.explore()
    assert (w.view["start"], w.view["end"]) == ex.DEFAULT_RANGE
    assert w.view["lanes"] == "actor" and w.view["phase"] == ""


def test_phase_opens_on_its_records_and_dates_are_kept():
    w = ex.explore(phase="leaning")
    assert (w.view["start"], w.view["end"], w.view["phase"]) == ("1949-01-01", "1949-12-31", "leaning")
    w = ex.explore(phase="decision", start="1950-10-01", end="1950-10-19", lanes="kind")
    assert (w.view["start"], w.view["end"], w.view["lanes"]) == ("1950-10-01", "1950-10-19", "kind")
    assert ex.explore(kind="communications").view["kind"] == "communication"
    assert ex.explore(kind=["troops"]).view["kind"] == "troop_movement"
    assert ex.explore(kind="claim").view["kind"] == "claim"
    assert ex.explore(actor="stalin").view["actor"] == "stalin"


def test_explorers_share_one_catalogue():
    a, b = ex.explore(), ex.explore(phase="treaty")
    assert a.catalogue is b.catalogue
    assert a.catalogue.source.startswith("/**") and "vis-timeline" in a.catalogue.source[:200]
    assert "sourceMappingURL" not in a.catalogue.source and "sourceMappingURL" not in a.catalogue.css
    state = a.get_state()
    assert state["catalogue"].startswith("IPY_MODEL_") and "records" not in state


def test_the_output_has_a_static_fallback_and_no_second_picture():
    w = ex.explore(phase="decision", start="1950-10-01", end="1950-10-19")
    bundle, meta = w._repr_mimebundle_()
    assert set(bundle) == {WIDGET, "text/html", "text/plain"}
    # the picture stands in for the explorer: the same lanes (by capital) and dates it opens on
    summary = meta["yalu"]
    assert summary["explorer"] == w.view and summary["lane_by"] == "capital"
    assert (summary["start"], summary["end"]) == ("1950-10-01", "1950-10-19")
    assert summary["drawn"] == summary["labelled"] and summary["drawn"] + summary["left_out"] == len(
        records(phase="decision", start="1950-10-01", end="1950-10-19"))
    page = bundle["text/html"]
    assert page.count("<img") == 1 and re.search(r'<img alt="Timeline of \d+ records', page)
    n = len(records(phase="decision", start="1950-10-01", end="1950-10-19"))
    assert page.count("<li>") >= n and f"The {n} records in this view" in page
    assert not re.search(r"\b(ev|com|tm|air)_[a-z0-9_]+", re.sub(r'src="[^"]+"', "", page)), "a row id is shown"
    assert bundle["text/plain"].startswith(f"Timeline explorer, {n} records from 1 October 1950 to 19 October 1950")
    assert ex.explore(phase="decision", start="1950-10-01", end="1950-10-19")._repr_mimebundle_()[0]["text/html"] == page


def test_claims_fallback_lists_the_versions():
    page = ex.explore(kind="claim", start="1949-01-01", end="1949-12-31")._repr_mimebundle_()["text/html"]
    assert "ethnic Korean PLA soldiers" in page and "30,000" in page and "<img" not in page


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"phase": "korean"}, "no phase called 'korean'"),
    ({"actor": "mao"}, "no actor with the id 'mao'"),
    ({"kind": "letters"}, "no kind of record called 'letters'"),
    ({"kind": ["event", "communication"]}, "one kind of record"),
    ({"lanes": "people"}, "lanes must be one of"),
    ({"start": "autumn 1950"}, "is not a date"),
    ({"start": "1950-10-19", "end": "1950-10-01"}, "before it starts"),
])
def test_bad_input_gets_one_line(kwargs, message):
    with pytest.raises(YaluError) as err:
        ex.explore(**kwargs)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_the_vendored_library_is_the_recorded_version():
    readme = (ex.STATIC / "README.md").read_text(encoding="utf-8")
    assert f"vis-timeline {ex.VIS_VERSION}" in readme
    assert f"@version {ex.VIS_VERSION}" in ex.VIS_FILE.read_text(encoding="utf-8")[:400]
    assert (ex.STATIC / "vis-timeline-LICENSE.MIT.txt").exists()


def test_documents_are_their_own_kind_with_what_they_bear_on(payload):
    docs = {d["id"]: d for d in payload["documents"]}
    assert len(docs) == 44 and all(d["kind"] == "document" for d in docs.values())
    cable = docs["doc_cable_4785_19501011"]
    assert cable["url"].startswith("https://digitalarchive.wilsoncenter.org/") and cable["start"] == "1950-10-11"
    assert cable["linkText"] == "Wilson Center Digital Archive"
    mirror = docs["doc_roshchin_filippov_19501003"]
    assert "url" not in mirror and "not confirmed" in mirror["note"]
    links = payload["links"]
    assert {(li["document"], li["record"], li["relation"]) for li in links} >= {
        ("doc_cable_4785_19501011", "ev_black_sea_meeting", "complicates"),
        ("doc_roshchin_25553_19501012", "ev_black_sea_meeting", "complicates")}
    drawn = {r["id"] for r in payload["records"] + payload["claims"]}
    for li in links:  # a record that is not drawn brings its own words
        assert li["document"] in docs
        assert li["record"] in drawn or {"text", "date", "fromPaper"} <= set(li), li
    assert len(links) == len(documents.links())


def test_the_documents_explorer_opens_on_the_documents_with_a_fallback_list():
    view = ex.explore(kind="documents", start="1950-10-01", end="1950-10-19")
    assert view.view["kind"] == "document"
    html = view._repr_mimebundle_()["text/html"]
    assert "14 documents dated between 1 October 1950 and 19 October 1950" in html
    assert html.count(ex.READ_AT_ARCHIVE) == 11, "three of the fourteen (mirror-only) have no confirmed address"
    assert html.count("no confirmed web address") == 3
