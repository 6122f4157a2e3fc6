"""The narrative notebooks (notebooks/01-06): structure, links, figures, outputs, and no copied prose.

Checks, for each of the six notebooks:

* the kernelspec, and that the stored notebook is executed without errors;
* a header with learning objectives, the time needed and what to read first;
* headings in order under one title (one H1; no level skipped);
* at least three discussion questions, further reading from the paper's footnotes;
* links: every relative link points at a file that exists; the previous/next
  notebooks and the matching exercise are linked; web links are well formed;
* tables come from ``yalu`` (never typed into a notebook), and the timeline
  widget for the notebook's phase is called;
* every figure is an ``<img>`` with alt text, never a bare PNG output;
* no run of 12 or more consecutive words of the paper appears in the notebook's
  markdown (or in instructor/GUIDE.md, or in the text of the stored outputs)
  unless it is inside quotation marks with a "(Chen ...)" citation right after it.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
NB_DIR = ROOT / "notebooks"
PAPER = Path("/work/shared/paper/000_2c4aedd057c8907f.txt")
if not PAPER.is_file():  # a checkout elsewhere may ship the paper beside the repository
    PAPER = ROOT.parent / "shared" / "paper" / "000_2c4aedd057c8907f.txt"

NOTEBOOKS = {
    "01_leaning_to_one_side.ipynb": ("leaning", "01_leaning_exercises.ipynb"),
    "02_treaty_talks.ipynb": ("treaty", "02_treaty_exercises.ipynb"),
    "03_korea_1949_1950.ipynb": ("korea", "03_korea_exercises.ipynb"),
    "04_preparing_to_intervene.ipynb": ("preparing", "04_preparing_exercises.ipynb"),
    "05_the_decision.ipynb": ("decision", "05_decision_exercises.ipynb"),
    "06_the_evidence.ipynb": ("historiography", "06_evidence_exercises.ipynb"),
}
ORDER = list(NOTEBOOKS)
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
RUN = 12            # words: the longest run of the paper allowed outside a cited quotation
MAX_QUOTE = 50      # words: a longer quotation is not "short", even when cited
MAX_EVIDENCE = 90   # words: the data's verbatim evidence cells ("a sentence or less")


def _load(name):
    return json.loads((NB_DIR / name).read_text(encoding="utf-8"))


def _markdown(nb) -> str:
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


def _code(nb) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def _section(md: str, title: str) -> str:
    """The text under the heading ``title`` up to the next heading of the same or a higher level."""
    m = re.search(rf"^(#+)\s+{re.escape(title)}\s*$", md, flags=re.M | re.I)
    assert m, f"no heading {title!r}"
    level = len(m.group(1))
    rest = md[m.end():]
    nxt = re.search(rf"^#{{1,{level}}}\s", rest, flags=re.M)
    return rest[: nxt.start()] if nxt else rest


# ------------------------------------------------------------------ copy check

def _words(text: str) -> list[str]:
    text = text.replace("’", "'").replace("‘", "'")
    return re.findall(r"[a-z0-9]+(?:'[a-z0-9]+)?", text.lower())


def _paper_ngrams() -> set[tuple[str, ...]]:
    text = PAPER.read_text(encoding="utf-8")
    text = re.sub(r"<sup>.*?</sup>", " ", text)
    words = _words(text)
    return {tuple(words[i:i + RUN]) for i in range(len(words) - RUN + 1)}


_QUOTE = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_CITE = re.compile(r"^[^\n]{0,80}?\(Chen\b[^)]*\)", re.S)  # the citation follows within 80 characters


def _strip_cited_quotes(text: str, max_quote: int) -> tuple[list[str], list[str]]:
    """Split ``text`` at short cited quotations. Returns (segments outside them, problems)."""
    segments, problems, last = [], [], 0
    for m in _QUOTE.finditer(text):
        quote = m.group(0)
        after = text[m.end(): m.end() + 160]
        if _CITE.match(after) and len(_words(quote)) <= max_quote:
            segments.append(text[last:m.start()])
            last = m.end()
        elif len(_words(quote)) > max_quote and _CITE.match(after):
            problems.append(f"quotation of {len(_words(quote))} words is too long: {quote[:80]}...")
    segments.append(text[last:])
    return segments, problems


#: The paper's own citation (title in quotation marks) may appear anywhere.
TITLE = "The Sino-Soviet Alliance and China's Entry into the Korean War"


def copied_runs(text: str, ngrams: set, max_quote: int = MAX_QUOTE) -> list[str]:
    """Runs of RUN+ words of the paper in ``text`` outside short cited quotations."""
    text = re.sub(rf"[\"“]{re.escape(TITLE)}[\"”]", " ", text.replace("’", "'"))
    segments, problems = _strip_cited_quotes(text, max_quote)
    found = list(problems)
    for seg in segments:
        words = _words(seg)
        for i in range(len(words) - RUN + 1):
            if tuple(words[i:i + RUN]) in ngrams:
                found.append(" ".join(words[i:i + RUN]))
    return found


@pytest.fixture(scope="module")
def paper_ngrams():
    if not PAPER.is_file():
        pytest.skip("the paper's text is not available on this machine")
    return _paper_ngrams()


def test_copy_check_catches_copying(paper_ngrams):
    copied = ("During an enlarged politburo meeting in January 1949, American intervention became one of the "
              "central topics.")
    assert copied_runs(copied, paper_ngrams)
    assert not copied_runs(f"Chen writes that “{copied}” (Chen, fn. 3).", paper_ngrams)
    assert copied_runs(f"Chen writes that “{copied}” and much later we cite nothing at all here in this long "
                       f"sentence that goes on and on to push the citation out of reach of the check (Chen, fn. 3).",
                       paper_ngrams)
    assert not copied_runs("The CCP met in January 1949 and talked a lot about the Americans.", paper_ngrams)


# ------------------------------------------------------------------ the six notebooks

def test_the_six_notebooks_exist():
    found = sorted(p.name for p in NB_DIR.glob("0[1-6]_*.ipynb"))
    assert found == sorted(ORDER)


@pytest.mark.parametrize("name", ORDER)
def test_metadata_and_stored_execution(name):
    nb = _load(name)
    assert nb["metadata"]["kernelspec"] == KERNELSPEC
    assert "widgets" not in nb["metadata"], f"{name}: stored widget state (random model ids); strip it"
    assert "model_id" not in json.dumps(nb), f"{name}: a widget model id (random) in the stored outputs"
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        assert cell["execution_count"] is not None, f"{name}: a code cell is not executed: {cell['source'][:60]}"
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"{name}: stored error output"
            assert not (out["output_type"] == "stream" and out.get("name") == "stderr"), f"{name}: stderr output"
            text = json.dumps(out.get("data", out.get("text", "")))
            assert not re.search(r"at 0x[0-9a-f]{6,}", text), f"{name}: a memory address in the outputs"


@pytest.mark.parametrize("name", ORDER)
def test_header(name):
    md = _markdown(_load(name))
    objectives = _section(md, "Learning objectives")
    assert len(re.findall(r"^\s*(?:\d+\.|[*-])\s+\S", objectives, flags=re.M)) >= 3
    assert re.search(r"\d+\s+minutes", _section(md, "Time needed"))
    assert re.search(r"\]\(", _section(md, "Read first")) or "extract" in _section(md, "Read first")
    first = md.index("Learning objectives")
    assert first < md.index("## 1.") if "## 1." in md else True, "the header comes first"


@pytest.mark.parametrize("name", ORDER)
def test_headings_in_order_under_one_title(name):
    md = _markdown(_load(name))
    md = re.sub(r"```.*?```", "", md, flags=re.S)
    levels = [len(m.group(1)) for m in re.finditer(r"^(#{1,6})\s+\S", md, flags=re.M)]
    assert levels[0] == 1 and levels.count(1) == 1, f"{name}: exactly one H1, first"
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"{name}: heading level jumps from {before} to {after}"


@pytest.mark.parametrize("name", ORDER)
def test_discussion_questions_and_further_reading(name):
    md = _markdown(_load(name))
    questions = re.findall(r"^\s*\d+\.\s+\S.*\?", _section(md, "Discussion questions"), flags=re.M)
    assert len(questions) >= 3, f"{name}: at least three discussion questions"
    reading = _section(md, "Further reading")
    assert len(re.findall(r"\(Chen, fn\. \d+", reading)) >= 1, f"{name}: further reading from the footnotes"


@pytest.mark.parametrize("name", ORDER)
def test_links_work(name):
    nb = _load(name)
    md = _markdown(nb)
    links = re.findall(r"\]\(([^)\s]+)\)", md)
    assert links
    for target in links:
        if re.match(r"https?://", target):
            url = urlparse(target)
            assert url.netloc and "." in url.netloc, f"{name}: malformed URL {target}"
            continue
        path = (NB_DIR / target.split("#")[0]).resolve()
        assert path.is_file(), f"{name}: link to {target}, which does not exist"
    i = ORDER.index(name)
    prev = ORDER[i - 1] if i else "00_start_here.ipynb"
    assert prev in links, f"{name}: no link to the previous notebook"
    if i + 1 < len(ORDER):
        assert ORDER[i + 1] in links, f"{name}: no link to the next notebook"
    exercise = NOTEBOOKS[name][1]
    assert f"../exercises/{exercise}" in links, f"{name}: no link to its exercise"


@pytest.mark.parametrize("name", ORDER)
def test_tables_through_yalu_and_the_timeline_widget(name):
    nb = _load(name)
    code = "\n".join(_code(nb))
    for typed in ("DataFrame(", "read_csv", "pd.Series(", "from_records", "from_dict"):
        assert typed not in code, f"{name}: a table typed into the notebook ({typed})"
    assert "show(" in code and "load(" in code, f"{name}: tables via yalu.tables.show(load(...))"
    phase = NOTEBOOKS[name][0]
    assert re.search(rf"timeline\.explore\(phase=\"{phase}\"\)", code), f"{name}: the timeline for its period"
    for cell in _code(nb):
        assert len(cell.strip().splitlines()) <= 6, f"{name}: code cells stay short: {cell[:60]}"


@pytest.mark.parametrize("name", ORDER)
def test_figures_have_alt_text(name):
    nb = _load(name)
    images = 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            assert "image/png" not in data and "image/jpeg" not in data, \
                f"{name}: a bare image output (no alt text); use yalu.figures.show"
            page = "".join(data.get("text/html", ""))
            for tag in re.findall(r"<img\b[^>]*>", page):
                images += 1
                alt = re.search(r'\balt="([^"]*)"', tag)
                assert alt and len(html.unescape(alt.group(1)).split()) >= 12, f"{name}: an image without real alt text"
    assert images >= 1, f"{name}: no figure at all"


@pytest.mark.parametrize("name", ORDER)
def test_no_paper_text_in_markdown(name, paper_ngrams):
    runs = copied_runs(_markdown(_load(name)), paper_ngrams)
    assert not runs, f"{name}: text of the paper outside short cited quotations: {runs[:3]}"


@pytest.mark.parametrize("name", ORDER)
def test_no_paper_text_in_outputs(name, paper_ngrams):
    """Stored outputs (tables, alt text) quote the paper only as marked, cited evidence."""
    nb = _load(name)
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            page = "".join(out.get("data", {}).get("text/html", ""))
            page = re.sub(r'src="data:[^"]*"', "", page)
            text = html.unescape(re.sub(r"<[^>]+>", " \n ", page))
            runs = copied_runs(text, paper_ngrams, max_quote=MAX_EVIDENCE)
            assert not runs, f"{name}: paper text in an output outside cited quotations: {runs[:3]}"


def test_guide_has_no_paper_text(paper_ngrams):
    guide = ROOT / "instructor" / "GUIDE.md"
    assert guide.is_file()
    runs = copied_runs(guide.read_text(encoding="utf-8"), paper_ngrams)
    assert not runs, f"instructor/GUIDE.md: text of the paper outside short cited quotations: {runs[:3]}"
