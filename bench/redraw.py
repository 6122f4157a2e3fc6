"""Benchmark: how long one slider move takes to redraw the timeline explorer, inside the kernel.

    .venv/bin/python bench/redraw.py [--moves 50]

prints ``redraw_ms_median: X (target: <= 100)`` and ``redraw_ms_p95: Y``. A later
``bench/run.py`` can import :func:`measure_redraw` and use the numbers it returns.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TARGET_MS = 100.0


def measure_redraw(n: int = 50) -> dict:
    """Move the explorer's slider ``n`` times (as the observer-driven widget does) and time each redraw.

    Returns ``{"median_ms", "p95_ms", "moves", "target_ms", "samples_ms"}``.
    """
    from yalu.widget import Explorer

    ex = Explorer()
    last = len(ex.days) - 1
    width = max(last // 3, 1)
    samples = []
    for k in range(n):
        lo = (k * max(last // n, 1)) % max(last - width, 1)
        t0 = time.perf_counter()
        ex.slider.index = (lo, min(lo + width, last))  # the observer redraws synchronously
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return {"median_ms": statistics.median(samples), "p95_ms": p95, "moves": n, "target_ms": TARGET_MS,
            "samples_ms": samples}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=50)
    args = parser.parse_args(argv)
    r = measure_redraw(args.moves)
    print(f"redraw_ms_median: {r['median_ms']:.1f} (target: <= {TARGET_MS:g})")
    print(f"redraw_ms_p95: {r['p95_ms']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
