"""The simulated class on a real JupyterHub (tests/browser/test_hub_class.py), as sizing figures.

    .venv/bin/python bench/hub_class.py

Runs the hub test file once (six students at once: one in Chromium, five through the API) and
reads the record it writes. Figures:

hub_student_rss_mb   resident memory of one student's processes (their server and kernels) after
                     notebook 05 and exercise set 01: median and max over the six, and the peak
                     sampled every 0.5 s while they worked
hub_link_to_ready_s  from following the nbgitpuller link (login, server start, clone) to the start
                     notebook served (in Chromium: its kernel idle), six at once: median and max
hub_run05_ratio      run-all time of notebook 05 with six students at once (median, their second run),
                     against one student alone right after; the first run in a fresh home (which
                     also builds matplotlib's font cache) is reported beside it
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def measure() -> dict:
    out = Path(tempfile.mkdtemp(prefix="yalu-hub-bench-"))
    env = dict(os.environ, CI="true", YALU_ARTIFACTS=str(out), PYTHONPATH=str(ROOT / "src"))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/browser/test_hub_class.py"], cwd=ROOT, env=env, capture_output=True, text=True)
    rec_path = out / "hub-class-record.json"
    if not rec_path.exists():
        raise RuntimeError(f"the hub class did not run: {(done.stdout + done.stderr)[-500:]}")
    rec = json.loads(rec_path.read_text(encoding="utf-8"))
    shutil.rmtree(out, ignore_errors=True)
    s = rec["students"].values()
    after = [x["rss_after_mb"] for x in s]
    peak = [x["rss_peak_mb"] for x in s]
    ready = [x["link_to_ready_s"] for x in s]
    run05 = [x["run_05_again_s"] for x in s]
    first = [x["run_05_s"] for x in s]
    machine = (f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
               f"{platform.machine()}, Python {platform.python_version()}")
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine,
        "students": len(after),
        "tests_passed": done.returncode == 0,
        "hub_student_rss_mb": {"median": statistics.median(after), "max": max(after), "peak": max(peak)},
        "hub_link_to_ready_s": {"median": statistics.median(ready), "max": max(ready)},
        "hub_run05_ratio": {"ratio": statistics.median(run05) / rec["run_05_alone_s"],
                            "together_median_s": statistics.median(run05), "together_max_s": max(run05),
                            "alone_s": rec["run_05_alone_s"], "first_run_median_s": statistics.median(first)},
    }


def report(r: dict) -> None:
    head = f"[{r['date']}, {r['machine']}, {r['students']} students at once]"
    m, t, q = r["hub_student_rss_mb"], r["hub_link_to_ready_s"], r["hub_run05_ratio"]
    print(f"hub_student_rss_mb: median {m['median']:.0f}, max {m['max']:.0f}, peak {m['peak']:.0f} {head}", flush=True)
    print(f"hub_link_to_ready_s: median {t['median']:.1f}, max {t['max']:.1f} {head}", flush=True)
    print(f"hub_run05_ratio: {q['ratio']:.2f} [together median {q['together_median_s']:.1f} s, max "
          f"{q['together_max_s']:.1f} s; alone {q['alone_s']:.1f} s; first run in a fresh home, six at once: median "
          f"{q['first_run_median_s']:.1f} s] {head}"
          + ("" if r["tests_passed"] else " (the hub tests FAILED in this run)"), flush=True)


def main(argv=None) -> dict:
    r = measure()
    report(r)
    return r


if __name__ == "__main__":
    main(sys.argv[1:])
