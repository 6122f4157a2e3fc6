"""Execute notebooks in place and store their outputs, the one way the collection does it.

    .venv/bin/python tools/run_notebooks.py [PATH ...]      (default: every notebook the suite checks)

Each notebook runs in a fresh kernel in its own folder, with an empty evidence log of its own in a
temporary folder (never the repository or the home folder). A notebook built from a solution notebook
(the pandas on-ramp in notebooks/, marked ``yalu.student_version``) is not run: run its solution
in instructor/solutions/, then `python -m yalu.exercises build` writes it. Widget state and widget view ids are
random on every run, and nbclient's timings are timestamps, so none of them is stored; nbval
ignores widget views anyway. Run this after any
change to data/ or src/yalu/, then `make test`.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ["notebooks", "instructor/solutions"]
EVIDENCE_LOG = "YALU_EVIDENCE_LOG"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_volatile(nb) -> None:
    """Drop what changes on every run: widget state, widget view ids, execution timestamps."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for out in cell.get("outputs", []):
            out.get("data", {}).pop(WIDGET_VIEW, None)


def run(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    if nb.metadata.get("yalu", {}).get("student_version"):
        print(f"  skipped: built from instructor/solutions/{path.name} by `python -m yalu.exercises build`", flush=True)
        return
    client = NotebookClient(nb, timeout=600, kernel_name="python3", store_widget_state=False, record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    # A fresh, empty evidence log of its own (yalu.evidence_log), outside the repository and the
    # home folder, so that the stored outputs never depend on a log left by an earlier run.
    saved = os.environ.get(EVIDENCE_LOG)
    with tempfile.TemporaryDirectory(prefix="yalu-evidence-log-") as folder:
        os.environ[EVIDENCE_LOG] = str(Path(folder) / "yalu-evidence-log.csv")
        try:
            client.execute()
        finally:
            if saved is None:
                os.environ.pop(EVIDENCE_LOG, None)
            else:
                os.environ[EVIDENCE_LOG] = saved
    strip_volatile(nb)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or [p for d in DEFAULT for p in sorted((ROOT / d).glob("*.ipynb"))]
    for path in targets:
        print(f"running {path}", flush=True)
        run(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
