"""The instructor guide's six-week course, its grade bands and the Binder fallback (issue 23)."""
from __future__ import annotations

import re

from yalu.course import NARRATIVE
from yalu.paths import repo_root

GUIDE = repo_root() / "instructor" / "GUIDE.md"
LEVELS = ("excellent", "good", "adequate", "weak")  # the rubrics' quality levels


def _section(text: str, heading: str) -> str:
    m = re.search(rf"^(#+) {re.escape(heading)}\s*$", text, re.M)
    assert m, f"the guide has no section {heading!r}"
    rest = text[m.end():]
    stop = re.search(r"^#+ ", rest, re.M)  # up to the next heading of any level
    return rest[: stop.start()] if stop else rest


def _table(section: str) -> list[list[str]]:
    rows = [ln for ln in section.splitlines() if ln.startswith("|")]
    return [[c.strip() for c in r.strip("|").split("|")] for r in rows[2:]]


def plan_problems(text: str) -> list[str]:
    rows = _table(_section(text, "A six-week course"))
    out = []
    weeks = [r[0] for r in rows]
    if [w for w in weeks if w.isdigit()] != [str(i) for i in range(1, 7)]:
        out.append(f"weeks are {weeks}, not 1 to 6")
    for n in NARRATIVE:
        if not any(n.file.removesuffix(".ipynb") in r[1] for r in rows):
            out.append(f"{n.file} is in no week")
    weights = [float(m.group(1)) for r in rows for m in [re.match(r"(\d+(?:\.\d+)?) %", r[-1])] if m]
    if len(weights) != len(rows) or sum(weights) != 100:
        out.append(f"weights {weights} do not add up to 100 %")
    for r in rows:
        if len(r) != 6 or (r[0].isdigit() and not all(r[1:])):
            out.append(f"week {r[0]}: an empty column")
        if r[0].isdigit() and not re.search(r"Chen, fn\. \d+-\d+|the whole paper", r[2], re.I):
            out.append(f"week {r[0]}: no reading in the paper")
    return out


def test_six_week_plan():
    text = GUIDE.read_text(encoding="utf-8")
    assert plan_problems(text) == []
    # Control: a week dropped and a weight changed are both found.
    broken = text.replace("| 3 | `03_korea_1949_1950`", "| 3 | `03_korea`").replace("| Set 06, with its capstone essay | 20 % |",
                                                                                     "| Set 06, with its capstone essay | 25 % |")
    assert len(plan_problems(broken)) == 2


def test_grade_bands_match_the_rubric_levels():
    bands = _section(GUIDE.read_text(encoding="utf-8"), "Grade bands")
    rows = _table(bands)
    assert [r[0].lower() for r in rows] == list(LEVELS)
    for r, level in zip(rows, LEVELS, strict=True):
        assert f"*{level}*" in r[1], f"band {r[0]} does not name the rubric level {level!r}"
    try:
        from yalu.exercises.questions import LEVELS as bank_levels
    except ImportError:  # before the four-level rubrics: the checklist rule in the text stands
        assert "one point for each line" in bands
    else:
        assert tuple(bank_levels) == LEVELS


def test_what_to_do_when_binder_fails():
    text = _section(GUIDE.read_text(encoding="utf-8"), "When Binder fails")
    for must in ("make site", "website", "JupyterHub", "make lab", "make handouts", "projector"):
        assert must in text or must.lower() in text.lower(), f"the Binder fallback does not mention {must!r}"
