"""Run one notebook: ``python -m yalu.grade.runner --workdir DIR --timeout S --max-output BYTES``.

This is the only grading code that runs in the box, next to the student's kernel. It
reads a one-time key line and then the notebook from stdin, clears every stored output,
executes the code cells one by one in DIR, and after *every* cell writes that cell's
outputs and the run record to its stdout, each line tagged with the key, so the answers
checked before a crash, a timeout or ``os._exit`` survive. The kernel gets no handle on
that pipe (its stdin, stdout and stderr are /dev/null) and the runner makes itself
non-dumpable, so the kernel can neither write to the pipe through ``/proc`` nor read the
key. Output beyond ``--max-output`` bytes is dropped; the answer records that ``check()``
writes are capped too (in number and size). It never judges anything.
"""
from __future__ import annotations

import argparse
import ctypes
import json
import math
import os
import subprocess
import sys
import time

if __name__ == "__main__":  # the runner's own process in the box, never a process importing it
    # nbformat imports jsonschema, which builds rfc3987-syntax's IRI grammar at import: about
    # 0.8 s in every box, for a format check the runner never makes. With the module marked
    # absent, jsonschema leaves that one check out (it imports it under suppress(ImportError)).
    sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402

ANSWER_MIME = "application/vnd.yalu.answer+json"  # equal to yalu.exercises.session.ANSWER_MIME (tested)
MAX_ANSWER_BYTES = 100_000  # one answer record
MAX_ANSWERS = 500  # answer records per notebook
MAX_ANSWER_TOTAL = 5_000_000  # bytes of answer records per notebook
PROTOCOL = "yalu-run"  # equal to yalu.grade.sandbox.PROTOCOL (tested)


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
        self.answers = 0
        self.answer_bytes = 0
        self.cut_cells: list[int] = []

    def _cut(self, outs, cell_index, why: str) -> None:
        if cell_index not in self.cut_cells:
            self.cut_cells.append(cell_index)
            outs.append(nbformat.v4.new_output("stream", name="stderr", text=f"[output cut: {why}]\n"))

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        data = content.get("data", {}) if isinstance(content, dict) else {}
        if ANSWER_MIME in data:  # the answer record: kept, within its own caps
            size = _size(content)
            self.answers += 1
            self.answer_bytes += size
            if size > MAX_ANSWER_BYTES or self.answers > MAX_ANSWERS or self.answer_bytes > MAX_ANSWER_TOTAL:
                self._cut(outs, cell_index, "too many or too large answer records")
                return None
            return super().output(outs, msg, display_id, cell_index)
        self.used += _size(content) if isinstance(content, dict) else 0
        if self.used > self.max_output:
            self._cut(outs, cell_index, "the notebook printed too much")
            return None
        return super().output(outs, msg, display_id, cell_index)


class Channel:
    """The runner's private stdout: tagged JSON lines for the grader."""

    def __init__(self, fd: int, key: str):
        self.fh = os.fdopen(fd, "w", encoding="utf-8")
        self.tag = f"{PROTOCOL} {key} "

    def send(self, item: dict) -> None:
        self.fh.write(self.tag + json.dumps(item, ensure_ascii=True) + "\n")
        self.fh.flush()


def _seal() -> None:
    """Make this process non-dumpable: no /proc/PID/fd or /proc/PID/mem access from the kernel."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except (OSError, AttributeError):
        pass


def clear(nb) -> None:
    """Drop every cell's stored outputs and execution count (nothing handed in counts)."""
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None


def run(nb, channel: Channel, workdir: str, timeout: float, max_output: int) -> None:
    clear(nb)
    record = {"started": False, "finished": False, "last_cell": None, "errors": [], "timeout_at": None,
              "died": None, "cut": []}
    channel.send({"record": record})
    deadline = [math.inf]
    client = LimitedClient(
        nb, max_output, kernel_name="python3", allow_errors=True, timeout=int(math.ceil(timeout)),
        timeout_func=lambda cell: max(1, math.ceil(deadline[0] - time.monotonic())), startup_timeout=60,
        record_timing=False, store_widget_state=False, resources={"metadata": {"path": workdir}},
    )
    try:
        with client.setup_kernel(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            record["started"] = True
            deadline[0] = time.monotonic() + timeout
            stopped = False
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                if time.monotonic() >= deadline[0]:
                    record["timeout_at"] = index
                    stopped = True
                    break
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    record["timeout_at"] = index
                    stopped = True
                    break
                except DeadKernelError:
                    record["died"] = index
                    stopped = True
                    break
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error":  # any ename, YaluError included
                        record["errors"].append([index, str(out.get("ename", "Error"))[:80],
                                                 str(out.get("evalue", ""))[:200]])
                record["last_cell"] = index
                record["cut"] = list(client.cut_cells)
                channel.send({"cell": index, "outputs": cell.get("outputs", []),
                              "execution_count": cell.get("execution_count")})
                channel.send({"record": record})
            record["finished"] = not stopped
            record["cut"] = list(client.cut_cells)
            channel.send({"record": record})
            # Leave at once: the box's PID namespace ends with us and takes the kernel and
            # anything it started with it; a polite shutdown could wait on a runaway cell.
            os._exit(0)
    except Exception as exc:  # the kernel could not start, or died between cells
        record["died"] = record["died"] if record["died"] is not None else f"{type(exc).__name__}"
        record["finished"] = False
        channel.send({"record": record})
        os._exit(0)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yalu.grade.runner")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--max-output", type=int, required=True)
    args = parser.parse_args(argv)
    _seal()
    private = os.dup(1)  # the pipe to the grader; fd 1 itself now goes nowhere
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)
    key = sys.stdin.buffer.readline().decode("ascii", "replace").strip()
    nb = nbformat.reads(sys.stdin.buffer.read().decode("utf-8"), as_version=4)
    os.dup2(devnull, 0)
    os.makedirs(args.workdir, exist_ok=True)
    os.chdir(args.workdir)
    run(nb, Channel(private, key), args.workdir, args.timeout, args.max_output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
