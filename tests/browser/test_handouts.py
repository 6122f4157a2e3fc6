"""The printed seminar packs (`make handouts`): one PDF per seminar in A4 and US Letter.

The packs are printed once for this file (a module fixture, with the session's Chromium). Then, with
poppler's tools: page count and page size, text that can be extracted, every point of every role
card followed by its citation, and every page rendered to PNG with ink on it. Each check is also
run on a broken control.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ARTIFACTS
from yalu.course import NARRATIVE
from yalu.handouts import SILENT, role_cards
from yalu.handouts import render as render_packs

pytestmark = pytest.mark.browser

POINTS = {"A4": (595.3, 841.9), "Letter": (612.0, 792.0)}  # page size in PostScript points
CITATION = re.compile(r"\[(?:Chen, (?:fn\. \d+|no footnote)|Context: [^\]]+)\]")


def _tool(name: str) -> str:
    from shutil import which

    path = which(name)
    if not path:
        pytest.fail(f"{name} is missing (apt-get install poppler-utils)", pytrace=False)
    return path


@pytest.fixture(scope="module")
def packs(browser, tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    files = render_packs(out, browser=browser)
    return out, files


def pdfinfo(path: Path) -> dict:
    text = subprocess.run([_tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", text, re.M).group(1))
    w, h = map(float, re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", text, re.M).groups())
    return {"pages": pages, "width": w, "height": h}


def pdftext(path: Path) -> str:
    return subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout


def size_of(path: Path) -> str | None:
    info = pdfinfo(path)
    for name, (w, h) in POINTS.items():
        if abs(info["width"] - w) < 1.5 and abs(info["height"] - h) < 1.5:
            return name
    return None


def uncited_points(text: str) -> tuple[int, list[str]]:
    """The role cards' points (each starts with a bullet) and those with no citation before the next."""
    start = text.index("Each point comes from the course's records")  # the section, not the cover's list
    end = text.index("Mao's message to Stalin", start)
    chunks = text[start:end].split("•")[1:]
    bad = []
    for chunk in chunks:
        # a point ends where the next heading or card begins; its citation must come before that
        point = re.split(r"\n(?:WHAT |[A-Z][a-z]+ [A-Z][a-z]+\n|Seminar \d)", chunk)[0]
        if not CITATION.search(point):
            bad.append(" ".join(point.split())[:120])
    return len(chunks), bad


def test_one_pack_per_seminar_in_both_sizes(packs):
    out, files = packs
    assert sorted(p.name for p in files) == sorted(f"seminar-{n.number}-{s}.pdf" for n in NARRATIVE for s in POINTS)
    for path in files:
        info = pdfinfo(path)
        want = path.stem.rsplit("-", 1)[1]
        assert size_of(path) == want, f"{path.name}: {info['width']} x {info['height']} pt is not {want}"
        assert 3 <= info["pages"] <= 20, f"{path.name}: {info['pages']} pages"
        assert 20_000 < path.stat().st_size < 3_000_000, f"{path.name}: {path.stat().st_size} bytes"
    # Control: a Letter file is not taken for A4.
    letter = next(p for p in files if p.stem.endswith("Letter"))
    assert size_of(letter) != "A4"


def test_text_is_extractable_and_has_every_section(packs):
    out, _ = packs
    for n in NARRATIVE:
        text = pdftext(out / f"seminar-{n.number}-A4.pdf")
        title = n.title.replace("Notebook", "Seminar", 1)
        for part in (title, "Documents", "Ask of each document", "Printouts", "Rubrics"):
            assert part in text, f"seminar {n.number}: {part!r} not in the extracted text"
        assert not re.search(r"\b(ev|com|tm|air|claim|conf|ctx)_[a-z0-9_]+\b", text), "a row id in a pack"
        assert "CONTEXT.md" not in text and "DOCUMENTS.md" not in text
    five = pdftext(out / "seminar-05-Letter.pdf")
    for part in ("Role cards", "The Politburo's debate, early October 1950", "The Black Sea talks",
                 "The Chinese version", "The Russian version", "The October 1950 calendar"):
        assert part in five
    assert "Role cards" not in pdftext(out / "seminar-02-A4.pdf")
    # each rubric under its question's wording, as students see it in the exercise notebook
    from yalu.handouts import _prompts

    prompt = re.sub(r"<[^>]+>", " ", _prompts("05_decision_exercises")["q7"])
    assert " ".join(prompt.split())[:80] in " ".join(five.split())


def test_every_role_card_point_carries_a_citation(packs):
    out, _ = packs
    cards = role_cards()
    expected = sum(len(c[k]) for c in cards for k in ("knew", "did", "wanted"))
    assert expected >= 10 and all(CITATION.fullmatch(p["cite"]) for c in cards for k in ("knew", "did", "wanted")
                                  for p in c[k])
    # where the records are silent, the card says so instead of inventing
    assert any(not c[k] for c in cards for k in ("knew", "did", "wanted"))
    for size in POINTS:
        text = pdftext(out / f"seminar-05-{size}.pdf")
        n, bad = uncited_points(text)
        assert n == expected, f"{size}: {n} points printed, {expected} on the cards"
        assert bad == [], bad
        assert " ".join(SILENT.split()[:6]) in " ".join(text.split())
    # Control: a point whose citation is cut off is found.
    text = pdftext(out / "seminar-05-A4.pdf")
    broken = CITATION.sub("", text, count=1)
    assert len(uncited_points(broken)[1]) == 1


def _ink(png: Path) -> float:
    from PIL import Image

    img = Image.open(png).convert("L")
    hist = img.histogram()
    return sum(hist[:200]) / (img.width * img.height)


def test_every_page_renders(packs, tmp_path):
    out, files = packs
    pdftoppm = _tool("pdftoppm")
    for path in files:
        prefix = tmp_path / path.stem
        subprocess.run([pdftoppm, "-r", "40", "-png", str(path), str(prefix)], check=True)
        pngs = sorted(tmp_path.glob(f"{path.stem}-*.png"))
        assert len(pngs) == pdfinfo(path)["pages"]
        for png in pngs:
            assert _ink(png) > 0.002, f"{png.name} is blank"
    # the seminar-5 pack at a readable resolution, kept for a look
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run([pdftoppm, "-r", "60", "-png", str(out / "seminar-05-A4.pdf"), str(ARTIFACTS / "handout-05-A4")],
                   check=True)
    # Control: a blank page is seen as blank.
    from PIL import Image

    Image.new("L", (100, 140), 255).save(tmp_path / "blank.png")
    assert _ink(tmp_path / "blank.png") == 0
