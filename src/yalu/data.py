"""Load the collection's sourced tables from ``data/`` as typed pandas DataFrames.

``data/datapackage.json`` (a Frictionless Data Package) is the single description of
every table. Two layers check the data against it:

* :func:`load` (here, at every first load of a changed file): the header, every cell's
  type (integer, number, date, boolean), ``required``, ``enum``, ``pattern``,
  ``minimum``/``maximum``, ``unique`` and the primary key, and that each row's EDTF
  ``date`` agrees with its ``date_start``/``date_end``. A problem raises
  :class:`yalu.YaluError` naming the file, row and column. Checked tables are cached
  by a digest of the CSV, the package and this module, so an edit is checked again.
* ``frictionless validate data/datapackage.json`` (in ``make test``): all of the above
  that Table Schema defines, plus every ``foreignKeys`` reference between tables.
  The loader does not check foreign keys (it loads one table at a time).

Columns are converted: ``date`` fields to ``datetime64``; integer and number fields to
nullable ``Int64`` / ``Float64``; fields with an ``enum`` to categoricals in the declared
order; fields marked ``"yalu:separator": ";"`` to lists of ids.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import pickle
import re
import time
from functools import lru_cache
from pathlib import Path

import pandas as pd

from yalu.errors import YaluError
from yalu.paths import cache_dir, data_dir, save_to_cache

__all__ = ["load", "table_names", "data_dir", "describe", "edtf_bounds", "state"]


def _package(folder: Path) -> dict:
    path = folder / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise YaluError(f"{path} does not exist") from None
    except json.JSONDecodeError as exc:
        raise YaluError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None


def state() -> tuple:
    """What the data folder holds now: its path and each file's size and modification time.

    Views that combine tables (records, citations, the explorer) cache their work under this
    key, so an edited CSV is seen on the next call, as :func:`load` sees it.
    """
    folder = data_dir()
    files = sorted(folder.glob("*.csv")) + [folder / "datapackage.json"]
    return (str(folder),) + tuple((f.name, *(lambda s: (s.st_size, s.st_mtime_ns))(f.stat())) for f in files if f.exists())


def table_names() -> list[str]:
    """The names of the tables in the data package, in the order it declares them."""
    return [r["name"] for r in _package(data_dir())["resources"]]


def describe(name: str) -> dict:
    """The data package's description (Table Schema and all) of one table."""
    for resource in _package(data_dir())["resources"]:
        if resource["name"] == name:
            return resource
    valid = ", ".join(table_names())
    raise YaluError(f"there is no table called {name!r}; the tables are: {valid}")


@lru_cache(maxsize=512)
def edtf_bounds(value: str) -> tuple[str, str]:
    """The first and last ISO day an EDTF string covers, e.g. ``'1949-23'`` -> autumn 1949.

    Raises YaluError for a string that is not EDTF.
    """
    import edtf  # here, not at the top: building its grammar takes 15 ms, and checked tables come from the cache

    try:
        parsed = edtf.parse_edtf(value)
    except Exception:  # edtf raises its own EDTFParseException, and others for odd input
        raise YaluError(f"{value!r} is not an EDTF date (e.g. '1950-10-19', '1949-08~', '1949-07/1949-10')") from None
    return time.strftime("%Y-%m-%d", parsed.lower_strict()), time.strftime("%Y-%m-%d", parsed.upper_strict())


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_cell(field: dict, value: str) -> str | None:
    """The problem with one cell, or None. ``value`` is the raw CSV text."""
    constraints = field.get("constraints", {})
    if value == "":
        return "is required but empty" if constraints.get("required") else None
    kind = field.get("type", "string")
    if kind == "integer" and not re.fullmatch(r"-?\d+", value):
        return f"should be a whole number, not {value!r}"
    if kind == "number":
        try:
            float(value)
        except ValueError:
            return f"should be a number, not {value!r}"
    if kind == "date":
        if not _ISO_DAY.match(value):
            return f"should be a date like 1950-10-19, not {value!r}"
        try:
            pd.Timestamp(value)
        except ValueError:
            return f"{value!r} is not a real day"
    if kind == "boolean" and value not in ("true", "false"):
        return f"should be true or false, not {value!r}"
    sep = field.get("yalu:separator")
    items = [v.strip() for v in value.split(sep)] if sep else [value]
    if "enum" in constraints:
        for item in items:
            if item not in constraints["enum"]:
                return f"{item!r} is not one of: {', '.join(constraints['enum'])}"
    if "pattern" in constraints:
        for item in items:
            if not re.fullmatch(constraints["pattern"], item):
                return f"{item!r} does not match the pattern {constraints['pattern']}"
    if kind in ("integer", "number"):
        if "minimum" in constraints and float(value) < constraints["minimum"]:
            return f"{value} is below the minimum {constraints['minimum']}"
        if "maximum" in constraints and float(value) > constraints["maximum"]:
            return f"{value} is above the maximum {constraints['maximum']}"
    return None


def _read_rows(path: Path, raw: bytes, fields: list[dict]) -> list[dict]:
    names = [f["name"] for f in fields]
    try:
        with io.StringIO(raw.decode("utf-8"), newline="") as fh:
            reader = csv.reader(fh, strict=True)
            header = next(reader, None)
            if header != names:
                missing = [n for n in names if n not in (header or [])]
                extra = [n for n in (header or []) if n not in names]
                raise YaluError(
                    f"{path.name}: row 1 (the header) does not match datapackage.json"
                    + (f"; missing columns: {', '.join(missing)}" if missing else "")
                    + (f"; unexpected columns: {', '.join(extra)}" if extra else "")
                    + ("; columns are out of order" if not missing and not extra else "")
                )
            rows = []
            for line, cells in enumerate(reader, start=2):
                if not cells:
                    continue
                if len(cells) != len(names):
                    raise YaluError(
                        f"{path.name}: row {line} has {len(cells)} cells but the header has {len(names)} "
                        "(a stray comma or quote?)"
                    )
                rows.append((line, dict(zip(names, cells, strict=True))))
    except UnicodeDecodeError:
        raise YaluError(f"{path.name} is not UTF-8 text") from None
    except csv.Error as exc:
        raise YaluError(f"{path.name}: not valid CSV near row {reader.line_num}: {exc}") from None
    return rows


def _check_rows(path: Path, fields: list[dict], rows, primary_key: str | None) -> None:
    unique = [f["name"] for f in fields
              if f["name"] == primary_key or f.get("constraints", {}).get("unique")]
    seen: dict[str, dict[str, int]] = {name: {} for name in unique}
    for line, row in rows:
        for field in fields:
            problem = _check_cell(field, row[field["name"]])
            if problem:
                raise YaluError(f"{path.name}: row {line}, column '{field['name']}': {problem}")
        for name in unique:
            key = row[name]
            if key == "":
                continue
            if key in seen[name]:
                raise YaluError(f"{path.name}: row {line}, column '{name}': {key!r} repeats row {seen[name][key]}")
            seen[name][key] = line
        if row.get("date"):
            start, end = _edtf_bounds_at(path, line, row["date"])
            for col, want in (("date_start", start), ("date_end", end)):
                if col in row and row[col] != want:
                    raise YaluError(
                        f"{path.name}: row {line}, column '{col}': {row[col]!r} does not agree with "
                        f"date {row['date']!r}, which covers {start} to {end}"
                    )


def _edtf_bounds_at(path: Path, line: int, value: str) -> tuple[str, str]:
    try:
        return edtf_bounds(value)
    except YaluError as exc:
        raise YaluError(f"{path.name}: row {line}, column 'date': {exc}") from None


def _convert(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        col = frame[name]
        if kind == "date":
            frame[name] = pd.to_datetime(col.replace("", None))
        elif kind == "integer":
            frame[name] = pd.array([int(v) if v != "" else None for v in col], dtype="Int64")
        elif kind == "number":
            frame[name] = pd.array([float(v) if v != "" else None for v in col], dtype="Float64")
        elif kind == "boolean":
            frame[name] = pd.array([v == "true" if v != "" else None for v in col], dtype="boolean")
        elif field.get("yalu:separator"):
            sep = field["yalu:separator"]
            frame[name] = [[x.strip() for x in v.split(sep)] if v else [] for v in col]
        elif "enum" in field.get("constraints", {}):
            frame[name] = pd.Categorical(col.replace("", None), categories=field["constraints"]["enum"])
        else:
            frame[name] = col.replace("", None)
    return frame


def load(name: str) -> pd.DataFrame:
    """One table of the data package as a typed DataFrame.

    >>> events = load("events")            # doctest: +SKIP
    >>> events[["date_text", "title"]].head()  # doctest: +SKIP

    A name that is not a table, or a CSV that does not match its schema (a typo
    made by hand, a missing cell, a date that disagrees with its EDTF string),
    raises :class:`yalu.YaluError` naming the file, row and column.

    A table that passed these checks is kept in a cache (in memory, and in
    ``~/.cache/yalu`` or ``$YALU_CACHE``) under a digest of its CSV, the data
    package and this module, so any edit is checked again on the next load.
    """
    if not isinstance(name, str):
        raise YaluError(f"load() takes a table name as text, e.g. load('events'); the tables are: {', '.join(table_names())}")
    folder = data_dir()
    resource = describe(name)
    path = folder / resource["path"]
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise YaluError(f"{path} does not exist") from None
    key = _digest(folder, raw)
    frame = _cached(key)
    if frame is None:
        frame = _parse(path, raw, resource)
        _remember(key, frame)
    frame = frame.copy()
    frame.attrs["table"] = name
    return frame


def _parse(path: Path, raw: bytes, resource: dict) -> pd.DataFrame:
    fields = resource["schema"]["fields"]
    rows = _read_rows(path, raw, fields)
    pk = resource["schema"].get("primaryKey")
    _check_rows(path, fields, rows, pk if isinstance(pk, str) else None)
    frame = pd.DataFrame([row for _, row in rows], columns=[f["name"] for f in fields], dtype=object)
    return _convert(frame, fields)


# -- cache of checked tables --------------------------------------------------------------
_MEMORY: dict[str, pd.DataFrame] = {}


@lru_cache(maxsize=1)
def _code_digest() -> bytes:
    """This loader's source and the pandas version: a cached table is only valid for both."""
    return hashlib.sha256(Path(__file__).read_bytes() + pd.__version__.encode()).digest()


def _digest(folder: Path, raw: bytes) -> str:
    h = hashlib.sha256(_code_digest())
    for part in ((folder / "datapackage.json").read_bytes(), raw):
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _cached(key: str) -> pd.DataFrame | None:
    if key in _MEMORY:
        return _MEMORY[key]
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with (folder / f"{key}.pickle").open("rb") as fh:
            frame = pickle.load(fh)
    except Exception:  # absent, unreadable or from another version: check the CSV again
        return None
    if not isinstance(frame, pd.DataFrame):
        return None
    _MEMORY[key] = frame
    return frame


def _remember(key: str, frame: pd.DataFrame) -> None:
    _MEMORY[key] = frame  # and on disk where it can be: a read-only home keeps it for this session
    save_to_cache(f"{key}.pickle", lambda fh: pickle.dump(frame, fh, protocol=pickle.HIGHEST_PROTOCOL))
