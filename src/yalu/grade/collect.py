"""Collect the exercise notebooks from the students' hub homes: ``python -m yalu.grade.collect``.

    python -m yalu.grade.collect SUBMISSIONS_DIR [--homes /home] [--course yalu] [--strip-prefix jupyter-] [USER ...]

For each home folder under ``--homes`` (or only the named users), copies the notebooks in
``HOME/COURSE/exercises/`` (the folder the nbgitpuller link made) to ``SUBMISSIONS_DIR/NAME/``,
the layout ``python -m yalu.grade`` reads. NAME is the home folder's name, less
``--strip-prefix`` (The Littlest JupyterHub names homes ``jupyter-NAME``).

Run it as the user who can read the homes (root on the hub's machine). It copies regular
files only: a link a student made (to another student's file, or to a system file) is skipped
and named, as is a notebook over ``--max-mb``. It never overwrites: SUBMISSIONS_DIR must not
exist yet, or be empty. The copies belong to the user who runs it.
"""
from __future__ import annotations

import argparse
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["collect", "main", "Collected"]


@dataclass
class Collected:
    copied: dict[str, list[str]] = field(default_factory=dict)  # student -> notebook names
    skipped: list[str] = field(default_factory=list)  # "student/name: why"
    without: list[str] = field(default_factory=list)  # homes with no exercises folder


def _homes(root: Path, users: list[str]) -> list[Path]:
    if users:
        return [root / u for u in users]
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))


def collect(dest: Path, homes: Path = Path("/home"), course: str = "yalu", users: list[str] | None = None,
            strip_prefix: str = "", max_mb: float = 50) -> Collected:
    """Copy every student's ``COURSE/exercises/*.ipynb`` into ``dest/STUDENT/``."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ValueError(f"{dest} exists and is not an empty folder: collect into a new one")
    if not homes.is_dir():
        raise ValueError(f"{homes} is not a folder of home folders")
    out = Collected()
    for home in _homes(homes, users or []):
        student = home.name[len(strip_prefix):] if strip_prefix and home.name.startswith(strip_prefix) else home.name
        folder = home / course / "exercises"
        try:
            if folder.is_symlink() or (home / course).is_symlink() or not folder.is_dir():
                out.without.append(student)
                continue
            entries = sorted(folder.iterdir())
        except OSError as e:
            out.skipped.append(f"{student}: {e.strerror}")
            continue
        for path in entries:
            if path.suffix != ".ipynb":
                continue
            try:
                info = path.lstat()
            except OSError as e:
                out.skipped.append(f"{student}/{path.name}: {e.strerror}")
                continue
            if not stat.S_ISREG(info.st_mode):
                out.skipped.append(f"{student}/{path.name}: not a regular file (a link?), not copied")
                continue
            if info.st_size > max_mb * 1e6:
                out.skipped.append(f"{student}/{path.name}: {info.st_size / 1e6:.0f} MB, over {max_mb:g} MB, not copied")
                continue
            # O_NOFOLLOW: a file swapped for a link after the check is refused, not followed.
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError as e:
                out.skipped.append(f"{student}/{path.name}: {e.strerror}")
                continue
            with os.fdopen(fd, "rb") as src:
                data = src.read(int(max_mb * 1e6) + 1)
            target = dest / student
            target.mkdir(parents=True, exist_ok=True)
            (target / path.name).write_bytes(data)
            out.copied.setdefault(student, []).append(path.name)
    dest.mkdir(parents=True, exist_ok=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yalu.grade.collect",
                                     description="Copy the exercise notebooks from the students' hub homes "
                                                 "into one folder per student, ready for python -m yalu.grade.")
    parser.add_argument("submissions", type=Path, help="new folder to collect into")
    parser.add_argument("users", nargs="*", help="only these home folders (default: every folder under --homes)")
    parser.add_argument("--homes", type=Path, default=Path("/home"), help="folder holding the home folders (default /home)")
    parser.add_argument("--course", default="yalu", help="the course folder in each home (default yalu)")
    parser.add_argument("--strip-prefix", default="", help="drop this from folder names (TLJH: jupyter-)")
    parser.add_argument("--max-mb", type=float, default=50, help="skip notebooks larger than this (default 50)")
    args = parser.parse_intermixed_args(argv)
    try:
        got = collect(args.submissions, args.homes, args.course, args.users, args.strip_prefix, args.max_mb)
    except ValueError as e:
        print(f"collect: {e}", file=sys.stderr)
        return 2
    n = sum(len(v) for v in got.copied.values())
    print(f"collected {n} notebook(s) from {len(got.copied)} student(s) into {args.submissions}")
    if got.without:
        print(f"no {args.course}/exercises folder: {', '.join(got.without)}")
    for line in got.skipped:
        print(f"skipped {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
