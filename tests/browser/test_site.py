"""The course website (`make site`) as a reader meets it, with no kernel anywhere.

The site is built once for this file (a module fixture: about 15 s) from a fresh student release
and served from 127.0.0.1. Then:
- nothing from the instructor's side is in it: no model answer, no solution line, no solutions file;
- LinkChecker finds no broken internal link (and does find one we break on purpose);
- at 1366x768 here and 1024x768 in test_site_projector.py, every page loads with no console error and no request to any other
  host (all are blocked and recorded), and axe-core finds no violation in our content;
- on the projector page the explorer, run from the same ES module and payload as the widget,
  searches, filters, changes lanes, zooms by keyboard and opens a record's detail with its citation.
Screenshots are kept in ARTIFACTS.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest

from conftest import ARTIFACTS, SIZES
from yalu import course
from yalu.exercises.build import BEGIN, END
from yalu.exercises.model_answers import load as load_model_answers
from yalu.paths import repo_root
from yalu.site import build

pytestmark = pytest.mark.browser

AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
TEXT_SUFFIXES = {".html", ".js", ".json", ".txt", ".ipynb", ".md", ".css", ".inv"}
# Parts of the theme's own page furniture, not our content (axe is run on everything else).
THEME_PARTS: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "html"
    info = build(out)
    return out, info


@contextlib.contextmanager
def serving(root: Path):
    """The folder ``root`` over HTTP on 127.0.0.1, as GitHub Pages would serve it; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def served(site):
    with serving(site[0]) as base:
        yield base


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D102 - the test reads results, not logs
        pass


# ----------------------------------------------------------------------------- content


def _texts(root: Path):
    for p in root.rglob("*"):
        if p.is_file() and (p.suffix in TEXT_SUFFIXES or p.name.endswith(".ipynb.txt")):
            yield p, p.read_text(encoding="utf-8", errors="replace")


def _normal(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).replace("\\n", " ").split()).lower()


def solution_phrases(root: Path | None = None) -> list[str]:
    """What only instructors may see: sentences of the model answers, and the solution notebooks'
    solution lines that appear nowhere in the student versions or the narrative notebooks."""
    root = root or repo_root()
    phrases = []
    for answers in load_model_answers().values():
        for text in answers.values():
            phrases += [s for s in re.split(r"(?<=[.!?])\s+", _normal(text)) if len(s) >= 40]
    # The course's own notebooks: not the scratch copies other browser tests make and delete meanwhile.
    public = "\n".join(_normal(p.read_text(encoding="utf-8"))
                       for p in [*root.glob("exercises/*.ipynb"), *root.glob("notebooks/*.ipynb")]
                       if not p.name.startswith("scratch-"))
    for path in sorted(root.glob("instructor/solutions/*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            src = cell.source
            inside = False
            for line in src.splitlines():
                if line.strip().startswith(BEGIN):
                    inside = True
                elif line.strip().startswith(END):
                    inside = False
                elif (inside or "solution" in cell.get("metadata", {}).get("tags", [])) and len(line.strip()) >= 30:
                    norm = _normal(line)
                    if norm not in public:
                        phrases.append(norm)
    return sorted(set(phrases))


def leaked(root: Path, phrases: list[str]) -> list[str]:
    found = []
    for path, text in _texts(root):
        norm = _normal(text)
        for marker in (BEGIN.lower(), END.lower()):
            if marker in norm:
                found.append(f"{path.relative_to(root)}: {marker!r}")
        found += [f"{path.relative_to(root)}: {ph[:60]!r}" for ph in phrases if ph in norm]
    found += [str(p.relative_to(root)) for p in root.rglob("*") if "solution" in p.name.lower()
              or p.name == "model_answers.json" or "instructor" in p.parts]
    return found


def test_no_solutions_or_model_answers_on_the_site(site, tmp_path):
    root, info = site
    phrases = solution_phrases()
    assert len(phrases) > 20, "found too few solution phrases to search for: the check would be empty"
    assert leaked(root, phrases) == []
    # Control: one model-answer sentence and one solution marker put into a copy are found.
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    page = copy / "notebooks" / "05_the_decision.html"
    page.write_text(page.read_text(encoding="utf-8") + f"<p>{phrases[0]}</p><pre>{BEGIN}</pre>", encoding="utf-8")
    assert len(leaked(copy, phrases)) >= 2


def test_every_page_in_reading_order_with_launch_and_download(site):
    root, info = site
    index = (root / "index.html").read_text(encoding="utf-8")
    order = [m for m in re.findall(r'href="(notebooks/[^"#]+\.html)"', index)]
    expected = [f"notebooks/{name.removesuffix('.ipynb')}.html" for name in course.READING_ORDER]
    assert [p for p in order if p in expected][:len(expected)] == expected, order
    assert order[:3] == expected[:3], order
    assert order.index("notebooks/05_the_decision.html") < order.index("notebooks/06_the_evidence.html")
    for rel in ("notebooks/05_the_decision.html", "exercises/05_decision_exercises.html"):
        page = (root / rel).read_text(encoding="utf-8")
        nb = rel.replace(".html", ".ipynb")
        assert f"mybinder.org/v2/gh/OWNER/yalu/student?urlpath=lab/tree/{nb}" in page, f"{rel}: no Binder button"
        pulls = [parse_qs(urlparse(html.unescape(u)).query) for u in re.findall(r'href="([^"]*/git-pull\?[^"]*)"', page)]
        assert {"repo": ["https://github.com/OWNER/yalu"], "branch": ["student"],
                "urlpath": [f"lab/tree/yalu/{nb}"]} in pulls, f"{rel}: no JupyterHub (nbgitpuller) button: {pulls}"
        assert f"_sources/{nb}" in page, f"{rel}: no download link for the notebook"
        assert (root / "_sources" / nb).is_file()
        assert json.loads((root / "_sources" / nb).read_text(encoding="utf-8"))["cells"]
    # Under each explorer's static view in a notebook, a link to the live explorer of the site.
    ten = (root / "notebooks" / "10_timeline_explorer.html").read_text(encoding="utf-8")
    assert ten.count('href="../explorer.html"') >= 3, "notebook 10's explorers do not point to the site's explorer"
    ex = (root / "exercises" / "05_decision_exercises.html").read_text(encoding="utf-8")
    assert "To answer them and have each answer checked" in ex
    assert "searchindex.js" in {p.name for p in root.iterdir()} and (root / "search.html").is_file()
    # The figures keep their alt text.
    imgs = re.findall(r"<img [^>]*>", (root / "notebooks" / "05_the_decision.html").read_text(encoding="utf-8"))
    assert imgs and all(re.search(r'alt="[^"]{20,}"', i) for i in imgs if "data:image/png" in i)


def test_the_explorer_pages_load_the_widget_module_itself(site):
    root, _ = site
    shipped = hashlib.sha256((repo_root() / "src" / "yalu" / "static" / "explorer.js").read_bytes()).hexdigest()
    assert hashlib.sha256((root / "_yalu" / "explorer.js").read_bytes()).hexdigest() == shipped
    for page in ("explorer.html", "october.html"):
        assert 'from "./_yalu/host.js"' in (root / page).read_text(encoding="utf-8")
    data = json.loads((root / "_yalu" / "explorer-data.json").read_text(encoding="utf-8"))
    assert len(data["payload"]["records"]) > 100


def _linkcheck(root: Path) -> subprocess.CompletedProcess:
    """LinkChecker over the site served from ``root``: every page and file reachable from the index,
    links to other hosts left unchecked (nothing leaves this machine)."""
    exe = Path(sys.executable).with_name("linkchecker")
    if not exe.exists():
        pytest.fail("LinkChecker is not installed (requirements-dev.txt)")
    with serving(root) as base:
        return subprocess.run([str(exe), "--no-status", "--no-warnings", "-o", "text", f"{base}/index.html"],
                              capture_output=True, text=True, timeout=600)


def test_no_broken_internal_link(site, tmp_path):
    root, info = site
    run = _linkcheck(root)
    assert run.returncode == 0 and " 0 errors found" in run.stdout, run.stdout[-4000:]
    checked = int(re.search(r"(\d+) links? in \d+ URLs checked", run.stdout).group(1))
    assert checked >= len(info["pages"]), run.stdout[-2000:]
    # Control: a page removed from a copy of the site is reported.
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    (copy / "notebooks" / "02_treaty_talks.html").unlink()
    broken = _linkcheck(copy)
    assert broken.returncode != 0 and "02_treaty_talks.html" in broken.stdout


# ----------------------------------------------------------------------------- in the browser


def reader_at(browser, size: str):
    """A fresh browser context of one size; every request to another host is blocked and recorded."""
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    outside: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    yield size, page, errors, outside
    context.close()


@pytest.fixture
def reader(browser):
    """The laptop size here; test_site_projector.py runs the same checks at 1024x768 (beside this file
    under pytest-xdist, so the two sizes take the time of one)."""
    yield from reader_at(browser, "laptop")


def _axe(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed at {AXE} (npm ci --prefix tests/browser)", pytrace=False)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 4)}));
    }""")


def test_every_page_loads_cleanly_offline_and_accessibly(site, served, reader):
    root, info = site
    name, page, errors, outside = reader
    problems = {}
    for rel in info["pages"]:
        errors.clear()
        page.goto(f"{served}/{rel}", wait_until="load")
        if rel in ("explorer.html", "october.html"):
            page.wait_for_selector(".yx[data-ready='1']", timeout=60_000)
        page.wait_for_timeout(100)
        found = {}
        if errors:
            found["console"] = list(errors)
        violations = _axe(page)
        if violations:
            found["axe"] = violations
        if found:
            problems[rel] = found
        if rel in ("index.html", "notebooks/05_the_decision.html", "exercises/05_decision_exercises.html",
                   "october.html", "explorer.html"):
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"site-{name}-{rel.replace('/', '-')}.png"))
    assert problems == {}, json.dumps(problems, indent=1)[:6000]
    assert outside == [], f"requests to other hosts were attempted: {sorted(set(outside))[:10]}"
    assert len(info["pages"]) >= 20


def test_search_page_finds_a_notebook(served, reader):
    name, page, errors, outside = reader
    page.goto(f"{served}/search.html?q=Black+Sea", wait_until="load")
    page.wait_for_selector("#search-results li a", timeout=30_000)
    hits = page.locator("#search-results li a").all_inner_texts()
    assert any("decision" in h.lower() or "notebook 5" in h.lower() for h in hits), hits
    assert not errors and outside == []


def _readout(ex) -> str:
    return ex.locator(".yx-readout").inner_text()


def test_explorer_without_a_kernel(served, reader):
    name, page, errors, outside = reader
    page.goto(f"{served}/explorer.html", wait_until="load")
    ex = page.locator(".yx[data-ready='1']")
    ex.wait_for(timeout=60_000)
    page.wait_for_function("el => el.querySelectorAll('.vis-item.yx-item').length > 10", arg=ex.element_handle())
    assert _readout(ex).startswith("1 Jan 1949 to 31 Dec 1950")
    box = ex.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SIZES[name][0] + 1, "the explorer is wider than the screen"
    assert box["y"] + box["height"] <= SIZES[name][1] + 1, "the projector page scrolls"
    page.screenshot(path=str(ARTIFACTS / f"site-explorer-{name}-01-open.png"))

    # Search
    ex.get_by_label("Search", exact=True).fill("black sea")
    page.wait_for_function("el => el.querySelector('.vis-item mark')", arg=ex.element_handle(), timeout=10_000)
    assert "matching" in _readout(ex)
    ex.get_by_label("Search", exact=True).fill("")
    page.wait_for_function("el => !el.querySelector('.vis-item mark')", arg=ex.element_handle())

    # Filter
    ex.get_by_label("Kind", exact=True).select_option(label="Communication")
    page.wait_for_function("el => [...el.querySelectorAll('.vis-item.yx-item')].every("
                           "i => i.classList.contains('yx-k-communication'))", arg=ex.element_handle())
    assert ex.locator(".vis-item.yx-item").count() > 0
    ex.get_by_label("Kind", exact=True).select_option(label="All kinds")

    # Lanes
    lanes_before = ex.locator(".vis-label").all_inner_texts()
    ex.get_by_label("Lanes", exact=True).select_option(value="kind")
    page.wait_for_function("([el, old]) => [...el.querySelectorAll('.vis-label')].map(l => l.innerText).join('|')"
                           " !== old", arg=[ex.element_handle(), "|".join(lanes_before)])
    lanes = " ".join(ex.locator(".vis-label").all_inner_texts())
    assert "Communication" in lanes and "Beijing" not in lanes, lanes

    # Zoom by keyboard: + on the focused timeline narrows the dates read out.
    ex.get_by_role("button", name="Show 1–19 Oct 1950").click()
    page.wait_for_function("el => el.innerText.startsWith('1 Oct 1950 to 19 Oct 1950')",
                           arg=ex.locator(".yx-readout").element_handle())
    before = _readout(ex)
    ex.locator(".yx-timeline").focus()
    page.keyboard.press("+")
    page.wait_for_function("([el, old]) => el.innerText !== old", arg=[ex.locator(".yx-readout").element_handle(),
                                                                      before])
    assert not _readout(ex).startswith("1 Oct 1950 to 19 Oct 1950")
    page.keyboard.press("-")

    # Detail of a record by keyboard: its citation and the link to its document and notebook page.
    ex.locator(".yx-timeline").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    detail = ex.locator(".yx-detail")
    page.wait_for_function("el => el.innerText.includes('Source')", arg=detail.element_handle())
    text = detail.inner_text()
    assert re.search(r"Source:?\s+(Footnote \d+|Chen Jian|Context)", text), text
    # a record whose citation links its document (a context source with a public address)
    ex.get_by_label("Search", exact=True).fill("4785")
    page.wait_for_function("el => el.querySelector('.vis-item mark')", arg=ex.element_handle(), timeout=10_000)
    ex.get_by_role("button", name="Show 1–19 Oct 1950").click()
    page.wait_for_timeout(300)
    ex.locator(".vis-item", has=page.locator("mark")).first.click()
    page.wait_for_function("el => el.innerText.includes('Source')", arg=detail.element_handle())
    hrefs = detail.evaluate("el => [...el.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert "Cable No. 4785" in detail.inner_text()
    # the document itself, at the archive, and the notebook page that tells the story
    assert any(h.startswith("https://digitalarchive.wilsoncenter.org/document/") for h in hrefs), hrefs
    read_on = [h for h in hrefs if h.startswith("notebooks/") and h.endswith(".html")]
    assert read_on and page.request.get(f"{served}/{read_on[0]}").ok, hrefs
    page.screenshot(path=str(ARTIFACTS / f"site-explorer-{name}-02-detail.png"))
    assert not errors, errors
    assert outside == [], outside


def test_october_projector_page(served, reader):
    name, page, errors, outside = reader
    page.goto(f"{served}/october.html", wait_until="load")
    ex = page.locator(".yx[data-ready='1']")
    ex.wait_for(timeout=60_000)
    assert _readout(ex).startswith("1 Oct 1950 to 19 Oct 1950")
    img = page.locator(".pj-calendar img")
    assert "Calendar of 1 to 19 October 1950" in img.get_attribute("alt")
    box = img.bounding_box()
    assert box["width"] <= SIZES[name][0] and box["height"] <= SIZES[name][1] - 60, box
    assert page.locator(".pj-calendar .yalu-key li").count() >= 5
    page.screenshot(path=str(ARTIFACTS / f"site-october-{name}.png"), full_page=True)
    assert not errors and outside == []


def test_the_pages_workflow_builds_from_the_student_release():
    from ruamel.yaml import YAML

    flow = YAML(typ="safe").load((repo_root() / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    steps = flow["jobs"]["build"]["steps"]
    runs = [s.get("run", "") for s in steps]
    release = next(i for i, r in enumerate(runs) if "python -m yalu.exercises release" in r)
    site = next(i for i, r in enumerate(runs) if "python -m yalu.site build" in r)
    assert release < site and "--release" in runs[site], runs
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact") for s in steps)
    assert flow["jobs"]["deploy"]["steps"][0]["uses"].startswith("actions/deploy-pages")
    assert flow["permissions"]["pages"] == "write"
