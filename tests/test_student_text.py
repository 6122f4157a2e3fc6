"""Nothing internal reaches students.

Every string a student can see is scanned for the project's working material:

* the name of the outside-facts file ("CONTEXT", "CONTEXT.md") and notes such as
  "per CONTEXT.md" or "(printed at the top of the next page)";
* row ids from the data tables' ``id`` columns (``ev_ccpcc_air_cable``, ``mao_zedong``);
* raw Markdown (``##``, ``**``) in stored outputs, where it would show as literal marks;
* the label "(instructor version".

What counts as student-facing: the markdown and the stored outputs of the notebooks in
``notebooks/`` and ``exercises/``, the stored outputs of the solution notebooks (the
``check()`` and ``reveal()`` messages students get), the model answers ``reveal()`` shows,
the string literals of the question bank, every text cell of the data tables, and the
sections of ``instructor/GUIDE.md`` marked as student handouts. Alt text sits inside the
stored HTML outputs and is scanned with them.

The scanner itself is tested on planted markers, so that a scan finding nothing means
something.
"""
from __future__ import annotations

import ast
import base64
import csv
import html
import json
import re
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SRC = ROOT / "src" / "yalu"

#: Columns whose cells hold ids (the table's own key or references to other rows);
#: tables show them translated (names, "Chen, fn. 31"), never raw.
ID_COLUMNS = {"id", "conflict", "source", "actors", "sender", "recipients",
              "happening", "event", "communication", "troop_movement", "soviet_air"}  # same_happening.csv links
#: The link table's columns that hold ids (in claims.csv, "claim" is text and is scanned).
LINK_ID_COLUMNS = {"document", "event", "communication", "claim", "troop_movement", "air_record"}

TEXT_MARKERS = [
    (re.compile(r"\bCONTEXT\b"), "the working file's name (CONTEXT)"),
    (re.compile(r"\bper CONTEXT", re.I), "an internal note (per CONTEXT.md)"),
    (re.compile(r"shared/context", re.I), "a path of our working material"),
    (re.compile(r"printed at the top of the next page", re.I), "an internal note on the printed page"),
    (re.compile(r"\(instructor version", re.I), 'the label "(instructor version"'),
]
RAW_MARKDOWN = [
    (re.compile(r"\*\*"), "raw Markdown (**)"),
    (re.compile(r"(?m)(?:^|\s)##"), "raw Markdown (##)"),
]


# ------------------------------------------------------------------ the scanner

def row_ids() -> set[str]:
    """Ids from every table's id column that cannot be mistaken for a word (they contain "_")."""
    ids = set()
    for path in sorted(DATA.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if "_" in (row.get("id") or ""):
                    ids.add(row["id"])
    return ids


def id_pattern(ids: set[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.compile(rf"(?<![\w/.-])(?:{alternatives})(?![\w-])")


def scan(text: str, ids: re.Pattern, raw_markdown: bool = False) -> list[str]:
    """The markers found in ``text``, each as "what: ...context...". Empty when the text is clean."""
    found = []
    markers = TEXT_MARKERS + (RAW_MARKDOWN if raw_markdown else [])
    for pattern, what in markers:
        for m in pattern.finditer(text):
            found.append(f"{what}: ...{text[max(0, m.start() - 40):m.end() + 40]!s}...")
    for m in ids.finditer(text):
        found.append(f"a row id ({m.group(0)}): ...{text[max(0, m.start() - 40):m.end() + 40]}...")
    return found


def output_text(output: dict) -> str:
    """The readable text of one stored output: plain text, HTML without its tags, embedded images, styles
    and scripts (alt text is kept), and streams."""
    if output.get("output_type") == "stream":
        return "".join(output.get("text", ""))
    data = output.get("data", {})
    parts = ["".join(data.get("text/plain", ""))]
    page = "".join(data.get("text/html", ""))
    if page:
        page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
        page = re.sub(r'\bsrc="data:[^"]*"', "", page)
        alts = re.findall(r'\balt="([^"]*)"', page)
        page = re.sub(r"<[^>]+>", " ", page)
        parts += [html.unescape(page)] + [html.unescape(a) for a in alts]
    parts.append("".join(data.get("text/markdown", "")))  # rendered by JupyterLab: no raw-markdown check
    return "\n".join(parts)


def notebook_problems(nb: dict, ids: re.Pattern, markdown: bool = True) -> list[str]:
    """Markers in a notebook's markdown cells (if ``markdown``) and in its stored outputs."""
    found = []
    for number, cell in enumerate(nb.get("cells", [])):
        if markdown and cell["cell_type"] == "markdown":
            found += [f"cell {number} (markdown): {p}" for p in scan("".join(cell["source"]), ids)]
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            rendered = "".join(data.get("text/markdown", ""))
            found += [f"cell {number} (output): {p}" for p in scan(rendered, ids)]
            plain = output_text({**out, "data": {k: v for k, v in data.items() if k != "text/markdown"}})
            found += [f"cell {number} (output): {p}" for p in scan(plain, ids, raw_markdown=True)]
    return found


# ------------------------------------------------------------------ the scanner finds what it should

@pytest.fixture(scope="module")
def ids():
    return id_pattern(row_ids())


def _nb(markdown: str = "Plain words.", plain: str = "A table", page: str = "<p>A table</p>") -> dict:
    return {"cells": [{"cell_type": "markdown", "source": markdown},
                      {"cell_type": "code", "source": "x", "outputs": [
                          {"output_type": "execute_result", "data": {"text/plain": plain, "text/html": page}}]}]}


def test_the_data_has_row_ids_to_look_for():
    found = row_ids()
    assert {"ev_ccpcc_air_cable", "mao_zedong"} <= found
    assert all("_" in i for i in found)


def test_a_clean_notebook_passes(ids):
    clean = _nb("Facts from outside the paper cite their *context* source (Chen, fn. 31). **Bold** is fine here.",
                "Mao Zedong, Chen, fn. 32", '<img alt="A map of Korea"><td>Chen, no footnote</td>')
    assert notebook_problems(clean, ids) == []


@pytest.mark.parametrize("planted, where", [
    ("As listed in CONTEXT.md, the treaty was signed.", "markdown"),
    ("See the row ev_ccpcc_air_cable.", "markdown"),
    ("**Model answer** (instructor version; students see it through reveal)", "markdown"),
    ("14 May 1950 (per context.md)", "plain"),
    ("on the evening of 17 October (printed at the top of the next page)", "plain"),
    ("**Reading the table.** Who claims what?", "plain"),
    ("## Key points", "plain"),
    ("Sender: mao_zedong", "html"),
    ("alt", "alt"),
])
def test_the_scanner_finds_a_planted_marker(ids, planted, where):
    if where == "markdown":
        nb = _nb(markdown=planted)
    elif where == "plain":
        nb = _nb(plain=planted)
    elif where == "html":
        nb = _nb(page=f"<table><tr><td>{html.escape(planted)}</td></tr></table>")
    else:
        nb = _nb(page='<img alt="Timeline of events; source: shared/context/CONTEXT.md" src="data:image/png;base64,AA">')
    assert notebook_problems(nb, ids), f"the scanner missed {planted!r} in the {where}"


def test_raw_markdown_is_allowed_in_markdown_cells_but_not_in_outputs(ids):
    assert notebook_problems(_nb(markdown="## A heading with **bold**"), ids) == []
    assert notebook_problems(_nb(plain="## A heading with **bold**"), ids)
    assert notebook_problems(_nb(page="<p>**bold**</p>"), ids)


def test_ids_inside_urls_and_longer_words_are_not_row_ids(ids):
    assert scan("https://example.org/pla_x/mao_zedong.html", ids) == []
    assert scan("see mao_zedong_and_more", ids) == []
    assert scan("see mao_zedong.", ids)


# ------------------------------------------------------------------ the real strings

STUDENT_NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "instructor" / "solutions").glob("*.ipynb"))


@pytest.mark.parametrize("path", STUDENT_NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_student_notebooks_show_nothing_internal(path, ids):
    problems = notebook_problems(json.loads(path.read_text(encoding="utf-8")), ids)
    assert not problems, f"{path.name}: {len(problems)} internal markers:\n" + "\n".join(problems[:10])


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: f"solutions/{p.name}")
def test_check_and_reveal_messages_show_nothing_internal(path, ids):
    """The solution notebooks' stored outputs are the check() and reveal() messages students get."""
    problems = notebook_problems(json.loads(path.read_text(encoding="utf-8")), ids, markdown=False)
    assert not problems, f"{path.name}: {len(problems)} internal markers in outputs:\n" + "\n".join(problems[:10])


def _model_answers() -> dict:
    """The model answers reveal() shows: stored as zlib+base64 JSON (in src/yalu or its exercises package)."""
    found = {}
    for path in sorted(SRC.rglob("model_answers.json")):
        stored = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(stored, dict) and "data" in stored and "zlib" in str(stored.get("format", "")):
            stored = json.loads(zlib.decompress(base64.b64decode(stored["data"])))
        found[str(path.relative_to(ROOT))] = stored
    return found


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def test_model_answers_show_nothing_internal(ids):
    answers = _model_answers()
    if not answers:
        pytest.skip("no model_answers.json in src/yalu")
    problems = [f"{where}: {p}" for where, stored in answers.items() for s in _strings(stored) for p in scan(s, ids)]
    assert not problems, f"{len(problems)} internal markers in the model answers:\n" + "\n".join(problems[:10])


def _bank_files() -> list[Path]:
    files = [SRC / "question_bank.py"] + sorted((SRC / "exercises").glob("*.py"))
    return [f for f in files if f.is_file()]


def _string_literals(path: Path) -> list[str]:
    """String constants of a module, without docstrings (those are for developers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings]


def test_question_bank_messages_show_nothing_internal(ids):
    files = _bank_files()
    assert files, "no question bank found in src/yalu"
    problems = [f"{f.relative_to(ROOT)}: {p}" for f in files for s in _string_literals(f)
                for p in scan(s, ids) if not p.startswith("a row id")]
    assert not problems, f"{len(problems)} internal markers in the question bank:\n" + "\n".join(problems[:10])


def test_data_cells_shown_to_students_hold_nothing_internal(ids):
    problems = []
    for path in sorted(DATA.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                for column, value in row.items():
                    if column in ID_COLUMNS or not value or (path.name == "document_links.csv"
                                                             and column in LINK_ID_COLUMNS):
                        continue
                    problems += [f"{path.name} row {line}, {column}: {p}"
                                 for p in scan(value, ids, raw_markdown=True)]
    assert not problems, f"{len(problems)} internal markers in data cells:\n" + "\n".join(problems[:15])


def handouts(guide: str) -> list[str]:
    """The sections of the guide whose heading says they are student handouts."""
    sections = []
    for m in re.finditer(r"^(#+)\s+(.*handout.*)$", guide, flags=re.M | re.I):
        rest = guide[m.end():]
        nxt = re.search(rf"^#{{1,{len(m.group(1))}}}\s", rest, flags=re.M)
        sections.append(rest[: nxt.start()] if nxt else rest)
    return sections


def test_handouts_are_found_in_a_guide():
    guide = "# Guide\n\n## For instructors\n\nCONTEXT.md\n\n## Handout: seminar 1\n\nText for students.\n\n## Notes\n\nx\n"
    assert handouts(guide) == ["\n\nText for students.\n\n"]


def test_student_handouts_in_the_guide_show_nothing_internal(ids):
    guide = ROOT / "instructor" / "GUIDE.md"
    problems = [p for section in handouts(guide.read_text(encoding="utf-8")) for p in scan(section, ids)]
    assert not problems, "internal markers in the guide's student handouts:\n" + "\n".join(problems[:10])
