"""What the grader writes: ``gradebook.csv``, ``summary.csv``, ``feedback/STUDENT.md`` and ``review.md``.

``review.md`` is the instructor's: every written answer, question by question, under the
question's rubric (four levels, each with its description, exemplar and sources) and, where
the instructor's copy has it, the model answer.

Both CSV files are UTF-8 with a byte-order mark (so spreadsheets read accents right), and
no cell starts with ``=``, ``+``, ``-`` or ``@`` (a spreadsheet would run it as a
formula): such a cell gets a leading apostrophe.
"""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

from yalu.grade.verdict import FOR_REVIEW, NOTEBOOK, Graded, Row

__all__ = ["safe_cell", "write_gradebook", "write_summary", "write_feedback", "feedback_names", "write_review"]

COLUMNS = ["student", "filename", "exercise", "question", "result", "detail"]

RESULT_TEXT = {
    "correct": "correct",
    "not_yet": "not yet right",
    "not_answered": "not answered",
    "invalid": "answer in the wrong form",
    FOR_REVIEW: "written answer: for the instructor's review",
    "error": "its cell raised an error",
    "not_run": "not run (the notebook stopped earlier)",
    "not_checked": "no answer recorded",
    "missing_cell": "cell deleted",
}
PROBLEM_TEXT = {
    "invalid_notebook": "The file is not a valid notebook, so it could not be run.",
    "unknown_exercise": "The file is not one of the exercise notebooks.",
    "no_notebook": "No notebook was found in this folder.",
    "superseded": "A later copy of this exercise was graded instead (the re-download rule).",
    "run_error": "Some cells raised errors when the notebook was run from the top.",
    "timeout": "The notebook did not finish in time (is there an endless loop?).",
    "kernel_died": "Python stopped while running the notebook.",
    "no_run": "The notebook could not be run by the grader, so no answers were recorded; tell your instructor.",
    "output_cut": "The notebook printed too much; the rest of its output was dropped.",
    "cells_deleted": "Some of the exercise's cells were deleted; use `python -m yalu.exercises fresh-copy` for a "
                     "clean copy.",
    "cells_reordered": "Some of the exercise's cells were moved; keep the questions in their original order.",
    "check_cell_changed": "The check lines of some cells were changed; keep `check(...)` as the exercise has it.",
}


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\r", " ").replace("\n", " ")
    if text[:1] in ("=", "+", "-", "@", "\t"):
        text = "'" + text
    return text


def _writer(path: Path):
    fh = path.open("w", newline="", encoding="utf-8-sig")
    return fh, csv.writer(fh)


def write_gradebook(rows: list[Row], path: Path) -> None:
    fh, w = _writer(path)
    with fh:
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([safe_cell(getattr(r, c)) for c in COLUMNS])


def write_summary(rows: list[Row], path: Path, totals: dict[str, int]) -> None:
    """One row per student: correct answers per exercise set (of how many checked questions), written
    answers for review, and notebook problems."""
    sets = sorted(totals)
    students = sorted({r.student for r in rows})
    fh, w = _writer(path)
    with fh:
        w.writerow(["student"] + [f"{s} (of {totals[s]})" for s in sets] + ["total correct", "for review",
                                                                           "problems"])
        for st in students:
            mine = [r for r in rows if r.student == st]
            per = [sum(r.result == "correct" for r in mine if r.exercise == s and r.question != NOTEBOOK)
                   for s in sets]
            review = sum(r.result == FOR_REVIEW for r in mine)
            problems = sorted({r.result for r in mine if r.question == NOTEBOOK and r.result != "ok"})
            w.writerow([safe_cell(st)] + per + [sum(per), review, safe_cell("; ".join(problems))])


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "student"


def feedback_names(students: list[str]) -> dict[str, str]:
    """A distinct file name per student. Names that differ only in case, spacing or punctuation
    ("Anna Lee", "anna  lee", "Anna-Lee") get a short digest of the exact name, so no student's
    feedback replaces another's, even on a case-insensitive disk."""
    bases: dict[str, list[str]] = {}
    for st in sorted(students):
        bases.setdefault(_safe(st).casefold(), []).append(st)
    out = {}
    for group in bases.values():
        for st in group:
            digest = hashlib.sha1(st.encode("utf-8")).hexdigest()[:8]
            out[st] = _safe(st) if len(group) == 1 else f"{_safe(st)}-{digest}"
    return out


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_feedback(student: str, items: list[tuple[str, list[Row], Graded | None]], path: Path, hints) -> None:
    """``items``: (exercise, its rows, the graded detail or None) for one student."""
    lines = [f"# Feedback for {student}", ""]
    for exercise, rows, graded in items:
        filename = next((r.filename for r in rows if r.filename), "")
        lines += [f"## {exercise or '(no exercise)'}" + (f" ({filename})" if filename else ""), ""]
        for r in rows:
            if r.question == NOTEBOOK and r.result != "ok":
                lines.append(f"- Problem ({r.result}): {PROBLEM_TEXT.get(r.result, '')} {r.detail}".rstrip())
        q_rows = [r for r in rows if r.question != NOTEBOOK]
        if q_rows:
            done = sum(r.result == "correct" for r in q_rows)
            auto = sum(r.result != FOR_REVIEW for r in q_rows if not (graded and r.question in graded.written))
            review = sum(r.result == FOR_REVIEW for r in q_rows)
            lines.append(f"- {done} of {auto} checked questions correct; {review} written answer(s) for review.")
            lines += ["", "| question | result | feedback |", "| --- | --- | --- |"]
            for r in q_rows:
                msg = graded.messages.get(r.question, "") if graded else ""
                if r.result == FOR_REVIEW:
                    msg = r.detail
                elif r.result in ("error", "missing_cell", "not_run", "not_checked"):
                    hint = hints(exercise, r.question)
                    msg = (r.detail + (f" Hint: {hint}" if hint else "")).strip()
                lines.append(f"| {r.question} | {RESULT_TEXT.get(r.result, r.result)} | {_md(msg)} |")
            written = graded.written if graded else {}
            for qid, text in written.items():
                lines += ["", f"### {qid}: the written answer, for review", ""]
                lines += ["> " + ln if ln.strip() else ">" for ln in text.strip().splitlines()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def _quote(text: str) -> list[str]:
    return ["> " + ln if ln.strip() else ">" for ln in text.strip().splitlines()] or [">"]


def write_review(per_student: dict[str, list[tuple[str, list[Row], Graded | None]]], sets: dict, path: Path,
                 model=lambda set_id, qid: None) -> int:
    """The written answers for review, grouped by exercise and question, each question under its rubric.

    ``sets`` maps an exercise name to its ExerciseSet; ``model(set_id, qid)`` gives the model answer or
    None. Returns the number of answers listed."""
    answers: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for student in sorted(per_student):
        for exercise, _rows, graded in per_student[student]:
            for qid, text in (graded.written if graded else {}).items():
                answers.setdefault(exercise, {}).setdefault(qid, []).append((student, text))
    lines = ["# Written answers for review", "",
             "Each question's rubric comes first: read each answer, find the level whose description fits it best, "
             "and compare it with that level's exemplar.", ""]
    count = 0
    for exercise in sorted(answers):
        es = sets.get(exercise)
        lines += [f"## {exercise}", ""]
        order = list(es.questions) if es else []
        for qid in sorted(answers[exercise], key=lambda q: (order.index(q) if q in order else len(order), q)):
            q = es.questions.get(qid) if es else None
            lines += [f"### {qid}" + (f" ({q.kind})" if q else ""), ""]
            if q is not None and getattr(q, "rubric", None):
                lines += ["| level | description | exemplar | sources |", "| --- | --- | --- | --- |"]
                for lv in q.rubric:
                    lines.append(f"| {lv.level} | {_md(lv.description)} | {_md(lv.exemplar)} | "
                                 f"{_md('; '.join(lv.sources))} |")
                lines.append("")
            text = model(es.set_id, qid) if es else None
            if text:
                lines += ["Model answer (instructor's copy):", ""] + _quote(text) + [""]
            for student, answer in answers[exercise][qid]:
                count += 1
                lines += [f"**{student}** ({len(answer.split())} words)", ""] + _quote(answer) + [""]
    if not count:
        lines.append("No written answers were recorded.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count
