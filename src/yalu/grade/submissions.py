"""Which notebook of each student is graded.

Layout: one folder per student (any name; the folder name is the student's name),
holding that student's notebooks, possibly in sub-folders. A notebook directly in the
submissions folder named ``STUDENT__EXERCISE.ipynb`` works too.

**The re-download rule.** A student may hand in several files for one exercise, because a
browser saves a second download of ``01_leaning_exercises.ipynb`` as
``01_leaning_exercises (1).ipynb``, or because ``fresh-copy`` made
``01_leaning_exercises-copy2.ipynb``. The copy number counts: no number is 0, ``(N)`` and
``-copyN`` are N. The file with the highest number is graded; the others are listed as
``superseded``. (File dates are not used: unzipping and copying change them.)

A folder with no notebook at all (empty, or only a zip) gets one ``no_notebook`` row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Handed", "find_submissions", "copy_number", "base_name"]

_COPY = re.compile(r"^(?P<base>.*?)(?:\s*\((?P<paren>\d+)\)|-copy(?P<copy>\d+))$")


def copy_number(stem: str) -> int:
    m = _COPY.match(stem)
    if not m:
        return 0
    return int(m["paren"] or m["copy"])


def base_name(stem: str) -> str:
    m = _COPY.match(stem)
    return (m["base"] if m else stem).strip()


@dataclass
class Handed:
    student: str
    graded: list[Path] = field(default_factory=list)
    superseded: list[tuple[Path, Path]] = field(default_factory=list)  # (file, the file graded instead)
    other_files: list[str] = field(default_factory=list)  # names of non-notebook files (zip, pdf...)


def _visible(path: Path, top: Path) -> bool:
    return not any(part.startswith(".") for part in path.relative_to(top).parts)


def _exercise_key(path: Path) -> str:
    base = base_name(path.stem)
    m = re.match(r"^(\d\d)_", base)
    return m[1] if m else base.casefold()


def _choose(student: str, notebooks: list[Path], others: list[str]) -> Handed:
    handed = Handed(student, other_files=others)
    groups: dict[str, list[Path]] = {}
    for nb in notebooks:
        groups.setdefault(_exercise_key(nb), []).append(nb)
    for key in sorted(groups):
        files = sorted(groups[key], key=lambda p: (copy_number(p.stem), str(p)))
        winner = files[-1]
        handed.graded.append(winner)
        handed.superseded += [(f, winner) for f in files[:-1]]
    return handed


def find_submissions(folder: Path, exclude: list[Path] = ()) -> list[Handed]:
    """Every student's hand-in, sorted by student name (exactly as the folder is named)."""
    folder = Path(folder)
    exclude = [Path(e).resolve() for e in exclude]
    per_student: dict[str, tuple[list[Path], list[str]]] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.resolve() in exclude:
            continue
        if path.is_dir():
            files = [p for p in sorted(path.rglob("*")) if p.is_file() and _visible(p, path)]
            nbs = [p for p in files if p.suffix == ".ipynb"]
            others = [str(p.relative_to(path)) for p in files if p.suffix != ".ipynb"]
            entry = per_student.setdefault(path.name, ([], []))
            entry[0].extend(nbs)
            entry[1].extend(others)
        elif path.suffix == ".ipynb":
            student = path.stem.split("__")[0] if "__" in path.stem else path.stem
            per_student.setdefault(student, ([], []))[0].append(path)
    return [_choose(student, nbs, others) for student, (nbs, others) in sorted(per_student.items())]
