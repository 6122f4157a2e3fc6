"""Where things are: the repository, its data package and the cache of checked tables.

One place answers these questions for every module (the loader, the server launcher, the
exercise builder), so a moved folder is fixed once.

>>> from yalu.paths import data_dir
>>> (data_dir() / "datapackage.json").is_file()
True
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import platformdirs

from yalu.errors import YaluError

__all__ = ["find_root", "repo_root", "data_dir", "cache_dir", "save_to_cache"]

_MARKER = Path("data") / "datapackage.json"


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``data/datapackage.json``, or None."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / _MARKER).is_file():
            return folder
    return None


def repo_root() -> Path:
    """The collection's folder: the checkout around this package (an editable install, Binder),
    else the one around the current folder (``pip install .`` on a hub, with the notebooks pulled
    into a home folder, where a notebook runs in ``notebooks/``).

    Raises :class:`YaluError` when neither is found.
    """
    found = find_root(Path(__file__).parent) or find_root(Path.cwd())
    if found is None:
        raise YaluError("cannot find the collection's folder (data/datapackage.json); open the notebooks from "
                        "the collection's folder, install yalu from a checkout with `pip install -e .`, "
                        "or set YALU_DATA")
    return found


def data_dir() -> Path:
    """The folder holding ``datapackage.json``: ``$YALU_DATA``, else the repository's ``data/``."""
    env = os.environ.get("YALU_DATA")
    if env:
        return Path(env)
    try:
        return repo_root() / "data"
    except YaluError:
        raise YaluError("cannot find data/datapackage.json; set YALU_DATA to the collection's data folder") from None


def cache_dir() -> Path | None:
    """Where checked tables are cached: ``$YALU_CACHE`` (``off`` for none), else the user cache folder."""
    setting = os.environ.get("YALU_CACHE")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    return Path(platformdirs.user_cache_dir("yalu", appauthor=False))


def save_to_cache(name: str, write: Callable[[BinaryIO], object]) -> bool:
    """Write the cache file ``name`` with ``write(binary_file)``, whole or not at all: into a
    temporary file, then renamed, so a reader never sees half a file.

    Returns False where there is no cache (``YALU_CACHE=off``) or it cannot be written (a
    read-only home on some hubs): the caller then keeps what it made in memory only.
    """
    folder = cache_dir()
    if folder is None:
        return False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")  # one per writer, threads too
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, folder / name)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            return False
        raise
    return True
