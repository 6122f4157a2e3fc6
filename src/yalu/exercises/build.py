"""Student versions, fresh copies and the student release: ``python -m yalu.exercises ...``.

``build [--check]``
    regenerate ``exercises/NN_*.ipynb`` from ``instructor/solutions/NN_*.ipynb`` (solution
    regions replaced by placeholders, outputs cleared) and the model answers in
    ``src/yalu/model_answers.json``; and the pandas on-ramp ``notebooks/00b_*.ipynb`` from its
    solution notebook (there only the micro-exercise cells lose their outputs: the tables and
    figures stay, and nbval runs those cells without comparing them). ``--check`` writes nothing and exits 1 when something
    is out of date.
``fresh-copy NAME [DEST]``
    copy a clean student version to DEST (default: the current folder); never replaces a
    file: it picks ``NAME-copy2.ipynb`` etc. and says so.
``release DEST``
    write the tree students get into the new folder DEST: only files git tracks (so graded
    output, submissions, scratch notebooks or a stray virtual environment never reach
    students), and of those no ``instructor/`` folder, no model answers, no tests or
    developer tools. There ``reveal()`` shows the rubric only. Needs git.

>>> strip_solutions("### BEGIN SOLUTION\\nanswer = 4\\n### END SOLUTION\\ncheck('q1', answer)")[0]
"answer = None  # your answer here\\ncheck('q1', answer)"
"""
from __future__ import annotations

import argparse
import ast
import copy
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from yalu.course import ONRAMP
from yalu.exercises.model_answers import FILE as MODEL_ANSWERS_FILE
from yalu.exercises.model_answers import file_text as model_answers_text
from yalu.paths import repo_root

__all__ = ["strip_solutions", "student_version", "build", "fresh_copy", "release", "main", "RELEASE_EXCLUDE"]

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
SOLUTION_TAG = "solution"
INSTRUCTOR_TAG = "instructor-only"
WRITTEN_PLACEHOLDER = ("*After you have written your own answer and run `reveal` in the cell above, compare it with "
                       "the rubric shown there.*")


def _cell_meta(cell) -> dict:
    return cell.get("metadata", {}).get("yalu", {}) or {}


def _placeholder_lines(region: list[str], rest: str, indent: str) -> list[str]:
    """Placeholders for a solution region: ``name = None  # your answer here`` for each name
    assigned in the region and used after it; empty triple quotes for a written answer
    (a name passed to ``reveal``)."""
    source = textwrap.dedent("\n".join(region))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [f"{indent}# your answer here"]
    assigned: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) and node.value is not None else [])
        for t in targets:
            if isinstance(t, ast.Name) and t.id not in assigned:
                assigned.append(t.id)
    used = {n.id for n in ast.walk(ast.parse(rest)) if isinstance(n, ast.Name)} if rest.strip() else set()
    written = "reveal(" in rest
    lines = []
    for name in assigned:
        if name in used:
            if written:
                lines += [f'{indent}{name} = """', "", '"""  # write your answer between the triple quotes']
            else:
                lines.append(f"{indent}{name} = None  # your answer here")
    return lines or [f"{indent}# your answer here"]


def strip_solutions(source: str) -> tuple[str, list[str]]:
    """(student source, the solution lines removed) for one code cell."""
    lines = source.splitlines()
    out, removed, region, indent, in_region = [], [], [], "", False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(BEGIN):
            if in_region:
                raise ValueError(f"nested {BEGIN}")
            in_region, region, indent = True, [], line[: len(line) - len(line.lstrip())]
            continue
        if stripped.startswith(END):
            if not in_region:
                raise ValueError(f"{END} without {BEGIN}")
            rest = "\n".join(lines[i + 1:])
            try:
                ast.parse(textwrap.dedent(rest))
            except SyntaxError:
                rest = ""
            out.extend(_placeholder_lines(region, textwrap.dedent(rest), indent))
            removed.extend(region)
            in_region = False
            continue
        (region if in_region else out).append(line)
    if in_region:
        raise ValueError(f"{BEGIN} without {END}")
    return "\n".join(out), removed


#: nbval's tag for a cell that runs but whose output is not compared (the on-ramp's answer cells).
LAX_TAG = "nbval-ignore-output"


def student_version(nb, keep_outputs: bool = False) -> tuple[Any, dict[str, str], list[str]]:
    """(student notebook, {qid: model answer markdown}, solution texts) for a solution notebook.

    With ``keep_outputs`` (the on-ramp, a narrative notebook) only the cells that held a solution
    lose their outputs, and get nbval's tag :data:`LAX_TAG`; the other cells keep theirs."""
    nb = copy.deepcopy(nb)
    models: dict[str, str] = {}
    removed_all: list[str] = []
    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if INSTRUCTOR_TAG in tags:
            removed_all.append(cell.source)
            continue
        if cell.cell_type == "markdown" and SOLUTION_TAG in tags:
            qid = _cell_meta(cell).get("question")
            if qid:  # without the instructor's label line ("**Model answer** (instructor version ...)")
                models[qid] = re.sub(r"\A\s*\*\*Model answer\*\*[^\n]*\n+", "", cell.source).strip()
            removed_all.append(cell.source)
            cell.source = WRITTEN_PLACEHOLDER
            cell.metadata["tags"] = [t for t in tags if t != SOLUTION_TAG]
            if not cell.metadata["tags"]:
                del cell.metadata["tags"]
        elif cell.cell_type == "code":
            cell.source, removed = strip_solutions(cell.source)
            removed_all.extend(removed)
            if keep_outputs and not removed:
                cells.append(cell)
                continue
            if keep_outputs:
                cell.metadata["tags"] = [*tags, LAX_TAG] if LAX_TAG not in tags else tags
            cell.outputs = []
            cell.execution_count = None
            for key in ("execution", "collapsed", "scrolled"):
                cell.metadata.pop(key, None)
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    nb.metadata.setdefault("yalu", {})["student_version"] = True
    nbformat.validate(nb)
    return nb, models, removed_all


def _dumps(nb) -> str:
    return nbformat.writes(nb) + "\n"


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    backups: list[tuple[Path, Path]] = field(default_factory=list)


def build(root: Path | None = None, check_only: bool = False, out=print) -> BuildResult:
    """Regenerate the student versions and the model answers; see the module docstring."""
    root = Path(root) if root else repo_root()
    sol_dir, ex_dir = root / "instructor" / "solutions", root / "exercises"
    result = BuildResult()
    models: dict[str, dict[str, str]] = {}
    solutions = sorted(sol_dir.glob("[0-9][0-9]_*.ipynb"))
    if not solutions:
        out(f"No solution notebooks in {sol_dir}.")
    targets: dict[Path, str] = {}
    for sol in solutions:
        student, model, _ = student_version(nbformat.read(sol, as_version=4))
        models[sol.name[:2]] = model
        targets[ex_dir / sol.name] = _dumps(student)
    onramp = sol_dir / ONRAMP
    if onramp.is_file():  # the pandas on-ramp: a narrative notebook with micro-exercises, for notebooks/
        student, _, _ = student_version(nbformat.read(onramp, as_version=4), keep_outputs=True)
        targets[root / "notebooks" / ONRAMP] = _dumps(student)
    targets[root / "src" / "yalu" / MODEL_ANSWERS_FILE.name] = model_answers_text(models)
    for path, text in targets.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            result.unchanged.append(path)
            continue
        result.stale.append(path)
        if check_only:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if current is not None and path.suffix == ".ipynb":  # it differs: typed answers are work too
            backup = _free_name(path.with_name(path.stem + "-backup.ipynb"))
            os.replace(path, backup)
            result.backups.append((path, backup))
            out(f"{path.relative_to(root)} differed from the new build (edited or run); "
                f"kept it as {backup.relative_to(root)}.")
        path.write_text(text, encoding="utf-8")
        result.written.append(path)
    if check_only:
        for p in result.stale:
            out(f"out of date: {p.relative_to(root)}")
        if not result.stale:
            out("Student versions are up to date.")
    else:
        for p in result.written:
            out(f"wrote {p.relative_to(root)}")
        out(f"{len(result.written)} written, {len(result.unchanged)} already up to date.")
    return result


# --------------------------------------------------------------------------- fresh copies


def _free_name(path: Path) -> Path:
    if not path.exists():
        return path
    stem = re.sub(r"-copy\d+$", "", path.stem)
    n = 2
    while True:
        cand = path.with_name(f"{stem}-copy{n}{path.suffix}")
        if not cand.exists():
            return cand
        n += 1


def fresh_copy(name: str, dest: str | Path | None = None, root: Path | None = None, out=print) -> Path:
    """Copy the student version of exercise NAME to DEST without ever replacing a file."""
    root = Path(root) if root else repo_root()
    ex_dir = root / "exercises"
    key = Path(str(name)).name
    key = key[:-6] if key.endswith(".ipynb") else key
    templates = sorted(p for p in ex_dir.glob("[0-9][0-9]_*.ipynb") if re.fullmatch(r"\d\d_[a-z0-9_]+", p.stem))
    if key.isdigit():
        matches = [p for p in templates if p.stem[:2] == key.zfill(2)]
    else:
        matches = [p for p in templates if p.stem == key] or [p for p in templates if p.stem.startswith(key)]
    if len(matches) != 1:
        names = ", ".join(p.stem for p in templates)
        raise SystemExit(f"No single exercise matches {name!r}. The exercises are: {names or '(none built yet)'}.")
    source = matches[0]
    dest = Path(dest) if dest else Path.cwd()
    target = dest / source.name if (dest.is_dir() or str(dest).endswith(os.sep)) else dest
    if target.suffix != ".ipynb":
        target = target.with_suffix(".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    data = source.read_bytes()
    wanted = target
    while True:
        target = _free_name(target)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:  # created meanwhile: try the next name
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        break
    if target != wanted:
        out(f"{wanted} already exists, so it was left alone; your fresh copy is {target}")
    else:
        out(f"Your fresh copy is {target}")
    return target


# --------------------------------------------------------------------------- the student release

# Left out of the tree students get: the instructor's material, the model answers, and what
# only developers need. Patterns are matched against each path relative to the repository.
RELEASE_EXCLUDE = (
    "instructor", "src/yalu/model_answers.json", "tests", "bench", "tools", "docs",
    ".ci", ".git", ".github", ".venv",
    "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", ".ipynb_checkpoints",
    "exercises/*-backup*.ipynb", "exercises/*-copy*.ipynb", "notebooks/*-backup*.ipynb", "conftest.py", "test-artifacts", "node_modules",
)


def _excluded(rel: Path) -> bool:
    text = rel.as_posix()
    for pattern in RELEASE_EXCLUDE:
        if "/" in pattern:
            if rel.match(pattern) or text == pattern:
                return True
        elif any(Path(part).match(pattern) for part in rel.parts):
            return True
    return False


def _tracked(root: Path) -> list[Path]:
    """The files git tracks under root: only these can reach students (never graded output,
    submissions, scratch notebooks or a virtual environment that happen to lie in the tree)."""
    git = shutil.which("git")
    if not git:
        raise SystemExit("The release copies only the files git tracks, and git is not installed here; "
                         "install git (Debian/Ubuntu: apt-get install git) and run it from a checkout.")
    try:
        proc = subprocess.run([git, "-C", str(root), "ls-files", "-z", "--cached"], capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SystemExit(f"git ls-files failed in {root}: {exc}") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SystemExit(f"{root} is not a git checkout, so the release cannot tell which files belong to it"
                         f" ({msg[0] if msg else 'git ls-files failed'}).")
    return sorted(Path(name) for name in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if name)


def release(dest: str | Path, root: Path | None = None, out=print) -> Path:
    """Copy the student tree to the new (or empty) folder DEST; see the module docstring."""
    root = Path(root) if root else repo_root()
    dest = Path(dest).resolve()
    if dest.exists() and any(dest.iterdir()):
        raise SystemExit(f"{dest} is not empty; give a new folder for the release.")
    if root.resolve() == dest or dest in root.resolve().parents:
        raise SystemExit("The release folder cannot contain the repository.")
    stale = build(root, check_only=True, out=lambda *a: None).stale
    stale_nb = [p for p in stale if p.suffix == ".ipynb"]
    if stale_nb:
        raise SystemExit("The student versions are out of date; run `python -m yalu.exercises build` first.")
    count = 0
    for rel in _tracked(root):
        source = root / rel
        if _excluded(rel) or not source.is_file() or dest in source.resolve().parents:
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        count += 1
    out(f"Wrote the student release ({count} files) to {dest}: no instructor/ folder, no model answers.")
    return dest


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yalu.exercises",
                                     description="Student versions, fresh copies and the student release.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="regenerate exercises/*.ipynb from instructor/solutions/*.ipynb")
    b.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything is out of date")
    b.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    f = sub.add_parser("fresh-copy", help="a clean copy of one exercise; never replaces a file")
    f.add_argument("name", help="e.g. 01 or 01_leaning_exercises")
    f.add_argument("dest", nargs="?", default=None, help="folder or file name (default: current folder)")
    f.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    r = sub.add_parser("release", help="write the tree students get (no instructor/, no model answers) to DEST")
    r.add_argument("dest", type=Path, help="a new or empty folder")
    r.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.cmd == "build":
            res = build(args.root, check_only=args.check)
            return 1 if (args.check and res.stale) else 0
        if args.cmd == "release":
            release(args.dest, root=args.root)
            return 0
        fresh_copy(args.name, args.dest, root=args.root)
        return 0
    except OSError as exc:
        print(f"python -m yalu.exercises {args.cmd}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 1
