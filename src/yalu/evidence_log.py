"""The student's evidence log: one small table, kept in a CSV file in the student's own folder.

In each notebook a student adds a row: a record from the tables, a document if one was used,
which of the four interpretations of China's entry into the war it supports or strains, and why.
The file lives in the home folder (``~/yalu-evidence-log.csv``; the environment variable
``YALU_EVIDENCE_LOG`` names another file), never inside the collection, so that it survives a
restart, a new session and a fresh pull of the course, and the next notebook reads it back.

Nothing a student wrote is lost: a save rewrites the whole file at once (a temporary file, then
renamed) while holding a lock, so two notebooks saving together do not overwrite each other's
rows, and a file that cannot be read is left as it is, with a one-line message saying what to do.

>>> import os, tempfile
>>> os.environ["YALU_EVIDENCE_LOG"] = os.path.join(tempfile.mkdtemp(), "log.csv")
>>> len(read())
0
>>> log = add("01", record="Liu Shaoqi in Moscow", interpretation="chen",
...           bearing="supports", why="The talks are about shared revolutionary aims.")
>>> log[["notebook", "interpretation", "bearing"]].values.tolist()
[['01', 'Chen 1994', 'supports']]
>>> log = add("01", record="Liu Shaoqi in Moscow", interpretation="Goncharov",
...           bearing="strains", why="Changed my mind.")          # same notebook and entry: replaced
>>> len(read()), read().loc[0, "interpretation"]
(1, 'Goncharov, Lewis and Xue')
>>> add("02", record="x", interpretation="Marx", bearing="supports", why="y")
Traceback (most recent call last):
...
yalu.errors.YaluError: unknown interpretation 'Marx': use one of Whiting, Chen 1994, Goncharov, Lewis and Xue, Shen
>>> del os.environ["YALU_EVIDENCE_LOG"]
"""
from __future__ import annotations

import contextlib
import os
import tempfile
import time
from pathlib import Path

import pandas as pd

from yalu.errors import YaluError

__all__ = ["EvidenceLog", "COLUMNS", "INTERPRETATIONS", "BEARINGS", "FILE_NAME", "log_path", "read", "add", "read_back",
           "tally"]

#: The file's name, in the home folder unless ``YALU_EVIDENCE_LOG`` names another file.
FILE_NAME = "yalu-evidence-log.csv"
ENV = "YALU_EVIDENCE_LOG"

COLUMNS = ["notebook", "entry", "record", "document", "interpretation", "bearing", "why"]

#: The four interpretations students test, by the name a row gives them.
INTERPRETATIONS = ("Whiting", "Chen 1994", "Goncharov, Lewis and Xue", "Shen")
BEARINGS = ("supports", "strains")

_LOCK_WAIT = 10.0     # seconds a save waits for another notebook's save
_LOCK_STALE = 60.0    # a lock older than this was left by a kernel that died while saving


class EvidenceLog(pd.DataFrame):
    """The log as a pandas DataFrame that shows its whole text, left-aligned, without the index.

    Anything computed from it (a filter, a count) is a plain DataFrame again.

    >>> log = EvidenceLog({"why": ["x" * 80], "bearing": ["supports"]})
    >>> ("x" * 80) in log._repr_html_() and ("x" * 80) in repr(log)
    True
    """

    @property
    def _constructor(self):
        return pd.DataFrame

    def _repr_html_(self) -> str:
        with pd.option_context("display.max_colwidth", None):
            table = pd.DataFrame(self).to_html(index=False, border=0, justify="left")
        left = 'style="text-align: left; vertical-align: top; white-space: normal"'
        return table.replace("<td>", f"<td {left}>").replace("<th>", f"<th {left}>")

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None, "display.width", 120):
            return pd.DataFrame(self).to_string(index=False)


def log_path() -> Path:
    """The log's file: ``$YALU_EVIDENCE_LOG``, else ``yalu-evidence-log.csv`` in the home folder."""
    env = os.environ.get(ENV)
    return Path(env).expanduser() if env else Path.home() / FILE_NAME


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "entry" else "object") for c in COLUMNS})


def _interpretation(value: object) -> str:
    text = str(value).strip()
    for name in INTERPRETATIONS:
        first = name.split()[0].rstrip(",").lower()
        if text.lower() in (name.lower(), first):
            return name
    raise YaluError(f"unknown interpretation {text!r}: use one of {', '.join(INTERPRETATIONS)}")


def _bearing(value: object) -> str:
    text = str(value).strip().lower()
    if text not in BEARINGS:
        raise YaluError(f"bearing must be 'supports' or 'strains', not {str(value)!r}")
    return text


def read(path: Path | str | None = None) -> pd.DataFrame:
    """The log as a table (no rows if there is no file yet).

    Raises :class:`YaluError`, in one line, when the file cannot be read as a log; the file is
    left untouched.
    """
    path = Path(path) if path else log_path()
    if not path.exists():
        return EvidenceLog(_empty())
    where = f"your evidence log ({path})"
    keep = "it has been left as it is: repair it in a text editor, or rename it to start a new log"
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        return EvidenceLog(_empty())
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise YaluError(f"{where} cannot be read ({reason}); {keep}") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise YaluError(f"{where} lacks the column(s) {', '.join(missing)}; {keep}")
    frame = frame[COLUMNS].copy()
    entries = pd.to_numeric(frame["entry"], errors="coerce")
    if entries.isna().any() or (entries < 1).any() or (entries % 1 != 0).any():
        line = int(entries.isna().idxmax() if entries.isna().any() else (entries < 1).idxmax()) + 2
        raise YaluError(f"{where} has an entry that is not a whole number from 1 on (line {line}); {keep}")
    frame["entry"] = entries.astype("int64")
    return EvidenceLog(frame.reset_index(drop=True))


@contextlib.contextmanager
def _locked(path: Path):
    lock = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + _LOCK_WAIT
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - lock.stat().st_mtime > _LOCK_STALE:
                    lock.unlink()
                    continue
            if time.monotonic() > deadline:
                raise YaluError("another notebook is saving your evidence log; run this cell again") from None
            time.sleep(0.02)
        except OSError as exc:
            raise YaluError(f"cannot save your evidence log in {path.parent} ({exc.strerror})") from None
    try:
        os.close(fd)
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()


def _write(frame: pd.DataFrame, path: Path) -> None:
    """Write the whole file at once: a temporary file beside it, then renamed over it."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            frame.to_csv(f, index=False)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)
        raise YaluError(f"cannot save your evidence log to {path} ({exc.strerror})") from None


def _text(name: str, value: object, required: bool = True) -> str:
    if value is None or value is ...:
        value = ""
    if not isinstance(value, str):
        raise YaluError(f"{name} should be text in quotation marks, not {value!r}")
    value = " ".join(value.split())
    if required and not value:
        raise YaluError(f"{name} is empty: say it in a few words")
    return value


def add(notebook: str, record: str, interpretation: str, bearing: str, why: str, document: str = "",
        entry: int = 1, path: Path | str | None = None) -> pd.DataFrame:
    """Add a row to the log and save it; return the whole log.

    A row is known by its ``notebook`` and ``entry`` (1 unless given): running the same cell again
    replaces its row instead of adding a copy. Use ``entry=2`` and on for more rows in a notebook.
    """
    row = {"notebook": _text("notebook", notebook), "record": _text("record", record),
           "document": _text("document", document, required=False),
           "interpretation": _interpretation(interpretation), "bearing": _bearing(bearing),
           "why": _text("why", why)}
    if isinstance(entry, bool) or not isinstance(entry, int) or entry < 1:
        raise YaluError(f"entry should be a whole number from 1 on, not {entry!r}")
    row["entry"] = entry
    path = Path(path) if path else log_path()
    if not path.parent.is_dir():
        raise YaluError(f"cannot save your evidence log: the folder {path.parent} does not exist")
    with _locked(path):
        frame = read(path)
        same = (frame["notebook"] == row["notebook"]) & (frame["entry"] == entry)
        frame = pd.concat([frame[~same], pd.DataFrame([row])[COLUMNS]], ignore_index=True)
        frame = frame.sort_values(["notebook", "entry"], kind="stable").reset_index(drop=True)
        _write(frame, path)
    return EvidenceLog(frame)


def read_back(path: Path | str | None = None) -> pd.DataFrame:
    """Read the log at the start of a notebook (making an empty log file if there is none yet),
    print one line saying how many rows it has, and return it."""
    path = Path(path) if path else log_path()
    if not path.exists():
        with _locked(path):
            if not path.exists():
                _write(_empty(), path)
    frame = read(path)
    if frame.empty:
        print(f"Your evidence log ({path.name}) has no rows yet.")
    else:
        books = sorted(frame["notebook"].unique())
        print(f"Your evidence log ({path.name}) has {len(frame)} row{'s' * (len(frame) != 1)}, "
              f"from notebook{'s' * (len(books) != 1)} {', '.join(books)}.")
    return frame


def tally(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """How many rows support and how many strain each interpretation (all four, zeros included).

    >>> log = pd.DataFrame({"interpretation": ["Shen", "Shen", "Whiting"],
    ...                     "bearing": ["supports", "strains", "strains"]})
    >>> tally(log).loc["Shen"].tolist(), tally(log).loc["Chen 1994"].tolist()
    ([1, 1], [0, 0])
    """
    frame = read() if frame is None else frame
    counts = pd.crosstab(pd.Categorical(frame["interpretation"], categories=INTERPRETATIONS),
                         pd.Categorical(frame["bearing"], categories=BEARINGS), dropna=False)
    counts.index.name, counts.columns.name = "interpretation", None
    return counts
