"""The pandas on-ramp (notebooks/00b_working_with_the_tables.ipynb) and its micro-exercises.

The notebook is made like an exercise set: its solution notebook in instructor/solutions/ runs under
strict nbval and answers every micro-exercise correctly; the notebook students get is built from it
(``python -m yalu.exercises build``) with the answers taken out, its tables and figures kept, and its
answer cells run by nbval without comparing (lax). It teaches what the Your-turn tasks use, shows once
that ``pd.read_csv`` gives the same table as ``load()``, and ends with a one-screen reference card.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from yalu.course import ONRAMP, READING_ORDER
from yalu.exercises.bank import get_set
from yalu.exercises.build import LAX_TAG, student_version
from yalu.exercises.questions import CORRECT, judge

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "instructor" / "solutions" / ONRAMP
STUDENT = ROOT / "notebooks" / ONRAMP
#: What the Your-turn tasks of notebooks 1-6 use, each taught here in code.
TAUGHT = {"a filter": r"\w+\[\w+\[\"\w+\"\] == ", "isin": r"\.isin\(", "value_counts": r"\.value_counts\(",
          "groupby": r"\.groupby\(", "explode": r"\.explode\(", "merge": r"\.merge\(", "crosstab": r"pd\.crosstab\(",
          "a time difference": r"\.days\b", "axes": r"plt\.subplots\(", "axis labels": r"\.set_xlabel\(",
          "a title": r"\.set_title\(", "read_csv": r"pd\.read_csv\("}
CARD_ROWS = 20  # one screen at 1024x768


def _nb(path: Path):
    return nbformat.read(path, as_version=4)


def _answer_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code" and "question" in c.metadata.get("yalu", {})]


def test_the_onramp_sits_between_the_background_and_notebook_1():
    i = READING_ORDER.index(ONRAMP)
    assert READING_ORDER[i - 1] == "00a_background.ipynb" and READING_ORDER[i + 1] == "01_leaning_to_one_side.ipynb"
    assert SOLUTION.is_file() and STUDENT.is_file()


def test_about_six_micro_exercises_one_cell_each_in_order():
    es = get_set("00b")
    assert es.name + ".ipynb" == ONRAMP and 5 <= len(es.questions) <= 7
    for path in (SOLUTION, STUDENT):
        asked = [c.metadata["yalu"]["question"] for c in _answer_cells(_nb(path))]
        assert asked == list(es.questions), f"{path.name}: one answer cell per micro-exercise, in order"


def test_every_right_answer_is_correct_and_a_wrong_one_is_not():
    es = get_set("00b")
    for qid, q in es.questions.items():
        right = q.expected()
        right = right[0] if isinstance(right, list) else right
        assert judge(es, qid, right).status == CORRECT, qid
        wrong = right + 1 if isinstance(right, int) else "Molotov"
        assert judge(es, qid, wrong).status != CORRECT, qid


def test_the_solution_notebook_answers_every_micro_exercise_correctly():
    for cell in _answer_cells(_nb(SOLUTION)):
        text = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        assert re.search(r"^q\d: correct\.", text, flags=re.M), (cell.metadata["yalu"], text[:200])


def student_problems(solution, student) -> list[str]:
    """What is wrong with ``student`` as the student version of ``solution`` (both notebooks)."""
    _, _, removed = student_version(solution, keep_outputs=True)
    text = nbformat.writes(student)
    found = [f"an answer left in: {line.strip()!r}" for line in removed if len(line.strip()) > 12 and line.strip() in text]
    if not student.metadata.get("yalu", {}).get("student_version"):
        found.append("not marked as a student version")
    if len(student.cells) != len(solution.cells):
        return found + ["a different number of cells"]
    for i, (sol, stu) in enumerate(zip(solution.cells, student.cells, strict=True)):
        if stu.cell_type != "code":
            if stu.source != sol.source:
                found.append(f"cell {i}: the text differs from the solution notebook")
        elif "question" in stu.metadata.get("yalu", {}):
            if "answer = None  # your answer here" not in stu.source or stu.outputs or stu.execution_count is not None:
                found.append(f"cell {i}: an answer cell should hold the placeholder and no output")
            if LAX_TAG not in stu.metadata.get("tags", []):
                found.append(f"cell {i}: an answer cell should run lax ({LAX_TAG})")
        elif stu.source != sol.source or stu.outputs != sol.outputs or stu.execution_count is None:
            found.append(f"cell {i}: a table or figure lost its output")
        elif LAX_TAG in stu.metadata.get("tags", []):
            found.append(f"cell {i}: tables and figures are compared strictly")
    return found


def test_the_student_version_keeps_the_tables_and_drops_the_answers():
    assert student_problems(_nb(SOLUTION), _nb(STUDENT)) == []


@pytest.mark.parametrize("broken", ["answers", "outputs"])
def test_the_student_check_fails_on_a_control(broken):
    """Controls: a student version that kept the answers, or lost a table's output, is caught."""
    solution = _nb(SOLUTION)
    student = _nb(STUDENT)
    if broken == "answers":
        student = _nb(SOLUTION)
        student.metadata.setdefault("yalu", {})["student_version"] = True
    else:
        next(c for c in student.cells if c.cell_type == "code" and c.outputs).outputs = []
    assert student_problems(solution, student)


def test_it_teaches_what_the_your_turn_tasks_use():
    code = "\n".join(c.source for c in _nb(STUDENT).cells if c.cell_type == "code")
    missing = [what for what, pattern in TAUGHT.items() if not re.search(pattern, code)]
    assert not missing, f"the on-ramp does not show: {missing}"
    assert "load(" in code and "data_dir()" in code


def test_read_csv_is_shown_to_give_the_same_table():
    cells = _nb(SOLUTION).cells
    i = next(k for k, c in enumerate(cells) if c.cell_type == "code" and "pd.read_csv(" in c.source)
    out = "".join(o.get("data", {}).get("text/plain", "") for o in cells[i].outputs)
    assert out == "(True, True, True)", f"read_csv and load() should agree on shape, columns and a column: {out}"
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert 'pd.read_csv("../data/events.csv")' in text, "say the path that works from the notebooks folder"
    assert (STUDENT.parent / "../data/events.csv").resolve().is_file()


def test_one_screen_reference_card():
    cards = [c.source for c in _nb(STUDENT).cells if c.cell_type == "markdown" and c.source.startswith("## Reference card")]
    assert len(cards) == 1
    rows = [line for line in cards[0].splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    assert 10 <= len(rows) <= CARD_ROWS + 1, f"{len(rows)} lines in the reference card"
    for what in ("explode", "merge", "crosstab", "groupby", "value_counts", "read_csv", "set_xlabel"):
        assert what in cards[0], f"the reference card lacks {what}"


def test_hints_point_at_headings_of_the_onramp():
    headings = {h.strip() for h in re.findall(r"^#+\s+(.*)$", "\n".join(
        c.source for c in _nb(STUDENT).cells if c.cell_type == "markdown"), flags=re.M)}
    for q in get_set("00b").questions.values():
        assert q.hint.notebook == ONRAMP and q.hint.heading in headings, (q.qid, q.hint.heading)
