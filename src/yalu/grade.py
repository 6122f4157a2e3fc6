"""Grade a folder of submitted exercise notebooks: ``python -m yalu.grade SUBMISSIONS_DIR``.

Layout: one folder per student holding that student's notebooks::

    SUBMISSIONS_DIR/
        alice/01_leaning_exercises.ipynb
        alice/02_treaty_exercises.ipynb
        bob/01_leaning_exercises.ipynb

(A notebook directly in SUBMISSIONS_DIR named ``STUDENT__EXERCISE.ipynb`` works too.)

Each notebook is copied to a temporary folder and run there with nbclient and a
fresh kernel, with a time limit for the whole notebook (``--timeout``, seconds).
The original files are only read, never changed. Output (default: a folder
``SUBMISSIONS_DIR-graded`` next to the submissions, or ``--out``):

``gradebook.csv``
    columns student, exercise, question, result, detail. One row per question,
    plus a row with question ``(notebook)`` for the notebook as a whole: ``ok``,
    or a problem: ``invalid_notebook`` (not notebook JSON), ``unknown_exercise``,
    ``run_error`` (a cell raised an error; the run goes on), ``timeout``,
    ``kernel_died``, ``cells_deleted``, ``cells_reordered``.
    Question results: ``correct``, ``not_yet``, ``not_answered``, ``invalid``,
    ``attempted`` (written answer, self-assessed), ``error`` (its cell raised an
    error), ``not_run`` (the run stopped before it), ``not_checked`` (the check
    was never called), ``missing_cell`` (the question's cell was deleted).
``feedback/STUDENT.md``
    one Markdown feedback file per student.

Questions are found by their cell metadata (``{"yalu": {"question": "q3"}}``), so a
deleted or moved cell is reported rather than silently mis-graded.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["grade", "grade_notebook", "Submission", "main"]

REPORT_MARK = "@@YALU_REPORT@@"
REPORT_CODE = (
    "import sys as _yalu_sys\n"
    "_yalu_m = _yalu_sys.modules.get('yalu.exercises')\n"
    f"print({REPORT_MARK!r} + (_yalu_m._report_json() if _yalu_m else '{{}}'))\n"
)
NOTEBOOK = "(notebook)"
DEFAULT_TIMEOUT = 120.0


@dataclass
class Row:
    student: str
    exercise: str
    question: str
    result: str
    detail: str = ""


@dataclass
class Submission:
    student: str
    path: Path
    exercise: str = ""
    rows: list[Row] = field(default_factory=list)
    messages: dict[str, str] = field(default_factory=dict)  # qid -> feedback text


# --------------------------------------------------------------------------- templates


def _markers(nb) -> list[str]:
    """The structural cells of an exercise notebook, in order: 'setup', 'q1', 'q2'..."""
    seen: list[str] = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("yalu", {}) or {}
        if cell.get("cell_type") != "code":
            continue
        marker = meta.get("question") or ("setup" if meta.get("cell") == "setup" else None)
        if marker and marker not in seen:
            seen.append(marker)
    return seen


def load_templates(folder: Path) -> dict[str, tuple[str, list[str]]]:
    """{two-digit prefix: (exercise name, markers)} for the student templates in folder."""
    import nbformat

    out = {}
    for path in sorted(Path(folder).glob("[0-9][0-9]_*.ipynb")):
        if "-copy" in path.stem or "-backup" in path.stem:
            continue
        nb = nbformat.read(path, as_version=4)
        out[path.stem[:2]] = (path.stem, _markers(nb))
    return out


# --------------------------------------------------------------------------- running


def _run(nb, workdir: Path, timeout: float, attempts: int = 3) -> dict:
    """Run nb in workdir with a whole-notebook time limit. Returns what happened.

    A kernel that fails to start (no student code run yet) is the machine's
    problem, not the student's: that is retried a few times.
    """
    import copy

    for attempt in range(attempts):
        trial = copy.deepcopy(nb)
        info = _run_once(trial, workdir, timeout)
        if info["started"] or attempt == attempts - 1:
            nb.cells[:] = trial.cells
            return info
        time.sleep(1)
    return info


def _run_once(nb, workdir: Path, timeout: float) -> dict:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    import nbformat

    info = {"errors": [], "timeout_at": None, "died": None, "report": None, "started": False}
    deadline = [math.inf]

    def remaining(cell):
        return max(1, math.ceil(deadline[0] - time.monotonic()))

    client = NotebookClient(
        nb,
        kernel_name="python3",
        allow_errors=True,
        timeout=int(math.ceil(timeout)),
        timeout_func=remaining,
        startup_timeout=60,
        resources={"metadata": {"path": str(workdir)}},
    )
    try:
        with client.setup_kernel(stderr=subprocess.DEVNULL):  # the kernel's own log noise
            deadline[0] = time.monotonic() + timeout
            info["started"] = True
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                if time.monotonic() >= deadline[0]:
                    info["timeout_at"] = index
                    break
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    info["timeout_at"] = index
                    break
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error":
                        info["errors"].append((index, out.get("ename", "Error"), str(out.get("evalue", ""))[:200]))
            if info["timeout_at"] is not None:
                try:  # stop the runaway cell, then still collect the checks already made
                    from jupyter_core.utils import run_sync

                    run_sync(client.km.interrupt_kernel)()
                    time.sleep(0.5)
                except Exception:
                    pass
            report_cell = nbformat.v4.new_code_cell(REPORT_CODE)
            nb.cells.append(report_cell)  # nb is the temporary copy's content
            deadline[0] = time.monotonic() + 15
            try:
                client.execute_cell(report_cell, len(nb.cells) - 1)
                for out in report_cell.get("outputs", []):
                    text = out.get("text", "")
                    if REPORT_MARK in text:
                        info["report"] = json.loads(text.split(REPORT_MARK, 1)[1].strip().splitlines()[0])
            except Exception:
                pass
    except DeadKernelError as exc:
        info["died"] = str(exc).splitlines()[0][:200] if str(exc) else "the kernel stopped"
    except CellTimeoutError:
        info["timeout_at"] = info["timeout_at"] if info["timeout_at"] is not None else -1
    except Exception as exc:  # a kernel that cannot start, etc.
        info["died"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
    return info


def _exercise_for(path: Path, nb, templates) -> str | None:
    meta = (nb.metadata.get("yalu", {}) if nb is not None else {}) or {}
    name = meta.get("exercise") or ""
    for prefix in (name[:2], path.stem.split("__")[-1][:2]):
        if prefix in templates:
            return prefix
    return None


def grade_notebook(student: str, path: Path, templates, timeout: float = DEFAULT_TIMEOUT) -> Submission:
    """Grade one submitted notebook (run on a temporary copy)."""
    import nbformat

    sub = Submission(student, path)
    with tempfile.TemporaryDirectory(prefix="yalu-grade-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copyfile(path, copy)
        try:
            nb = nbformat.read(copy, as_version=4)
        except Exception as exc:
            prefix = _exercise_for(path, None, templates)
            sub.exercise = templates[prefix][0] if prefix else path.stem
            msg = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
            sub.rows.append(Row(student, sub.exercise, NOTEBOOK, "invalid_notebook", f"not a valid notebook file: {msg}"))
            return sub
        prefix = _exercise_for(path, nb, templates)
        if prefix is None:
            sub.exercise = path.stem
            sub.rows.append(Row(student, sub.exercise, NOTEBOOK, "unknown_exercise",
                                "not one of the exercise notebooks (check the file name)"))
            return sub
        sub.exercise, want = templates[prefix]
        have = _markers(nb)
        missing = [m for m in want if m not in have]
        common = [m for m in have if m in want]
        problems = []
        if missing:
            problems.append(("cells_deleted", "cells missing: " + ", ".join(missing)))
        if common != [m for m in want if m in have]:
            problems.append(("cells_reordered", "cells out of order: " + ", ".join(common)))
        # where each question's answer cell sits, to blame errors on the right question
        qcell = {}
        for index, cell in enumerate(nb.cells):
            q = (cell.get("metadata", {}).get("yalu", {}) or {}).get("question")
            if q and cell.cell_type == "code" and q not in qcell:
                qcell[q] = index
        info = _run(nb, Path(tmp), timeout)
    if info["errors"]:
        first = info["errors"][0]
        problems.append(("run_error", f"{len(info['errors'])} cell(s) raised an error; first: cell {first[0] + 1}, {first[1]}: {first[2]}"))
    if info["timeout_at"] is not None:
        problems.append(("timeout", f"stopped after {timeout:g} s at cell {info['timeout_at'] + 1} (an endless loop?)"))
    if info["died"]:
        problems.append(("kernel_died", info["died"]))
    for result, detail in problems or [("ok", "")]:
        sub.rows.append(Row(student, sub.exercise, NOTEBOOK, result, detail))
    log = (info["report"] or {}).get(prefix, {})
    errors_at = {i: f"{e}: {v}" for i, e, v in info["errors"]}
    stop = info["timeout_at"]
    for qid in [m for m in want if m != "setup" and not m.startswith("_")]:
        if qid in log:
            entry = log[qid]
            detail = entry.get("detail", "")
            if entry["status"] in ("not_yet", "invalid") and not detail:
                detail = entry.get("message", "")[:200]
            sub.rows.append(Row(student, sub.exercise, qid, entry["status"], detail))
            sub.messages[qid] = entry.get("message", "")
        elif qid in missing:
            sub.rows.append(Row(student, sub.exercise, qid, "missing_cell", "the question's code cell was deleted"))
        elif qcell.get(qid) in errors_at:
            sub.rows.append(Row(student, sub.exercise, qid, "error", errors_at[qcell[qid]]))
        elif (stop is not None and (stop < 0 or qcell.get(qid, 0) >= stop)) or info["died"]:
            sub.rows.append(Row(student, sub.exercise, qid, "not_run", "the run stopped before this question"))
        else:
            sub.rows.append(Row(student, sub.exercise, qid, "not_checked", "check() was not called for this question"))
    return sub


# --------------------------------------------------------------------------- folders and reports


def find_submissions(folder: Path) -> list[tuple[str, Path]]:
    found = []
    for path in sorted(Path(folder).iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            for nb in sorted(path.rglob("*.ipynb")):
                if not any(part.startswith(".") for part in nb.relative_to(path).parts):
                    found.append((path.name, nb))
        elif path.suffix == ".ipynb":
            student = path.stem.split("__")[0] if "__" in path.stem else path.stem
            found.append((student, path))
    return found


_RESULT_TEXT = {
    "correct": "correct",
    "not_yet": "not yet right",
    "not_answered": "not answered",
    "invalid": "answer in the wrong form",
    "attempted": "written answer attempted (self-assessed)",
    "error": "its cell raised an error",
    "not_run": "not run (the notebook stopped earlier)",
    "not_checked": "check() not run",
    "missing_cell": "cell deleted",
}
_PROBLEM_TEXT = {
    "invalid_notebook": "The file is not a valid notebook, so it could not be run.",
    "unknown_exercise": "The file is not one of the exercise notebooks.",
    "run_error": "Some cells raised errors when the notebook was run from the top.",
    "timeout": "The notebook did not finish in time (is there an endless loop?).",
    "kernel_died": "Python stopped while running the notebook.",
    "cells_deleted": "Some of the exercise's cells were deleted; use `python -m yalu.exercises fresh-copy` for a clean copy.",
    "cells_reordered": "Some of the exercise's cells were moved; keep the questions in their original order.",
}


def _hint(prefix_or_name: str, qid: str) -> str:
    try:
        from yalu.exercises import get_set

        return get_set(prefix_or_name).questions[qid].hint
    except Exception:
        return ""


def write_feedback(student: str, subs: list[Submission], folder: Path) -> Path:
    lines = [f"# Feedback for {student}", ""]
    for sub in subs:
        lines += [f"## {sub.exercise}", ""]
        nb_rows = [r for r in sub.rows if r.question == NOTEBOOK]
        q_rows = [r for r in sub.rows if r.question != NOTEBOOK]
        for r in nb_rows:
            if r.result != "ok":
                lines.append(f"- **Problem ({r.result})**: {_PROBLEM_TEXT.get(r.result, '')} {r.detail}".rstrip())
        if q_rows:
            done = sum(r.result == "correct" for r in q_rows)
            auto = sum(r.result != "attempted" for r in q_rows)
            written = sum(r.result == "attempted" for r in q_rows)
            lines.append(f"- {done} of {auto} checked questions correct; {written} written answer(s) attempted.")
            lines += ["", "| question | result | feedback |", "| --- | --- | --- |"]
            for r in q_rows:
                msg = sub.messages.get(r.question, "") if r.result not in ("attempted",) else r.detail
                if r.result in ("not_yet", "invalid", "error", "not_checked", "not_answered"):
                    hint = _hint(sub.exercise, r.question)
                    msg = (msg + (f" Hint: {hint}" if hint else "")).strip()
                if r.result in ("error", "missing_cell", "not_run") and r.detail:
                    msg = (r.detail + " " + msg).strip()
                msg = msg.replace("|", "\\|").replace("\n", " ")
                lines.append(f"| {r.question} | {_RESULT_TEXT.get(r.result, r.result)} | {msg} |")
        lines.append("")
    path = folder / f"{_safe(student)}.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "student"


def grade(submissions: Path, out: Path | None = None, templates: Path | None = None,
          timeout: float = DEFAULT_TIMEOUT, echo=print) -> list[Row]:
    """Grade every submission; write OUT/gradebook.csv and OUT/feedback/STUDENT.md."""
    from yalu.exercises import repo_root

    submissions = Path(submissions).resolve()
    if not submissions.is_dir():
        raise SystemExit(f"{submissions} is not a folder of submissions")
    out = Path(out) if out else submissions.with_name(submissions.name + "-graded")
    if out.resolve() == submissions or submissions in out.resolve().parents:
        raise SystemExit("Choose an --out folder outside the submissions folder (the submissions are never changed).")
    templates = Path(templates) if templates else repo_root() / "exercises"
    known = load_templates(templates)
    if not known:
        raise SystemExit(f"No exercise templates in {templates}; run `make student-versions` first.")
    by_student: dict[str, list[Submission]] = {}
    rows: list[Row] = []
    for student, path in find_submissions(submissions):
        echo(f"grading {student}: {path.name}")
        sub = grade_notebook(student, path, known, timeout)
        by_student.setdefault(student, []).append(sub)
        rows.extend(sub.rows)
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    with (out / "gradebook.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "exercise", "question", "result", "detail"])
        for r in rows:
            writer.writerow([r.student, r.exercise, r.question, r.result, r.detail])
    for student, subs in by_student.items():
        write_feedback(student, subs, out / "feedback")
    problems = [r for r in rows if r.question == NOTEBOOK and r.result != "ok"]
    echo(f"{len(by_student)} student(s), {sum(len(s) for s in by_student.values())} notebook(s); "
         f"{len(problems)} problem(s). Gradebook: {out / 'gradebook.csv'}")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yalu.grade", description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="folder with one sub-folder of notebooks per student")
    parser.add_argument("--out", type=Path, default=None, help="where to write gradebook.csv and feedback/ "
                        "(default: SUBMISSIONS-graded next to the submissions)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help=f"seconds allowed per notebook (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--templates", type=Path, default=None, help="folder of exercise templates (default: exercises/)")
    args = parser.parse_args(argv)
    grade(args.submissions, args.out, args.templates, args.timeout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
