"""Benchmarks of what users wait for, each compared with its floor measured in the same run.

    make bench        (or: .venv/bin/python bench/run.py [--skip-install])

Prints one line per figure, ``name: value (target: ...)``:

1. suite_floor_ratio    the nbval suite over notebooks/, instructor/solutions/ and exercises/,
                        divided by the same number of one-cell notebooks run the same way
                        (the floor: a kernel start per notebook)             target <= 1.3
2. first_timeline_ratio fresh kernel -> first timeline drawn the start notebook's way
                        (import yalu, load, draw), divided by a bare
                        `import pandas, matplotlib` in a fresh kernel         target <= 1.5
3. redraw_ms            median and 95th percentile of a slider move's redraw inside a
                        kernel, over 50 moves                                 target: median <= 100
4. install              size, time and package count of a fresh venv built from the pins
                        (report only)

The machine is shared and noisy, so each ratio's two sides are measured in the same run,
interleaved, and the median of several repeats is used.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
NOTEBOOK_DIRS = ["notebooks", "instructor/solutions", "exercises"]

FIRST_TIMELINE = "import yalu.timeline as tl\npic = tl.picture()\n"
BARE_IMPORT = "import pandas, matplotlib\n"
REDRAW = ("import sys, json\nsys.path.insert(0, {bench!r})\nfrom redraw import measure_redraw\n"
          "r = measure_redraw(50)\nprint(json.dumps({{'median_ms': r['median_ms'], 'p95_ms': r['p95_ms']}}))\n")


def kernel_run(code: str) -> tuple[float, str]:
    """Start a fresh kernel (this venv's Python), time `code` in it, return (seconds, stdout)."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", cwd=str(ROOT / "notebooks"))
    try:
        out = []
        t0 = time.perf_counter()
        reply = kc.execute_interactive(code, timeout=300,
                                       output_hook=lambda m: out.append(m["content"].get("text", ""))
                                       if m["msg_type"] == "stream" else None)
        elapsed = time.perf_counter() - t0
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"benchmark code failed in the kernel: {reply['content'].get('evalue')}")
        return elapsed, "".join(out)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def notebooks() -> list[Path]:
    return sorted(p for d in NOTEBOOK_DIRS for p in (ROOT / d).glob("*.ipynb"))


def pytest_time(paths: list[str]) -> float:
    t0 = time.perf_counter()
    result = subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *paths], cwd=ROOT,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if result.returncode != 0:
        raise RuntimeError(f"pytest failed while benchmarking:\n{result.stdout[-2000:]}")
    return elapsed


def suite_floor_ratio(repeats: int) -> dict:
    import nbformat

    count = len(notebooks())
    floor_dir = Path(tempfile.mkdtemp(prefix="floor-", dir=ROOT / "bench"))
    try:
        for i in range(count):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
            nbformat.write(nb, floor_dir / f"empty_{i:02d}.ipynb")
        suite, floor = [], []
        for _ in range(repeats):  # interleaved, so both sides see the same machine
            suite.append(pytest_time(NOTEBOOK_DIRS))
            floor.append(pytest_time([str(floor_dir.relative_to(ROOT))]))
    finally:
        shutil.rmtree(floor_dir, ignore_errors=True)
    s, f = statistics.median(suite), statistics.median(floor)
    return {"ratio": s / f, "suite_s": s, "floor_s": f, "notebooks": count}


def first_timeline_ratio(repeats: int) -> dict:
    tl, bare = [], []
    for _ in range(repeats):
        tl.append(kernel_run(FIRST_TIMELINE)[0])
        bare.append(kernel_run(BARE_IMPORT)[0])
    t, b = statistics.median(tl), statistics.median(bare)
    return {"ratio": t / b, "timeline_s": t, "bare_s": b}


def redraw() -> dict:
    _, out = kernel_run(REDRAW.format(bench=str(ROOT / "bench")))
    return json.loads(out.strip().splitlines()[-1])


def install() -> dict:
    target = Path(tempfile.mkdtemp(prefix="bench-venv-"))
    try:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(target)], check=True)
        subprocess.run([str(target / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "-r", str(ROOT / "requirements.txt")], check=True, capture_output=True)
        subprocess.run([str(target / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(ROOT)],
                       check=True, capture_output=True)
        elapsed = time.perf_counter() - t0
        size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file() and not f.is_symlink())
        listed = subprocess.run([str(target / "bin" / "python"), "-m", "pip", "list", "--format=json"],
                                check=True, capture_output=True, text=True).stdout
        return {"mb": size / 1e6, "seconds": elapsed, "packages": len(json.loads(listed))}
    finally:
        shutil.rmtree(target, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of the collection (see the module docstring).")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of each timed pair (median is reported)")
    parser.add_argument("--skip-install", action="store_true", help="skip the fresh-venv install measurement")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; "
          f"python {sys.version.split()[0]}", flush=True)

    s = suite_floor_ratio(args.repeats)
    print(f"suite_floor_ratio: {s['ratio']:.2f} (target: <= 1.3) "
          f"[suite {s['suite_s']:.1f} s, floor {s['floor_s']:.1f} s, {s['notebooks']} notebooks]", flush=True)
    t = first_timeline_ratio(max(args.repeats, 5))
    print(f"first_timeline_ratio: {t['ratio']:.2f} (target: <= 1.5) "
          f"[timeline {t['timeline_s']:.2f} s, bare import {t['bare_s']:.2f} s]", flush=True)
    r = redraw()
    print(f"redraw_ms: median {r['median_ms']:.1f}, p95 {r['p95_ms']:.1f} (target: median <= 100)", flush=True)
    if args.skip_install:
        print("install: skipped (--skip-install)")
    else:
        i = install()
        print(f"install: {i['mb']:.0f} MB, {i['seconds']:.0f} s, {i['packages']} packages (target: report only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
