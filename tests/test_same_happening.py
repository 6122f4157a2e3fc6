"""One record per happening (issue 21): rows linked in ``data/same_happening.csv`` are drawn once,
with every row that records the happening listed in its detail and its key entry.

Run against the collection's own data. The links are explicit rows of the data package; nothing
is matched by similar text.
"""
from __future__ import annotations

import pytest

from yalu import records as rec
from yalu.records import detail, records
from yalu.timeline import picture

# The pictures of the issue: the overview (notebook 00) and June-October 1950 (notebook 10).
OVERVIEW = {"start": "1949-01-01", "end": "1950-12-31", "kind": "event", "max_rows": 3}
SUMMER = {"start": "1950-06-01", "end": "1950-10-19", "lanes": "actor", "max_rows": 4}


def happenings() -> dict[str, list[str]]:
    return rec._links(rec.data.state())


def test_the_links_name_known_rows_once_each():
    links = happenings()
    assert len(links) >= 50
    every = [rid for ids in links.values() for rid in ids]
    assert len(every) == len(set(every)), "a row records one happening"
    known = set(records(merged=False)["id"])
    assert set(every) <= known
    assert all(len(ids) >= 2 for ids in links.values())


def test_each_twin_is_one_record_with_all_its_attestations():
    merged = records()
    assert len(merged) == len(records(merged=False)) - sum(len(ids) - 1 for ids in happenings().values())
    for hap, ids in happenings().items():
        rows = merged[merged["happening"] == hap]
        assert list(rows["id"]) == [ids[0]], f"{hap}: drawn as {list(rows['id'])}"
        for rid in ids:
            d = detail(rid)
            assert [a["id"] for a in d["attestations"]] == ids
            assert all(a["citation_short"] and a["label"] for a in d["attestations"])


def test_disagreement_is_kept_with_its_claimants():
    d = detail("ev_mao_stalin_oct2")
    assert d["dates_differ"]
    cited = {a["citation_short"] for a in d["attestations"]}
    assert "Chen, fn. 90" in cited and any(c.startswith("Context:") for c in cited)
    macarthur = detail("ev_macarthur_ultimatum")
    labels = [a["label"] for a in macarthur["attestations"]]
    assert "MacArthur issues an ultimatum" in labels and "MacArthur broadcasts a surrender demand" in labels


def drawn_twice(pic) -> dict[str, list[str]]:
    by_hap: dict[str, list[str]] = {}
    for rid in pic.drawing.record_ids:
        for hap, ids in happenings().items():
            if rid in ids:
                by_hap.setdefault(hap, []).append(rid)
    return {h: ids for h, ids in by_hap.items() if len(ids) > 1}


@pytest.mark.parametrize("kwargs", [OVERVIEW, SUMMER], ids=["overview", "june-october"])
def test_the_pictures_draw_each_happening_once_and_key_every_attestation(kwargs):
    pic = picture(**kwargs)
    assert drawn_twice(pic) == {}
    keyed = {lab.id: lab for lab in pic.drawing.labels}
    twins = [rid for rid in pic.drawing.record_ids if len(detail(rid)["attestations"]) > 1]
    assert twins, "the picture draws some happening recorded more than once"
    for rid in twins:
        lab = keyed[rid]
        assert lab.keyed, f"{rid}: a happening recorded twice is keyed, so its key lists every row"
        key = next(k for k in pic.keys if k.number == int(lab.artist.get_text()))
        for a in detail(rid)["attestations"]:
            assert f"'{a['label']}' ({a['citation_short']}" in key.text


def test_without_the_links_the_pictures_draw_twins(monkeypatch):
    links = happenings()
    monkeypatch.setattr(rec, "_links", lambda state: {})
    rec._load_all.cache_clear()
    try:
        drawn = set(picture(**SUMMER).drawing.record_ids)
        twice = {hap: [rid for rid in ids if rid in drawn] for hap, ids in links.items()}
        assert any(len(ids) > 1 for ids in twice.values()), "the control draws some happening twice"
    finally:
        rec._load_all.cache_clear()
