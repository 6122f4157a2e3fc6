"""Run one notebook inside the sandbox: ``python -m yalu.grade.runner IN OUT --timeout S --max-output BYTES``.

This is the only grading code that runs in the box, next to the student's kernel. It
executes the code cells one by one and writes the notebook, with a small run record in
its metadata, to OUT after *every* cell, so the answers checked before a crash, a
timeout or ``os._exit`` survive. Output beyond ``--max-output`` bytes is dropped (the
answer records that ``check()`` writes are always kept, up to a small size each). It
never judges anything: the grader reads OUT after the box has gone.
"""
from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

ANSWER_MIME = "application/vnd.yalu.answer+json"  # the same as yalu.exercises.session.ANSWER_MIME
MAX_ANSWER_BYTES = 100_000
RUN_KEY = "yalu_run"


def _size(content: dict) -> int:
    total = 0
    for value in content.values():
        if isinstance(value, dict):
            total += _size(value)
        elif isinstance(value, (list, tuple)):
            total += sum(len(str(v)) for v in value)
        else:
            total += len(str(value))
    return total


class LimitedClient(NotebookClient):
    """A NotebookClient that stops storing output after ``max_output`` bytes per notebook."""

    def __init__(self, nb, max_output: int, **kw):
        super().__init__(nb, **kw)
        self.max_output = max_output
        self.used = 0
        self.cut_cells: list[int] = []

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        data = content.get("data", {}) if isinstance(content, dict) else {}
        if ANSWER_MIME in data:  # the answer record: kept, unless absurdly large
            if _size(content) <= MAX_ANSWER_BYTES:
                return super().output(outs, msg, display_id, cell_index)
            return None
        self.used += _size(content) if isinstance(content, dict) else 0
        if self.used > self.max_output:
            if cell_index not in self.cut_cells:
                self.cut_cells.append(cell_index)
                outs.append(nbformat.v4.new_output("stream", name="stderr",
                                                   text="[output cut: the notebook printed too much]\n"))
            return None
        return super().output(outs, msg, display_id, cell_index)


def _save(nb, path: str, record: dict) -> None:
    nb.metadata[RUN_KEY] = record
    tmp = path + ".part"
    with open(tmp, "w", encoding="utf-8") as fh:
        nbformat.write(nb, fh)
    os.replace(tmp, path)


def run(src: str, dst: str, timeout: float, max_output: int) -> None:
    nb = nbformat.read(src, as_version=4)
    record = {"started": False, "finished": False, "last_cell": None, "errors": [], "timeout_at": None,
              "died": None, "cut": []}
    _save(nb, dst, record)
    deadline = [math.inf]
    client = LimitedClient(
        nb, max_output, kernel_name="python3", allow_errors=True, timeout=int(math.ceil(timeout)),
        timeout_func=lambda cell: max(1, math.ceil(deadline[0] - time.monotonic())), startup_timeout=60,
        record_timing=False, store_widget_state=False,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(src))}},
    )
    try:
        with client.setup_kernel(stderr=subprocess.DEVNULL):
            record["started"] = True
            deadline[0] = time.monotonic() + timeout
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                if time.monotonic() >= deadline[0]:
                    record["timeout_at"] = index
                    break
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    record["timeout_at"] = index
                    break
                except DeadKernelError:
                    record["died"] = index
                    break
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error":
                        record["errors"].append([index, str(out.get("ename", "Error"))[:80],
                                                 str(out.get("evalue", ""))[:200]])
                record["last_cell"] = index
                record["cut"] = list(client.cut_cells)
                _save(nb, dst, record)
            record["finished"] = True
            record["cut"] = list(client.cut_cells)
            _save(nb, dst, record)
            # Leave at once: the box's PID namespace ends with us and takes the kernel and
            # anything it started with it; a polite shutdown could wait on a runaway cell.
            os._exit(0)
    except Exception as exc:  # the kernel could not start, or died between cells
        record["died"] = record["died"] if record["died"] is not None else f"{type(exc).__name__}"
        _save(nb, dst, record)
        os._exit(0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yalu.grade.runner")
    parser.add_argument("src")
    parser.add_argument("dst")
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--max-output", type=int, required=True)
    args = parser.parse_args(argv)
    run(args.src, args.dst, args.timeout, args.max_output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
