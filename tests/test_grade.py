"""The grader: python -m yalu.grade on crafted submissions (tests/fixtures/submissions).

The fixtures use a tiny exercise set "99" (tests/fixtures/fixture_questions.py, loaded
through $YALU_QUESTION_PLUGINS) so these tests do not depend on the data tables.
One submission of each kind: good, blank, mixed answers, a cell that raises, an
endless loop, not JSON, a deleted question cell, reordered cells.
"""
from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures"
PLUGIN = FIX / "fixture_questions.py"
TIMEOUT = 6  # seconds per notebook: the endless loop must be stopped quickly


def _digest(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Run the grader once (as a command, the way an instructor runs it) on a copy of the fixtures."""
    base = tmp_path_factory.mktemp("grading")
    subs = base / "submissions"
    shutil.copytree(FIX / "submissions", subs)
    before = _digest(subs)
    out = base / "out"
    env = {**__import__("os").environ, "YALU_QUESTION_PLUGINS": str(PLUGIN)}
    proc = subprocess.run(
        [sys.executable, "-m", "yalu.grade", str(subs), "--out", str(out),
         "--templates", str(FIX / "templates"), "--timeout", str(TIMEOUT)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    with (out / "gradebook.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {"proc": proc, "rows": rows, "out": out, "subs": subs, "before": before}


def result(graded, student, question):
    found = [r["result"] for r in graded["rows"] if r["student"] == student and r["question"] == question]
    assert found, f"no row for {student} {question}"
    return found


def test_grader_exits_cleanly(graded):
    assert graded["proc"].returncode == 0, graded["proc"].stderr
    assert "Traceback" not in graded["proc"].stdout


def test_gradebook_columns_and_students(graded):
    assert list(graded["rows"][0]) == ["student", "exercise", "question", "result", "detail"]
    students = {r["student"] for r in graded["rows"]}
    assert students == {"good", "blank", "mixed", "broken", "loop", "notjson", "pruned", "shuffled"}


def test_good_submission_is_all_correct(graded):
    assert result(graded, "good", "(notebook)") == ["ok"]
    assert result(graded, "good", "q1") == ["correct"]
    assert result(graded, "good", "q2") == ["correct"]
    assert result(graded, "good", "q3") == ["attempted"]


def test_blank_submission_is_not_answered(graded):
    assert result(graded, "blank", "(notebook)") == ["ok"]
    for q in ("q1", "q2", "q3"):
        assert result(graded, "blank", q) == ["not_answered"]


def test_mixed_answers(graded):
    assert result(graded, "mixed", "q1") == ["invalid"]  # '4' as text
    assert result(graded, "mixed", "q2") == ["not_yet"]  # wrong order
    assert result(graded, "mixed", "q3") == ["invalid"]  # too short to reveal


def test_cell_that_raises_is_reported(graded):
    assert result(graded, "broken", "(notebook)") == ["run_error"]
    assert result(graded, "broken", "q2") == ["error"]
    # the run goes on after the error: other questions are still graded
    assert result(graded, "broken", "q1") == ["correct"]
    assert result(graded, "broken", "q3") == ["attempted"]


def test_endless_loop_times_out(graded):
    assert result(graded, "loop", "(notebook)") == ["timeout"]
    assert result(graded, "loop", "q1") == ["correct"]  # checked before the loop
    assert result(graded, "loop", "q2") == ["not_run"]
    assert result(graded, "loop", "q3") == ["not_run"]


def test_not_json_is_reported(graded):
    assert result(graded, "notjson", "(notebook)") == ["invalid_notebook"]
    row = next(r for r in graded["rows"] if r["student"] == "notjson")
    assert row["exercise"] == "99_fixture_exercises"  # identified from the file name


def test_deleted_cell_is_reported(graded):
    assert "cells_deleted" in result(graded, "pruned", "(notebook)")
    assert result(graded, "pruned", "q2") == ["missing_cell"]
    assert result(graded, "pruned", "q1") == ["correct"]


def test_reordered_cells_are_reported(graded):
    assert "cells_reordered" in result(graded, "shuffled", "(notebook)")


def test_one_feedback_file_per_student(graded):
    files = sorted(p.stem for p in (graded["out"] / "feedback").glob("*.md"))
    assert files == sorted({r["student"] for r in graded["rows"]})
    loop = (graded["out"] / "feedback" / "loop.md").read_text(encoding="utf-8")
    assert "timeout" in loop and "endless loop" in loop
    mixed = (graded["out"] / "feedback" / "mixed.md").read_text(encoding="utf-8")
    assert "Remove the quotes" in mixed  # the specific message for a number given as text
    assert "Hint: Reread the fixture timeline." in mixed  # the hint of the wrong answer


def test_originals_never_modified(graded):
    assert _digest(graded["subs"]) == graded["before"]
    assert not list(graded["subs"].rglob("*graded*"))


def test_out_folder_inside_submissions_is_refused(tmp_path):
    subs = tmp_path / "subs"
    shutil.copytree(FIX / "submissions" / "good", subs / "good")
    proc = subprocess.run([sys.executable, "-m", "yalu.grade", str(subs), "--out", str(subs / "out"),
                           "--templates", str(FIX / "templates")], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "outside the submissions folder" in proc.stderr
    assert not (subs / "out").exists()


def test_solution_notebook_as_submission_is_all_correct(tmp_path):
    """A real exercise: the instructor's solution graded as a submission gets full marks."""
    solutions = sorted((ROOT / "instructor" / "solutions").glob("0[1-6]_*.ipynb"))
    if not solutions:
        pytest.skip("no solution notebooks yet")
    from yalu.grade import grade

    subs = tmp_path / "subs"
    (subs / "teacher").mkdir(parents=True)
    shutil.copy(solutions[0], subs / "teacher" / solutions[0].name)
    rows = grade(subs, tmp_path / "out", timeout=120, echo=lambda *a: None)
    results = {r.question: r.result for r in rows}
    assert results.pop("(notebook)") == "ok"
    assert results and set(results.values()) <= {"correct", "attempted"}, results
