"""The stored model answers of written questions (``src/yalu/model_answers.json``).

The build writes them from the solution notebooks, compressed so that a student
scrolling the package does not read them by accident. ``reveal()`` never shows them (it shows
the rubric's four levels and their exemplars); the grader's ``review.md`` lists them for the
instructor. The student release leaves the file out: there, :func:`get` returns ``None``.

>>> decode(encode({"01": {"q8": "text"}}))
{'01': {'q8': 'text'}}
"""
from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any

__all__ = ["FILE", "encode", "decode", "load", "get", "file_text"]

FILE = Path(__file__).resolve().parent.parent / "model_answers.json"


def encode(obj: Any) -> str:
    raw = json.dumps(obj, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def decode(blob: str) -> Any:
    return json.loads(zlib.decompress(base64.b64decode(blob)).decode("utf-8"))


def file_text(models: dict[str, dict[str, str]]) -> str:
    """The content of model_answers.json for ``{set id: {question: markdown}}``."""
    return json.dumps({"format": "zlib+base64 JSON; decode with yalu.exercises.model_answers.decode",
                       "data": encode(models)}, indent=1) + "\n"


def load(path: Path = FILE) -> dict:
    try:
        return decode(json.loads(path.read_text(encoding="utf-8"))["data"])
    except (OSError, ValueError, KeyError, TypeError, zlib.error):
        return {}


def get(set_id: str, qid: str) -> str | None:
    """The model answer's Markdown, or None (a student release has none)."""
    return load().get(set_id, {}).get(qid) or None
