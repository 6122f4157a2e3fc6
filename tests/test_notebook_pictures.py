"""Every picture in every stored notebook names every mark it draws (issue 21).

A stored notebook is what GitHub, nbviewer, a printed handout or a website shows, and under every
explorer the picture is all a reader without a kernel sees. The package stores, in each
picture's output metadata (``yalu``), how many marks it draws, how many it names (in full or by
a key number listed under it), how many records it leaves out and where to see them, and its
lanes. This test walks every output of every stored notebook and checks that account against
the alt text and the key list the reader gets.
"""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from yalu.records import CAPITALS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for d in ("notebooks", "instructor/solutions", "exercises") for p in (ROOT / d).glob("*.ipynb"))


def drawn_by_hand(cell: dict) -> bool:
    """A chart the cell itself draws with matplotlib (the pandas on-ramp's worked example): its axes
    name what it shows, and it is not one of the package's pictures of records."""
    return "plt.subplots(" in "".join(cell.get("source", ""))


def pictures(nb: dict):
    """(cell number, output) for every output that shows one of the package's pictures."""
    for n, cell in enumerate(nb["cells"]):
        if drawn_by_hand(cell):
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            page = "".join(data.get("text/html", ""))
            if "<img" in page or "image/png" in data:
                yield n, out


def picture_problems(n: int, out: dict) -> list[str]:
    where = f"cell {n}"
    data = out.get("data", {})
    page = "".join(data.get("text/html", ""))
    summary = out.get("metadata", {}).get("yalu")
    if not summary:
        return [f"{where}: a picture without the package's account of what it draws"]
    problems = []
    alts = re.findall(r'<img alt="([^"]*)"', page)
    alt = alts[0] if alts else ""
    if "without a label" in alt:
        problems.append(f"{where}: the alt text says some marks have no label")
    if summary["labelled"] != summary["drawn"]:
        problems.append(f"{where}: {summary['drawn']} marks drawn, {summary['labelled']} named")
    if summary["left_out"]:
        note = summary["note"]
        if not (note.startswith(f"{summary['left_out']} more ") and "filter" in note and note in alt):
            problems.append(f"{where}: {summary['left_out']} records left out, but the picture does not say "
                            f"how many and where to see them ({note!r})")
    if summary["keyed"] != len(re.findall(r'<li value="\d+">', page.split("yalu-fallback-list")[0])):
        problems.append(f"{where}: {summary['keyed']} key numbers, but the key under the picture lists others")
    if any(not str(lane).strip() for lane in summary["lanes"]):
        problems.append(f"{where}: a lane without a name")
    if summary["picture"] == "timeline":
        drawn = re.search(r"\. (\d+) drawn: .*?every mark drawn is named, (\d+) by its label and (\d+) by a key number",
                          alt)
        if not drawn or int(drawn.group(1)) != summary["drawn"] or \
                int(drawn.group(2)) + int(drawn.group(3)) != summary["drawn"]:
            problems.append(f"{where}: the alt text does not account for the {summary['drawn']} marks drawn")
        if f"({'; '.join(summary['lanes'])})" not in alt:
            problems.append(f"{where}: the alt text does not name the lanes {summary['lanes']}")
    view = summary.get("explorer")
    if view:  # the picture stands in for the explorer: the same lanes and dates it opens on
        lanes = {"actor": "capital"}.get(view["lanes"], view["lanes"])
        if summary["lane_by"] != lanes or (summary["start"], summary["end"]) != (view["start"], view["end"]):
            problems.append(f"{where}: the picture shows lanes by {summary['lane_by']}, "
                            f"{summary['start']}..{summary['end']}; the explorer opens on lanes by {lanes}, "
                            f"{view['start']}..{view['end']}")
        if lanes == "capital" and not (set(summary["lanes"]) <= set(CAPITALS)
                                       and len(set(summary["lanes"])) == len(summary["lanes"])):
            problems.append(f"{where}: lanes by capital are not one a capital: {summary['lanes']}")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_picture_names_every_mark_it_draws(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems = [p for n, out in pictures(nb) for p in picture_problems(n, out)]
    assert problems == []


def test_the_walk_finds_the_pictures():
    found = {p.name: [out["metadata"]["yalu"] for _, out in pictures(json.loads(p.read_text(encoding="utf-8")))]
             for p in NOTEBOOKS}
    assert sum(len(v) for v in found.values()) >= 15
    timelines = [s for v in found.values() for s in v if s["picture"] == "timeline"]
    assert len(timelines) >= 9
    # notebook 10 promises one lane per capital
    (capital,) = [s for s in found["10_timeline_explorer.ipynb"] if s.get("explorer", {}).get("lanes") == "actor"
                  and s["start"] == "1950-06-01"]
    assert capital["lane_by"] == "capital" and set(capital["lanes"]) <= set(CAPITALS) and len(capital["lanes"]) >= 3


def test_the_walk_fails_on_unnamed_marks_and_silent_omissions():
    path = ROOT / "notebooks" / "05_the_decision.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    (n, out), *_ = [(n, o) for n, o in pictures(nb) if o["metadata"]["yalu"]["picture"] == "timeline"]
    assert picture_problems(n, out) == []
    unnamed = copy.deepcopy(out)
    unnamed["metadata"]["yalu"]["labelled"] -= 1
    assert "named" in picture_problems(n, unnamed)[0]
    silent = copy.deepcopy(out)
    silent["metadata"]["yalu"]["left_out"] += 3
    silent["metadata"]["yalu"]["note"] = ""
    assert any("does not say" in p for p in picture_problems(n, silent))
    old = copy.deepcopy(out)
    del old["metadata"]["yalu"]
    assert "without the package's account" in picture_problems(n, old)[0]
    phase = copy.deepcopy(out)
    phase["metadata"]["yalu"]["lane_by"] = "phase"
    assert any("the explorer opens on lanes by capital" in p for p in picture_problems(n, phase))


def test_the_historiography_runs_past_1992_with_each_work_in_its_kind_of_evidence():
    from yalu.records import NOT_A_WORK, records

    nb = json.loads((ROOT / "notebooks" / "06_the_evidence.ipynb").read_text(encoding="utf-8"))
    (summary,) = [o["metadata"]["yalu"] for _, o in pictures(nb) if o["metadata"]["yalu"]["picture"] == "timeline"]
    assert summary["lane_by"] == "evidence" and summary["end"] > "1996-01-01"
    assert {"Memoirs", "Interviews", "Russian archives", "Before the archives"} <= set(summary["lanes"])
    assert NOT_A_WORK not in summary["lanes"]
    works = records(phase="historiography", kind="event")
    assert (works["evidence_kind"] != NOT_A_WORK).all(), "every work of the historiography has its kind of evidence"
    assert (works["date_start"] > "1992-12-31").sum() >= 5, "the works published after the paper are there"
