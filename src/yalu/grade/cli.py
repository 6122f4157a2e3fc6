"""``python -m yalu.grade SUBMISSIONS_DIR [--out DIR] [-j N] [--timeout S] [--memory MB] [--unsafe-no-sandbox]``.

Each notebook runs on a copy, in its own bubblewrap box (see :mod:`yalu.grade.sandbox`);
the originals are only read. Output (default: ``SUBMISSIONS_DIR-graded`` beside the
submissions): ``gradebook.csv`` (student, filename, exercise, question, result, detail),
``summary.csv`` (one row per student, correct answers per exercise set) and
``feedback/STUDENT.md``. Without a working ``bwrap`` the grader refuses to run unless
``--unsafe-no-sandbox`` is given.
"""
from __future__ import annotations

import argparse
import copy
import shutil
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import nbformat

from yalu.errors import YaluError
from yalu.exercises.bank import get_set
from yalu.exercises.model_answers import get as model_answer
from yalu.exercises.questions import WrittenQuestion
from yalu.grade.report import feedback_names, write_feedback, write_gradebook, write_review, write_summary
from yalu.grade.runner import clear
from yalu.grade.sandbox import Limits, bwrap_available, run_boxed, warm_cache
from yalu.grade.submissions import Handed, find_submissions
from yalu.grade.verdict import NOTEBOOK, Graded, Row, grade_run, markers
from yalu.paths import repo_root

__all__ = ["grade", "main", "load_templates"]


def load_templates(folder: Path) -> dict[str, tuple[str, object]]:
    """{two-digit prefix: (exercise name, template notebook)} for the student versions in folder."""
    out = {}
    for path in sorted(Path(folder).glob("[0-9][0-9]_*.ipynb")):
        if "-copy" in path.stem or "-backup" in path.stem:
            continue
        out[path.stem[:2]] = (path.stem, nbformat.read(path, as_version=4))
    return out


def _prefix(path: Path, nb, templates) -> str | None:
    meta = ((nb.metadata.get("yalu", {}) if nb is not None else {}) or {})
    name = str(meta.get("exercise") or "")
    for prefix in (path.stem.split("__")[-1][:2], name[:2]):
        if prefix in templates:
            return prefix
    return None


def _hint(exercise: str, qid: str) -> str:
    try:
        return get_set(exercise).questions[qid].hint.text()
    except (KeyError, AttributeError):
        return ""


def grade_file(student: str, path: Path, templates, work_root: Path, hide: list[Path], limits: Limits,
               sandbox: bool, cache: Path | None = None) -> tuple[list[Row], Graded | None, str]:
    """Rows for one submitted notebook (run in a box on a copy; ``cache``: the checked tables)."""
    filename = path.name
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # not JSON, not a notebook, unreadable
        prefix = _prefix(path, None, templates)
        exercise = templates[prefix][0] if prefix else path.stem
        msg = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        return [Row(student, filename, exercise, NOTEBOOK, "invalid_notebook", f"not a valid notebook: {msg}")], None, exercise
    prefix = _prefix(path, nb, templates)
    if prefix is None:
        return [Row(student, filename, path.stem, NOTEBOOK, "unknown_exercise",
                    "not one of the exercise notebooks (check the file name)")], None, path.stem
    exercise, template = templates[prefix]
    es = get_set(prefix)
    if not [m for m in markers(nb) if m != "setup"]:
        return [Row(student, filename, exercise, NOTEBOOK, "cells_deleted", "no question cells left")], None, exercise
    result = run_boxed(path, work_root, hide, limits, sandbox, cache)
    executed = copy.deepcopy(nb)  # only what the runner reported through its pipe counts
    clear(executed)
    last = result.record.get("last_cell")
    for index, (outputs, count) in result.outputs.items():
        if 0 <= index < len(executed.cells) and executed.cells[index].get("cell_type") == "code" \
                and isinstance(last, int) and index <= last:
            executed.cells[index]["outputs"] = outputs
            executed.cells[index]["execution_count"] = count
    run = result.record or {"started": False, "finished": False, "no_record": result.reason}
    graded = grade_run(student, filename, es, template, nb, executed, run)
    return graded.rows, graded, exercise


def _handed_rows(h: Handed, templates) -> list[Row]:
    rows = []
    if not h.graded:
        found = ", ".join(h.other_files[:5]) or "nothing"
        rows.append(Row(h.student, "", "", NOTEBOOK, "no_notebook", f"no .ipynb file in the folder (found: {found})"))
    for old, new in h.superseded:
        prefix = _prefix(old, None, templates)
        exercise = templates[prefix][0] if prefix else old.stem
        rows.append(Row(h.student, old.name, exercise, NOTEBOOK, "superseded", f"{new.name} was graded instead"))
    return rows


def grade(submissions: Path, out: Path | None = None, templates: Path | None = None, limits: Limits | None = None,
          jobs: int = 1, sandbox: bool = True, progress: bool = True, echo=print) -> list[Row]:
    """Grade every submission; write OUT/gradebook.csv, OUT/summary.csv and OUT/feedback/."""
    limits = limits or Limits()
    submissions = Path(submissions).resolve()
    if not submissions.is_dir():
        raise SystemExit(f"{submissions} is not a folder of submissions")
    out = Path(out).resolve() if out else submissions.with_name(submissions.name + "-graded")
    if out == submissions or submissions in out.parents:
        raise SystemExit("Choose an --out folder outside the submissions folder (the submissions are never changed).")
    if sandbox and not bwrap_available():
        raise SystemExit("bubblewrap (bwrap) is missing or cannot make a sandbox here, so the notebooks cannot be run "
                         "safely. Install it (Debian/Ubuntu: apt-get install bubblewrap), or pass "
                         "--unsafe-no-sandbox if you trust every submission.")
    if templates:
        folder = Path(templates)
    else:
        try:
            folder = repo_root() / "exercises"
        except YaluError:
            raise SystemExit("cannot find the exercises/ folder of a checkout here; pass --templates FOLDER") from None
    if not folder.is_dir():
        raise SystemExit(f"{folder} is not a folder of exercise templates")
    known = {}
    for prefix, (name, nb) in load_templates(folder).items():
        try:
            get_set(prefix)
        except KeyError:
            echo(f"skipped {name}.ipynb: no question set {prefix} is defined for it")
            continue
        known[prefix] = (name, nb)
    if not known:
        raise SystemExit(f"No exercise templates in {folder}; run `make student-versions` first.")
    handed = find_submissions(submissions, exclude=[out])
    work_root = Path(tempfile.mkdtemp(prefix="yalu-grade-"))
    hide = [submissions, out, work_root]
    try:
        root = repo_root()
        hide += [root / "instructor", root / ".git"]
    except YaluError:
        pass
    rows: list[Row] = []
    per_student: dict[str, list[tuple[str, list[Row], Graded | None]]] = {h.student: [] for h in handed}
    for h in handed:
        extra = _handed_rows(h, known)
        rows += extra
        for r in extra:
            per_student[h.student].append((r.exercise, [r], None))
    tasks = [(h.student, path) for h in handed for path in h.graded]
    results: dict[tuple[str, Path], tuple[list[Row], Graded | None, str]] = {}
    try:
        from tqdm.auto import tqdm
    except ImportError:  # progress is a nicety
        tqdm = None
    bar = tqdm(total=len(tasks), desc="grading", unit="notebook", disable=not progress, file=sys.stderr) if tqdm else None
    try:
        cache = warm_cache(work_root / "table-cache") if tasks else None  # each box reads it, none re-checks
        if tasks and cache is None:
            echo("note: the data tables could not be checked ahead of the runs; each notebook checks them itself")
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {pool.submit(grade_file, st, path, known, work_root, hide, limits, sandbox, cache): (st, path)
                       for st, path in tasks}
            for fut in as_completed(futures):
                st, path = futures[fut]
                try:
                    results[(st, path)] = fut.result()
                except Exception as exc:  # a grader bug must not stop the class's grading
                    results[(st, path)] = ([Row(st, path.name, path.stem, NOTEBOOK, "grader_error",
                                                f"{type(exc).__name__}: {str(exc)[:160]}")], None, path.stem)
                if bar:
                    bar.update(1)
    finally:
        if bar:
            bar.close()
        shutil.rmtree(work_root, ignore_errors=True)
    for st, path in tasks:
        file_rows, graded, exercise = results[(st, path)]
        rows += file_rows
        per_student[st].append((exercise, file_rows, graded))
    rows.sort(key=lambda r: (r.student, r.exercise, r.filename, r.question != NOTEBOOK))
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    write_gradebook(rows, out / "gradebook.csv")
    totals = {name: sum(not isinstance(q, WrittenQuestion) for q in get_set(p).questions.values())
              for p, (name, _) in known.items()}
    write_summary(rows, out / "summary.csv", totals)
    names = feedback_names(list(per_student))
    for st, items in per_student.items():
        write_feedback(st, sorted(items, key=lambda i: i[0]), out / "feedback" / f"{names[st]}.md", _hint)
    sets = {name: get_set(p) for p, (name, _) in known.items()}
    write_review(per_student, sets, out / "review.md", model_answer)
    problems = [r for r in rows if r.question == NOTEBOOK and r.result != "ok"]
    echo(f"{len(per_student)} student(s), {len(tasks)} notebook(s) graded; {len(problems)} problem(s). "
         f"Gradebook: {out / 'gradebook.csv'}")
    return rows


def _positive(kind, low, high):
    """An argparse type: a number of ``kind`` between low and high, else a one-line message."""
    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not (low <= value <= high) or value != value:
            raise argparse.ArgumentTypeError(f"{text} is out of range (allowed: {low} to {high})")
        return value
    convert.__name__ = kind.__name__
    return convert


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not the usage block
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m yalu.grade", description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="folder with one sub-folder of notebooks per student")
    parser.add_argument("--out", type=Path, default=None,
                        help="where to write the results (default: SUBMISSIONS-graded next to the submissions)")
    parser.add_argument("-j", "--jobs", type=_positive(int, 1, 64), default=1,
                        help="notebooks run in parallel, each in its own box")
    parser.add_argument("--timeout", type=_positive(float, 1, 86400), default=120.0,
                        help="seconds allowed per notebook (default 120)")
    parser.add_argument("--memory", type=_positive(int, 256, 1 << 20), default=1024,
                        help="memory limit per process in MB (default 1024)")
    parser.add_argument("--max-output", type=_positive(int, 1, 10_000), default=5,
                        help="MB of printed output kept per notebook (default 5)")
    parser.add_argument("--templates", type=Path, default=None, help="folder of exercise templates (default: exercises/)")
    parser.add_argument("--unsafe-no-sandbox", action="store_true",
                        help="run the notebooks without bubblewrap (only for submissions you trust)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    limits = Limits(timeout=args.timeout, memory=args.memory << 20, output=args.max_output * 1_000_000)
    try:
        grade(args.submissions, args.out, args.templates, limits, args.jobs, sandbox=not args.unsafe_no_sandbox,
              progress=not args.no_progress)
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(f"python -m yalu.grade: {exc.code}", file=sys.stderr)
            return 2
        raise
    except KeyboardInterrupt:
        print("python -m yalu.grade: interrupted; nothing was written for the notebooks not yet graded.",
              file=sys.stderr)
        return 130
    except (OSError, YaluError) as exc:
        print(f"python -m yalu.grade: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}", file=sys.stderr)
        return 1
    return 0
