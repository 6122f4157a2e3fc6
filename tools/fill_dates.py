#!/usr/bin/env python3
"""Fill the ``date_start`` / ``date_end`` columns of every table in ``data/`` from its EDTF ``date``.

The two columns are derived, never typed by hand: for each row, ``yalu.data.edtf_bounds(date)``
gives the first and last ISO day the EDTF string covers (``1949-23`` -> 1949-09-01, 1949-11-30).
A row with an empty ``date`` gets empty bounds.

Usage, from the project root:

    python tools/fill_dates.py            # rewrite data/*.csv in place
    python tools/fill_dates.py --check    # only report rows whose bounds are stale (exit 1 if any)

The CSVs are written back as UTF-8 with RFC 4180 quoting (quotes only where needed) and
``\\n`` line endings; column order and every other cell are left untouched.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from yalu.data import edtf_bounds  # noqa: E402
from yalu.errors import YaluError  # noqa: E402


def fill(path: Path, check: bool) -> int:
    """Fill (or check) one CSV; return the number of rows whose bounds changed."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh, strict=True)
        header = next(reader, None)
        rows = [r for r in reader if r]
    if not header or "date" not in header or "date_start" not in header or "date_end" not in header:
        return 0
    i_date, i_start, i_end = header.index("date"), header.index("date_start"), header.index("date_end")
    changed = 0
    for line, row in enumerate(rows, start=2):
        value = row[i_date].strip()
        if value:
            try:
                start, end = edtf_bounds(value)
            except YaluError as exc:
                raise SystemExit(f"{path.name}: row {line}: {exc}") from None
        else:
            start, end = "", ""
        if (row[i_start], row[i_end]) != (start, end):
            changed += 1
            if check:
                print(f"{path.name}: row {line}: date {value!r} needs {start}..{end}, has {row[i_start]}..{row[i_end]}")
            row[i_start], row[i_end] = start, end
    if not check and changed:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=str(ROOT / "data"))
    parser.add_argument("--check", action="store_true", help="report stale rows, change nothing")
    args = parser.parse_args()
    total = 0
    for path in sorted(Path(args.data_dir).glob("*.csv")):
        n = fill(path, args.check)
        total += n
        if n:
            print(f"{path.name}: {n} row(s) {'stale' if args.check else 'filled'}")
    if args.check and total:
        return 1
    print("date bounds " + ("checked" if args.check else "filled") + f" ({total} row(s) {'stale' if args.check else 'changed'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
