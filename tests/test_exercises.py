"""Exercises: feedback of check()/reveal(), the question bank, the student versions, fresh copies."""
from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import nbformat
import pytest

from yalu import exercises as ex

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "instructor" / "solutions").glob("[0-9][0-9]_*.ipynb"))
EXERCISE_NAMES = [
    "01_leaning_exercises", "02_treaty_exercises", "03_korea_exercises",
    "04_preparing_exercises", "05_decision_exercises", "06_evidence_exercises",
]

# the tiny set "99" used by the grader tests, registered in this process too
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location("_fixture_questions", ROOT / "tests" / "fixtures" / "fixture_questions.py")
ex._ensure_bank()
if "99" not in ex.EXERCISE_SETS:
    _mod = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_mod)


def shown(fn, *args) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        value = fn(*args)
    assert value is None  # feedback is printed, nothing is echoed as a return value
    return buf.getvalue()


@pytest.fixture()
def fx():
    check, reveal = ex.start("99")
    return check, reveal


# --------------------------------------------------------------------------- feedback states


def test_correct_not_yet_not_answered(fx):
    check, _ = fx
    assert shown(check, "q1", 4).startswith("q1: correct.")
    out = shown(check, "q1", 7)
    assert out.startswith("q1: not yet.") and "too high" in out and "Hint: Reread the fixture." in out
    assert shown(check, "q1", None).startswith("q1: not answered yet.")
    assert shown(check, "q1", ...).startswith("q1: not answered yet.")


@pytest.mark.parametrize(
    "qid, answer, message",
    [
        ("q1", "4", "You gave the number as text ('4'). Remove the quotes"),
        ("q1", True, "not True/False"),
        ("q1", [4], "not a list"),
        ("q1", 4.5, "has a fraction"),
        ("q1", {"a": 1}, "you gave a dictionary"),
        ("q2", "abc", "as a list of letters"),
        ("q2", ["a", "b"], "missing: 'c'"),
        ("q2", ["a", "a", "b"], "'a' appears more than once"),
        ("q2", ["a", "x", "c"], "'x' is not one of the letters a, b, c"),
        ("q2", [1, 2, 3], "Each item should be a letter in quotes"),
        ("q2", 3, "you gave a number (3)"),
        ("q3", 12, "Write your answer as text"),
        ("q3", "too short", "write at least 3"),
        ("q7", 1, "There is no question 'q7'"),
        (None, 1, "There is no question None"),
    ],
)
def test_bad_input_gets_a_specific_message_never_a_traceback(fx, qid, answer, message):
    check, reveal = fx
    out = shown(check, qid, answer)
    assert "Traceback" not in out
    assert message in out, out
    assert ": check the form of your answer." in out.splitlines()[0]


def test_wrong_order_says_how_far_off(fx):
    check, _ = fx
    assert "reverse order" in shown(check, "q2", ["c", "b", "a"])
    assert "1 of 3 items are in the right place" in shown(check, "q2", ["a", "c", "b"])
    assert shown(check, "q2", ["A", "b", "c"]).startswith("q2: correct.")  # letters are not case-sensitive


def test_model_answer_only_after_an_attempt(fx):
    _, reveal = fx
    for empty in (None, "", "   "):
        out = shown(reveal, "q3", empty)
        assert out.startswith("q3: not answered yet.") and "Model answer" not in out
    assert "Model answer" not in shown(reveal, "q3", "no")
    assert "Model answer:" in shown(reveal, "q3", "They came one after another.")


def test_wrong_call_shapes(fx):
    check, reveal = fx
    assert "takes a question and one answer" in shown(check, "q2", "a", "b")
    assert "reveal() is for written answers" in shown(reveal, "q1", 4)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        bad_check, _ = ex.start("77")
        bad_check("q1", 4)
    assert "There is no exercise set '77'" in buf.getvalue()
    assert "Run the first code cell with start(...) again" in buf.getvalue()


def test_full_question_names_work_without_start():
    assert shown(ex.check, "99.q1", 4).startswith("q1: correct.")
    assert "There is no exercise set" in shown(ex.check, "55.q1", 4)


def test_feedback_is_recorded_for_the_grader(fx):
    check, _ = fx
    shown(check, "q1", 5)
    shown(check, "q1", 4)
    report = json.loads(ex._report_json())
    assert report["99"]["q1"]["status"] == "correct"  # the last check counts


def test_broken_expected_value_is_a_message_not_a_traceback():
    es = ex.ExerciseSet("98", "98_broken", "Broken", "none.ipynb")
    es.add(ex.NumberQuestion("q1", "tables", "hint", expected=lambda: 1 / 0))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ex._show(ex._run(es, "q1", 3, "check"))
    assert "could not be checked (ZeroDivisionError" in out.getvalue()


def test_date_and_name_inputs():
    es = ex.ExerciseSet("97", "97_kinds", "Kinds", "none.ipynb")
    es.add(ex.DateQuestion("d", "chronology", "hint", expected=lambda: date(1950, 10, 19)))
    es.add(ex.NamesQuestion("n", "tables", "hint", vocabulary=lambda: {"Stalin": ["stalin"], "Mao Zedong": ["mao"]},
                            expected=lambda: ["Stalin"], what="person"))
    es.add(ex.ChoiceQuestion("c", "sources", "hint", options={"a": ("A", "why a"), "b": ("B", "why b")}, accepted={"b"}))
    run = lambda q, a: ex._run(es, q, a, "check")  # noqa: E731
    assert run("d", date(1950, 10, 19)).status == "correct"
    import pandas as pd

    assert run("d", pd.Timestamp("1950-10-19")).status == "correct"
    fb = run("d", "1950-10-19")
    assert fb.status == "invalid" and "date(1950, 10, 19)" in fb.text()
    assert "right month" in run("d", date(1950, 10, 18)).text()
    assert run("d", 1950).status == "invalid"
    assert run("n", "stalin").status == "correct"
    fb = run("n", "Stallin")
    assert fb.status == "invalid" and "Did you mean 'Stalin'?" in fb.text()
    assert run("n", "Mao").status == "not_yet"
    assert run("n", []).status == "invalid"
    assert run("c", "B").status == "correct"
    assert run("c", "(b)").status == "correct"
    fb = run("c", "a")
    assert fb.status == "not_yet" and "why a" in fb.text()
    assert "not one of the options a, b" in run("c", "z").text()
    assert run("c", ["a", "b"]).status == "invalid"


# --------------------------------------------------------------------------- stripping solutions


def test_strip_solutions_placeholders():
    src = (
        "### BEGIN SOLUTION\n"
        "air = load('soviet_air')\n"
        "answer = int(air['quantity_max'].max())\n"
        "### END SOLUTION\n"
        "check('q1', answer)"
    )
    out, removed = ex.strip_solutions(src)
    assert out == "answer = None  # your answer here\ncheck('q1', answer)"
    assert "air = load('soviet_air')" in removed
    text, _ = ex.strip_solutions('### BEGIN SOLUTION\nmy_answer = """A long answer."""\n### END SOLUTION\nreveal("q6", my_answer)')
    assert text.startswith('my_answer = """\n\n"""  # write your answer between the triple quotes')
    with pytest.raises(ValueError):
        ex.strip_solutions("### BEGIN SOLUTION\nanswer = 1\n")


def _tiny_repo(tmp_path: Path) -> Path:
    sol = tmp_path / "instructor" / "solutions"
    sol.mkdir(parents=True)
    (tmp_path / "exercises").mkdir()
    cells = [
        nbformat.v4.new_markdown_cell("# Tiny"),
        nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 4  # SECRET-NUMBER\n### END SOLUTION\ncheck('q1', answer)",
                                  metadata={"yalu": {"question": "q1"}}),
        nbformat.v4.new_markdown_cell("The model answer: SECRET-MODEL-TEXT.",
                                      metadata={"tags": ["solution"], "yalu": {"question": "q2"}}),
        nbformat.v4.new_code_cell("print('instructor only')", metadata={"tags": ["instructor-only"]}),
    ]
    cells[1].outputs = [nbformat.v4.new_output("stream", text="q1: correct.\n")]
    cells[1].execution_count = 1
    nb = nbformat.v4.new_notebook(cells=cells)
    nbformat.write(nb, sol / "01_tiny_exercises.ipynb")
    return tmp_path


def test_build_writes_templates_and_never_loses_student_work(tmp_path):
    root = _tiny_repo(tmp_path)
    mine = root / "exercises" / "my_own_notes.ipynb"
    mine.write_text("not even a notebook", encoding="utf-8")
    res = ex.build(root, out=lambda *a: None)
    target = root / "exercises" / "01_tiny_exercises.ipynb"
    assert target in res.written
    text = target.read_text(encoding="utf-8")
    assert "SECRET-NUMBER" not in text and "SECRET-MODEL-TEXT" not in text and "instructor only" not in text
    assert "answer = None  # your answer here" in text
    student = nbformat.read(target, as_version=4)
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
    blob = (root / "src" / "yalu" / "model_answers.json").read_text(encoding="utf-8")
    assert "SECRET-MODEL-TEXT" not in blob
    assert "SECRET-MODEL-TEXT" in ex._decode(json.loads(blob)["data"])["01"]["q2"]
    assert mine.read_text(encoding="utf-8") == "not even a notebook"  # other files untouched
    # second build: nothing to do; --check finds nothing stale
    assert ex.build(root, out=lambda *a: None).written == []
    assert ex.build(root, check_only=True, out=lambda *a: None).stale == []
    # a student ran the template itself: regenerating keeps their copy
    worked = nbformat.read(target, as_version=4)
    worked.cells[1].source = "answer = 5\ncheck('q1', answer)"
    worked.cells[1].outputs = [nbformat.v4.new_output("stream", text="q1: not yet.\n")]
    worked.cells[1].execution_count = 3
    nbformat.write(worked, target)
    res = ex.build(root, out=lambda *a: None)
    assert res.backups and res.backups[0][1].name == "01_tiny_exercises-backup.ipynb"
    assert "answer = 5" in res.backups[0][1].read_text(encoding="utf-8")
    assert "answer = None" in target.read_text(encoding="utf-8")


def test_fresh_copy_never_replaces(tmp_path):
    root = _tiny_repo(tmp_path)
    ex.build(root, out=lambda *a: None)
    dest = tmp_path / "student"
    dest.mkdir()
    said = []
    first = ex.fresh_copy("01", dest, root=root, out=said.append)
    assert first == dest / "01_tiny_exercises.ipynb"
    first.write_text("MY WORK", encoding="utf-8")
    second = ex.fresh_copy("01_tiny_exercises", dest, root=root, out=said.append)
    assert second.name == "01_tiny_exercises-copy2.ipynb"
    assert first.read_text(encoding="utf-8") == "MY WORK"
    assert "already exists" in said[-1] and "01_tiny_exercises-copy2.ipynb" in said[-1]
    third = ex.fresh_copy("1", dest / "01_tiny_exercises.ipynb", root=root, out=said.append)
    assert third.name == "01_tiny_exercises-copy3.ipynb"
    with pytest.raises(SystemExit, match="The exercises are: 01_tiny_exercises"):
        ex.fresh_copy("07", dest, root=root, out=said.append)


def test_fresh_copy_command_line(tmp_path):
    if not (ROOT / "exercises" / "01_leaning_exercises.ipynb").exists():
        pytest.skip("student versions not built yet")
    for expected in ("01_leaning_exercises.ipynb", "01_leaning_exercises-copy2.ipynb"):
        proc = subprocess.run([sys.executable, "-m", "yalu.exercises", "fresh-copy", "01", str(tmp_path)],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert (tmp_path / expected).exists()
    assert "already exists" in proc.stdout


# --------------------------------------------------------------------------- the real exercises


def test_six_solution_notebooks():
    assert [p.stem for p in SOLUTIONS] == EXERCISE_NAMES


def test_student_versions_up_to_date():
    """Fails when instructor/solutions changed but `make student-versions` was not run."""
    res = ex.build(ROOT, check_only=True, out=lambda *a: None)
    stale = [str(p.relative_to(ROOT)) for p in res.stale]
    assert not stale, f"out of date, run `make student-versions`: {stale}"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_no_solution_text_in_student_version(solution):
    nb = nbformat.read(solution, as_version=4)
    student_file = ROOT / "exercises" / solution.name
    text = student_file.read_text(encoding="utf-8")
    _, models, removed = ex.student_version(nb)
    for line in removed:
        for piece in line.splitlines():
            piece = piece.strip()
            if len(piece) > 12 and not piece.startswith("#"):
                assert piece not in text, f"solution text in {student_file.name}: {piece!r}"
    for qid, model in models.items():
        for sentence in re.split(r"(?<=[.!?])\s+", model):
            if len(sentence) > 30:
                assert sentence not in text, f"model answer of {qid} in {student_file.name}"
        blob = (ROOT / "src" / "yalu" / "model_answers.json").read_text(encoding="utf-8")
        assert model[:40] not in blob


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_notebook_structure(solution):
    nb = nbformat.read(solution, as_version=4)
    assert nb.metadata["kernelspec"] == {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    es = ex.get_set(solution.stem)
    assert nb.metadata["yalu"]["exercise"] == solution.stem == es.name
    asked = [c.metadata["yalu"]["question"] for c in nb.cells
             if c.cell_type == "code" and "question" in c.metadata.get("yalu", {})]
    assert asked == list(es.questions), "every question of the bank has one answer cell, in order"
    assert 4 <= len(asked) <= 8
    kinds = {q.kind for q in es.questions.values()}
    assert {"chronology", "tables", "sources", "written"} <= kinds or len(kinds) >= 3
    # stored outputs show every check passing (strict nbval then re-checks them)
    for c in nb.cells:
        if c.cell_type == "code" and "question" in c.metadata.get("yalu", {}):
            text = "".join(o.get("text", "") for o in c.outputs)
            assert re.search(r": (correct|attempted \(self-assessed\))\.", text), (c.metadata, text)


def test_every_hint_points_to_a_notebook_or_table():
    from yalu.data import tables

    names = set(tables())
    for es in (ex.get_set(n) for n in EXERCISE_NAMES):
        for q in es.questions.values():
            notebooks = re.findall(r"\b(\d\d_[a-z0-9_]+\.ipynb)", q.hint)
            found_tables = [t for t in names if re.search(rf"\b{t}\b", q.hint)]
            assert notebooks or found_tables, f"{es.name} {q.qid}: hint names no notebook or table: {q.hint}"
            for nbname in notebooks:
                path = ROOT / "notebooks" / nbname
                if path.exists():
                    for heading in re.findall(r"'(#+ [^']+)'", q.hint):
                        body = path.read_text(encoding="utf-8")
                        assert heading in body, f"{es.name} {q.qid}: {nbname} has no heading {heading!r}"


def test_every_answer_can_be_computed_from_the_data():
    """Each question's expected answer comes out of the tables without error."""
    for es in (ex.get_set(n) for n in EXERCISE_NAMES):
        for q in es.questions.values():
            for attr in ("expected", "accepted"):
                fn = getattr(q, attr, None)
                if callable(fn):
                    value = fn()
                    assert value not in (None, [], set()), f"{es.name} {q.qid}: empty {attr}"
