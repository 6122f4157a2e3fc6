"""The grader's own verdicts on one executed notebook.

Nothing in the student's kernel is trusted: not a printed "correct", not a log, not an
object. :func:`answers_in` reads only the answer *values* that ``check()`` wrote into the
cell outputs (MIME type ``application/vnd.yalu.answer+json``), and :func:`grade_run`
judges each value again here, in the grader's process, with the grader's question bank.
A forged record can only submit an answer. Written answers are never marked right: they
are listed ``for_review`` with their text.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from yalu.exercises.answers import from_wire
from yalu.exercises.questions import ATTEMPTED, ExerciseSet, WrittenQuestion, judge
from yalu.exercises.session import ANSWER_MIME

__all__ = ["Row", "Graded", "markers", "answers_in", "changed_cells", "grade_run", "NOTEBOOK"]

NOTEBOOK = "(notebook)"
FOR_REVIEW = "for_review"


@dataclass
class Row:
    student: str
    filename: str
    exercise: str
    question: str
    result: str
    detail: str = ""


@dataclass
class Graded:
    rows: list[Row] = field(default_factory=list)
    messages: dict[str, str] = field(default_factory=dict)  # qid -> feedback text
    written: dict[str, str] = field(default_factory=dict)  # qid -> the student's written answer


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("yalu", {}) or {}


def markers(nb) -> list[str]:
    """The structural code cells of an exercise notebook, in order: 'setup', 'q1', 'q2'..."""
    seen: list[str] = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        meta = _meta(cell)
        marker = meta.get("question") or ("setup" if meta.get("cell") == "setup" else None)
        if marker and marker not in seen:
            seen.append(marker)
    return seen


def _cells_by_marker(nb) -> dict[str, tuple[int, object]]:
    out = {}
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        meta = _meta(cell)
        marker = meta.get("question") or ("setup" if meta.get("cell") == "setup" else None)
        if marker and marker not in out:
            out[marker] = (index, cell)
    return out


def answers_in(nb, set_id: str, upto: int | None = None) -> dict[str, object]:
    """{question: wire value} of the last answer record for each question, in notebook order.

    With ``upto``, only cells at or before that index count (the last cell the run recorded).
    """
    found: dict[str, object] = {}
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code" or (upto is not None and index > upto):
            continue
        for out in cell.get("outputs", []):
            payload = (out.get("data") or {}).get(ANSWER_MIME) if out.get("output_type") in (
                "display_data", "execute_result") else None
            if isinstance(payload, dict) and payload.get("set") == set_id and isinstance(payload.get("question"), str):
                found[payload["question"]] = payload.get("answer")
    return found


def _fixed_lines(source: str) -> list[str]:
    """The template lines a student must leave alone: all but the answer placeholder."""
    lines, keep, in_text = source.splitlines(), [], False
    for line in lines:
        s = line.strip()
        if in_text:
            if s.startswith('"""'):
                in_text = False
            continue
        if s.endswith('= """') or s.endswith("= '''"):
            in_text = True
            continue
        if "# your answer here" in s or not s:
            continue
        keep.append(" ".join(s.split()))
    return keep


def changed_cells(template, submitted) -> list[str]:
    """Markers whose check lines (or the setup cell) differ from the instructor's template."""
    want, have = _cells_by_marker(template), _cells_by_marker(submitted)
    changed = []
    for marker, (_, tcell) in want.items():
        if marker not in have:
            continue
        fixed = _fixed_lines(tcell.source)
        mine = [" ".join(ln.split()) for ln in have[marker][1].source.splitlines() if ln.strip()]
        if marker == "setup":
            ok = mine == fixed
        else:
            ok = len(mine) >= len(fixed) and mine[len(mine) - len(fixed):] == fixed
        if not ok:
            changed.append(marker)
    for index, cell in enumerate(submitted.cells):  # check/reveal/start rebound outside the setup cell
        if cell.get("cell_type") != "code" or _meta(cell).get("cell") == "setup":
            continue
        if _rebinds(cell.source, ("check", "reveal", "start")):
            label = _meta(cell).get("question") or f"cell {index + 1}"
            if label not in changed:
                changed.append(label)
    return changed


def _rebinds(source: str, names: tuple[str, ...]) -> bool:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in names:
            return True
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in names:
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name) in names:
            return True
    return False


def grade_run(student: str, filename: str, es: ExerciseSet, template, submitted, executed, run: dict) -> Graded:
    """Rows for one notebook: the notebook's own problems, then one verdict per question."""
    g = Graded()
    name = es.name
    want, have = markers(template), markers(submitted)
    missing = [m for m in want if m not in have]
    problems: list[tuple[str, str]] = []
    if missing:
        problems.append(("cells_deleted", "cells missing: " + ", ".join(missing)))
    common = [m for m in have if m in want]
    if common != [m for m in want if m in have]:
        problems.append(("cells_reordered", "cells out of order: " + ", ".join(common)))
    changed = changed_cells(template, submitted)
    if changed:
        problems.append(("check_cell_changed", "the check lines differ from the exercise in: " + ", ".join(changed)))
    errors = run.get("errors") or []
    if errors:
        first = errors[0]
        problems.append(("run_error", f"{len(errors)} cell(s) raised an error; first: cell {first[0] + 1}, "
                                      f"{first[1]}: {first[2]}"))
    stopped_at = None
    if run.get("timeout_at") is not None:
        stopped_at = run["timeout_at"]
        problems.append(("timeout", f"stopped at cell {stopped_at + 1}: the time limit was reached (an endless loop?)"))
    elif run.get("no_record"):
        stopped_at = 0
        problems.append(("no_run", f"no answers were recorded: {run['no_record']}"))
    elif run.get("died") is not None or not run.get("finished"):
        last = run.get("last_cell")
        stopped_at = run["died"] if isinstance(run.get("died"), int) else ((last + 1) if last is not None else 0)
        where = f"at cell {stopped_at + 1}" if run.get("started") else "before the first cell"
        problems.append(("kernel_died", f"Python stopped {where} (a crash, os._exit, or a memory or CPU limit)"))
    if run.get("cut"):
        problems.append(("output_cut", "the notebook printed more than the output limit; the rest was dropped"))
    for result, detail in problems or [("ok", "")]:
        g.rows.append(Row(student, filename, name, NOTEBOOK, result, detail))

    last = run.get("last_cell")
    answers = answers_in(executed, es.set_id, upto=last) if isinstance(last, int) else {}
    cells = _cells_by_marker(submitted)
    errors_at = {e[0]: f"{e[1]}: {e[2]}" for e in errors}
    for qid, q in es.questions.items():
        if qid in answers:
            fb = judge(es, qid, from_wire(answers[qid]), "reveal" if isinstance(q, WrittenQuestion) else "check")
            result = FOR_REVIEW if fb.status == ATTEMPTED else fb.status
            detail = ""
            if isinstance(q, WrittenQuestion):
                value = from_wire(answers[qid])
                if isinstance(value, str):
                    g.written[qid] = value
                    detail = f"{len(value.split())} words"
                if result != FOR_REVIEW:
                    detail = (detail + "; " if detail else "") + " ".join(fb.lines)[:200]
            elif result in ("not_yet", "invalid"):
                detail = " ".join(fb.lines)[:200]
            g.rows.append(Row(student, filename, name, qid, result, detail))
            g.messages[qid] = fb.text()
        elif qid in missing:
            g.rows.append(Row(student, filename, name, qid, "missing_cell", "the question's code cell was deleted"))
        elif qid in cells and cells[qid][0] in errors_at:
            g.rows.append(Row(student, filename, name, qid, "error", errors_at[cells[qid][0]]))
        elif stopped_at is not None and (qid not in cells or cells[qid][0] >= stopped_at):
            g.rows.append(Row(student, filename, name, qid, "not_run", "the run stopped before this question"))
        else:
            g.rows.append(Row(student, filename, name, qid, "not_checked",
                              "no answer was recorded: check() was not called, or was replaced"))
    return g
