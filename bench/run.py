"""Benchmarks of what students, lecturers and graders wait for, each against a floor that any
notebook must also pay, measured in the same run, interleaved, with the median of repeats.

    make bench        (or: .venv/bin/python bench/run.py [--repeats N] [--skip NAME ...])

Prints one line per figure, ``name: value``, then its floor and target, and writes
``bench/results.json``:

run_all_ratio           each narrative notebook from a fresh kernel to its last cell executed
                        (nbclient), divided by the same for a one-cell notebook importing pandas,
                        matplotlib.pyplot and ipywidgets; median and worst   target: median <= 1.3, worst <= 1.6
kernel_rss_mb           peak resident memory (VmHWM) of each notebook's kernel; the max, against
                        the one-cell stack-import kernel                     target: <= 1.6 x floor
grade_ratio             the sandboxed grader on 60 crafted submissions, -j 1: seconds per notebook,
                        divided by one-cell stack-import notebooks run by nbclient serially   target: <= 1.5
grade_parallel_speedup  the same 60 submissions, -j 1 time / -j 2 time         target: >= 1.6
explorer_ms             the explorer in JupyterLab in Chromium: p50/p95 of search, filter, zoom and
                        click over 30 actions each (bench/explorer_bench.py)  target: p95 <= 100 ms each
lab_server_rss_mb       the JupyterLab server after a scripted session (bench/lab_session.py),
                        against the server right after start                 target: <= 2 x floor
server_stress_peak_rss_mb  10 restart-and-run-all cycles (bench/server_stress.py)   target: < 300
test_suite_s            the wall time of `make test` (CI=true) after setup: lint, the suite and the
                        exercises' lax pass, one run                         target: <= 150 s
site_build_s            `make site` from a fresh student release (bench/site_bench.py), against a
                        one-page site with the same settings and theme          reported; no target set
site_page_kb            the heaviest page of the built site as Chromium loads it: HTML, scripts,
                        styles, images, fonts and data, in KB                  reported; no target set
hub_student_rss_mb, hub_link_to_ready_s, hub_run05_ratio
                        six students at once on a real JupyterHub (bench/hub_class.py, which runs
                        tests/browser/test_hub_class.py): memory per student after notebook 05 and an
                        exercise (and peak), link to start notebook ready, notebook 05's run-all
                        time together against alone                          no target: sizing figures
install_ratio           a fresh venv from requirements.txt (what a student gets), MB, against a venv
                        of jupyterlab, ipywidgets, pandas and matplotlib at the same pins; the
                        developer set reported beside it                     target: <= 1.1

A benchmark is not a test: nothing here runs in `make test`.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PY = sys.executable
STACK = "import pandas, matplotlib.pyplot, ipywidgets"
# The last cell: when it starts (every earlier cell has run) and the kernel's peak resident memory.
HWM = ("import time as _t; print(_t.time()); "
       "print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1])")
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def narrative() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


def run_notebook(path: Path | None, cells: list[str] | None = None) -> tuple[float, float]:
    """(seconds from a fresh kernel to the last cell executed, peak kernel RSS in MB)."""
    if path is not None:
        nb = nbformat.read(path, as_version=4)
        cwd = str(path.parent)
    else:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells or [STACK]])
        nb.metadata["kernelspec"] = KERNELSPEC
        cwd = str(ROOT / "notebooks")
    nb.cells.append(nbformat.v4.new_code_cell(HWM))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": cwd}})
    t0 = time.time()
    client.execute()
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs).split()
    return float(text[0]) - t0, int(text[1]) / 1024


def run_all(repeats: int) -> tuple[dict, dict]:
    books = narrative()
    times = {p.name: [] for p in books}
    rss = {p.name: [] for p in books}
    floor_t, floor_rss = [], []
    for _ in range(repeats):
        for p in books:  # interleaved: each notebook next to a floor run on the same machine state
            f_t, f_m = run_notebook(None)
            floor_t.append(f_t)
            floor_rss.append(f_m)
            t, m = run_notebook(p)
            times[p.name].append(t)
            rss[p.name].append(m)
    floor = statistics.median(floor_t)
    ratios = {name: statistics.median(v) / floor for name, v in times.items()}
    f_rss = statistics.median(floor_rss)
    peaks = {name: max(v) for name, v in rss.items()}
    return ({"median": statistics.median(ratios.values()), "worst": max(ratios.values()),
             "worst_notebook": max(ratios, key=ratios.get), "floor_s": floor,
             "per_notebook": {k: round(v, 2) for k, v in ratios.items()},
             "seconds": {k: round(statistics.median(v), 2) for k, v in times.items()}},
            {"max_mb": max(peaks.values()), "max_notebook": max(peaks, key=peaks.get), "floor_mb": f_rss,
             "ratio": max(peaks.values()) / f_rss, "per_notebook": {k: round(v) for k, v in peaks.items()}})


def _submissions(folder: Path, n: int = 60) -> None:
    """``n`` crafted submissions: for each student, each exercise set, a solved, blank or half-solved copy."""
    solutions = sorted((ROOT / "instructor" / "solutions").glob("*.ipynb"))
    blanks = {p.name: p for p in (ROOT / "exercises").glob("*.ipynb")}
    rng = random.Random(1950)
    students = -(-n // len(solutions))
    made = 0
    for s in range(students):
        student = folder / f"student_{s:02d}"
        student.mkdir(parents=True)
        for sol in solutions:
            if made == n:
                return
            choice = rng.choice(["solved", "blank", "half"])
            src = sol if choice != "blank" or sol.name not in blanks else blanks[sol.name]
            nb = nbformat.read(src, as_version=4)
            if choice == "half":
                for cell in nb.cells[len(nb.cells) // 2:]:
                    if cell.cell_type == "code":
                        cell.outputs = []
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.outputs, cell.execution_count = [], None
            nbformat.write(nb, student / sol.name)
            made += 1


def _grade(folder: Path, jobs: int) -> float:
    out = Path(tempfile.mkdtemp(prefix="bench-graded-"))
    try:
        t0 = time.perf_counter()
        result = subprocess.run([PY, "-m", "yalu.grade", str(folder), "--out", str(out), "-j", str(jobs),
                                 "--no-progress"], cwd=ROOT, capture_output=True, text=True, timeout=3600)
        elapsed = time.perf_counter() - t0
        if result.returncode != 0:
            raise RuntimeError(f"the grader failed: {result.stdout[-1500:]}{result.stderr[-1500:]}")
        return elapsed
    finally:
        shutil.rmtree(out, ignore_errors=True)


def grading(repeats: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-subs-"))
    try:
        _submissions(work, 60)
        serial, parallel, floor = [], [], []
        for _ in range(repeats):
            serial.append(_grade(work, 1))
            parallel.append(_grade(work, 2))
            t0 = time.perf_counter()
            for _ in range(10):
                run_notebook(None)
            floor.append((time.perf_counter() - t0) / 10)
        per_nb = statistics.median(serial) / 60
        return {"ratio": per_nb / statistics.median(floor), "s_per_notebook": per_nb,
                "floor_s_per_notebook": statistics.median(floor),
                "speedup": statistics.median(serial) / statistics.median(parallel),
                "serial_s": statistics.median(serial), "parallel_s": statistics.median(parallel)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _venv_size(requirements: list[str]) -> dict:
    target = Path(tempfile.mkdtemp(prefix="bench-venv-"))
    try:
        subprocess.run([PY, "-m", "venv", str(target)], check=True)
        pip = [str(target / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run(pip + requirements, check=True, capture_output=True, cwd=ROOT)
        size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file() and not f.is_symlink())
        listed = subprocess.run([str(target / "bin" / "python"), "-m", "pip", "list", "--format=json"],
                                check=True, capture_output=True, text=True).stdout
        return {"mb": size / 1e6, "packages": len(json.loads(listed))}
    finally:
        shutil.rmtree(target, ignore_errors=True)


def install() -> dict:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    floor = _venv_size([f"{n}=={pins[n]}" for n in ("jupyterlab", "ipywidgets", "pandas", "matplotlib")])
    student = _venv_size(["-r", "requirements.txt"])
    dev = _venv_size(["-r", "requirements-dev.txt"])
    return {"ratio": student["mb"] / floor["mb"], "student": student, "floor": floor, "dev": dev}


def _module(name: str):
    path = BENCH / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_suite() -> dict:
    """Seconds of one `make test` under CI=true, after its setup targets are already made."""
    env = dict(os.environ, CI="true")
    subprocess.run(["make", "-C", str(ROOT), "--quiet", ".venv/.dev-installed"], check=True, env=env)
    t0 = time.time()
    done = subprocess.run(["make", "-C", str(ROOT), "test"], env=env, capture_output=True, text=True)
    seconds = time.time() - t0
    (BENCH / "test_suite.log").write_text(done.stdout + done.stderr, encoding="utf-8")  # what failed, if anything
    tail = [line.strip("= ") for line in done.stdout.splitlines() if line.startswith("=") and " passed" in line]
    return {"seconds": seconds, "passed": done.returncode == 0, "summary": tail}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks of the collection (see the module docstring).")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of each timed pair (the median is reported)")
    parser.add_argument("--skip", nargs="*", default=[], help="figures to skip, e.g. --skip install explorer_ms")
    parser.add_argument("--merge", action="store_true", help="keep the figures of bench/results.json not measured now")
    args = parser.parse_args(argv)
    machine = (f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
               f"{platform.machine()}, Python {platform.python_version()}")
    results: dict = {"date": datetime.now().strftime("%Y-%m-%d"), "machine": machine}
    print(f"machine: {machine}", flush=True)

    if "run_all_ratio" not in args.skip:
        runs, rss = run_all(args.repeats)
        results["run_all_ratio"], results["kernel_rss_mb"] = runs, rss
        print(f"run_all_ratio: median {runs['median']:.2f}, worst {runs['worst']:.2f} ({runs['worst_notebook']}) "
              f"[floor {runs['floor_s']:.2f} s: one-cell stack import] target: median <= 1.3, worst <= 1.6", flush=True)
        print(f"  per notebook: {runs['per_notebook']}", flush=True)
        print(f"kernel_rss_mb: {rss['max_mb']:.0f} ({rss['max_notebook']}), {rss['ratio']:.2f} x floor "
              f"[floor {rss['floor_mb']:.0f} MB] target: <= 1.6 x floor", flush=True)
    if "grade_ratio" not in args.skip:
        g = grading(max(1, args.repeats // 2))
        results["grade_ratio"] = g
        print(f"grade_ratio: {g['ratio']:.2f} [{g['s_per_notebook']:.2f} s per notebook; floor "
              f"{g['floor_s_per_notebook']:.2f} s] target: <= 1.5", flush=True)
        print(f"grade_parallel_speedup: {g['speedup']:.2f} [-j 1 {g['serial_s']:.0f} s, -j 2 {g['parallel_s']:.0f} s] "
              f"target: >= 1.6", flush=True)
    for name, script in (("explorer_ms", "explorer_bench"), ("lab_server_rss_mb", "lab_session"),
                         ("server_stress_peak_rss_mb", "server_stress")):
        if name in args.skip:
            continue
        if not (BENCH / f"{script}.py").exists():
            print(f"{name}: not measured (bench/{script}.py is missing)", flush=True)
            continue
        try:
            results[name] = _module(script).main([])
        except Exception as exc:  # one figure that cannot be measured must not lose the others
            print(f"{name}: not measured ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})", flush=True)
            continue
        if name == "explorer_ms":
            ms = results[name].get("explorer_ms", results[name])
            print("explorer_ms: " + ", ".join(f"{k} p50 {v['p50']:.0f} / p95 {v['p95']:.0f}" for k, v in ms.items())
                  + " [no floor; the old explorer's median key-to-image was 113 ms] target: p95 <= 100 each", flush=True)
    if "site" not in args.skip:
        try:
            site = _module("site_bench").main([], repeats=max(1, args.repeats // 2))
        except Exception as exc:  # one figure that cannot be measured must not lose the others
            print(f"site_build_s: not measured ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})", flush=True)
        else:
            results.update(site)
            b, w = site["site_build_s"], site["site_page_kb"]
            print(f"site_build_s: {b['seconds']:.1f} ({b['pages']} pages; {b['ratio']:.2f} x floor) [floor "
                  f"{b['floor_s']:.1f} s: a one-page site, same settings and theme] reported, no target; "
                  f"{results['date']}, {machine}", flush=True)
            print(f"site_page_kb: {w['largest']['kb']} ({w['largest']['page']}: "
                  + ", ".join(f"{k} {v}" for k, v in w["largest"]["parts_kb"].items())
                  + "); next " + ", ".join(f"{n['page']} {n['kb']}" for n in w["next"]) + f"; median page {w['median_kb']} "
                  f"[no floor] reported, no target; {results['date']}, {machine}", flush=True)
    if "hub" not in args.skip:
        try:
            results["hub"] = _module("hub_class").main([])
        except Exception as exc:  # one figure that cannot be measured must not lose the others
            print(f"hub: not measured ({type(exc).__name__}: {str(exc).splitlines()[0][:200]})", flush=True)
    if "test_suite_s" not in args.skip:
        t = test_suite()
        results["test_suite_s"] = t
        print(f"test_suite_s: {t['seconds']:.0f} ({'passed' if t['passed'] else 'FAILED'}: {'; '.join(t['summary'])}) "
              "[no floor] target: <= 150", flush=True)
    if "install" not in args.skip:
        i = install()
        results["install_ratio"] = i
        print(f"install_ratio: {i['ratio']:.2f} [student {i['student']['mb']:.0f} MB, {i['student']['packages']} packages; "
              f"floor {i['floor']['mb']:.0f} MB, {i['floor']['packages']} packages; developer set "
              f"{i['dev']['mb']:.0f} MB, {i['dev']['packages']} packages] target: <= 1.1", flush=True)
    out = BENCH / "results.json"
    if args.merge and out.exists():
        results = json.loads(out.read_text(encoding="utf-8")) | results
    out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"wrote {(BENCH / 'results.json').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
