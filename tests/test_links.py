"""Links students follow: none hands out the solutions, and each is labelled with where it goes.

* No student-facing link points at the course repository's ``main`` branch (or ``HEAD`` or
  ``master``): Binder and nbgitpuller links name the ``student`` branch, which has no
  ``instructor/`` folder and no model answers (see the README, "For instructors").
* A link whose words name a site (the Wilson Center Digital Archive, FRUS, the USC US-China
  Institute, Binder ...) goes to that site. A source's citation in ``data/`` counts as the
  label of its URL, and so does a link's tooltip (``title``) in a notebook's output.

Scanned: the README files, the instructor guide, ``data/README.md`` and the sources in
``data/``, the narrative and exercise notebooks (sources and stored outputs), the solution
notebooks' outputs (the feedback students get) and the text of the package ``yalu``.
"""
from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The course repository as the docs name it: its real name or the placeholder of a template link.
COURSE_REPOS = {"yalu", "repo"}
STUDENT_BRANCH = "student"

#: Words that name a site, and the domain a link so labelled must go to.
SITES = [
    (re.compile(r"Wilson Center|Digital Archive|\bWCDA\b"), "wilsoncenter.org"),
    (re.compile(r"US-China Institute|\bUSC\b"), "china.usc.edu"),
    (re.compile(r"\bFRUS\b|Foreign Relations of the United States|Office of the Historian"), "history.state.gov"),
    (re.compile(r"World and Japan"), "worldjpn.net"),
    (re.compile(r"\bBinder\b"), "mybinder.org"),
    (re.compile(r"Internet Archive"), "archive.org"),
    (re.compile(r"\bGitHub\b"), "github.com"),
]

URL = re.compile(r"https?://[^\s)\"'<>\]`]+")
MD_LINK = re.compile(r"(?<!!)\[([^\]\[]+)\]\((https?://[^\s)]+)(?:\s+\"([^\"]*)\")?\)")
A_TAG = re.compile(r"<a\s([^>]*)>(.*?)</a>", re.S | re.I)
ATTR = re.compile(r"(\w+)\s*=\s*\"([^\"]*)\"")
TAG = re.compile(r"<[^>]+>")
AFTER = re.compile(r"\s*,\s*([^;.,()\n]{0,60})")


def _host_ok(url: str, domain: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    return host == domain or host.endswith("." + domain)


def branch_problems(url: str) -> list[str]:
    """Why ``url`` would serve the course repository's main branch (empty when it does not)."""
    parts = urlparse(url)
    host, path = (parts.hostname or "").lower(), parts.path
    if host == "mybinder.org" and path.startswith("/v2/gh/"):
        bits = path.split("/")  # ['', 'v2', 'gh', OWNER, REPO, REF, ...]
        if len(bits) < 6 or bits[5] != STUDENT_BRANCH:
            return [f"Binder link not on the {STUDENT_BRANCH!r} branch: {url}"]
    if path.endswith("/git-pull"):
        query = parse_qs(parts.query)
        repo = (query.get("repo") or [""])[0].rstrip("/").split("/")[-1].removesuffix(".git").lower()
        if repo in COURSE_REPOS and query.get("branch") != [STUDENT_BRANCH]:
            return [f"nbgitpuller link without branch={STUDENT_BRANCH}: {url}"]
    if host in ("github.com", "raw.githubusercontent.com"):
        bits = [b for b in path.split("/") if b]
        if len(bits) >= 2 and bits[1].lower() in COURSE_REPOS:
            ref = bits[3] if host == "github.com" and len(bits) > 3 and bits[2] in ("blob", "tree", "raw") else (
                bits[2] if host == "raw.githubusercontent.com" and len(bits) > 2 else None)
            if ref in ("main", "master", "HEAD"):
                return [f"link to the course repository's {ref}: {url}"]
    return []


def label_problems(label: str, url: str) -> list[str]:
    """Why a link with these words does not go where its words say (empty when it does)."""
    text = " ".join(html.unescape(TAG.sub(" ", label)).split())
    return [f"{text!r} is labelled as {domain} but goes to {url}"
            for pattern, domain in SITES if pattern.search(text) and not _host_ok(url, domain)]


def links_in(text: str) -> list[tuple[str, str]]:
    """(label, url) pairs of the Markdown and HTML links in a text; a tooltip counts as a label."""
    pairs = [(m.group(1), m.group(2)) for m in MD_LINK.finditer(text)]
    # "[title](url), Wilson Center Digital Archive": the words right after a link name its site too
    pairs += [(after.group(1), m.group(2)) for m in MD_LINK.finditer(text)
              if (after := AFTER.match(text, m.end())) and after.group(1).strip()]
    pairs += [(m.group(3), m.group(2)) for m in MD_LINK.finditer(text) if m.group(3)]
    for m in A_TAG.finditer(text):
        attrs = dict(ATTR.findall(m.group(1)))
        href = html.unescape(attrs.get("href", ""))
        if href.startswith("http"):
            pairs.append((m.group(2), href))
            if attrs.get("title"):
                pairs.append((attrs["title"], href))
    return pairs


def problems(text: str) -> list[str]:
    found = [p for url in URL.findall(html.unescape(text)) for p in branch_problems(url)]
    found += [p for label, url in links_in(text) for p in label_problems(label, url)]
    return found


# --------------------------------------------------------------------------- what students see


def _notebook_texts(path: Path, outputs_only: bool = False) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    texts = []
    for cell in nb.cells:
        if not outputs_only:
            texts.append(cell.source)
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            texts += [data[k] if isinstance(data[k], str) else "".join(data[k])
                      for k in ("text/html", "text/markdown", "text/plain") if k in data]
            if "text" in out:
                texts.append(out["text"] if isinstance(out["text"], str) else "".join(out["text"]))
    return texts


def _sources_pairs() -> list[tuple[str, str]]:
    pairs = []
    with (ROOT / "data" / "sources.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["url"]:
                pairs += [(row["citation"], row["url"]), (row["title"], row["url"])]
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    pairs += [(s.get("title", ""), s["path"]) for s in package.get("sources", []) if s.get("path")]
    return pairs


DOCS = [ROOT / "README.md", ROOT / "instructor" / "GUIDE.md", ROOT / "instructor" / "README.md",
        ROOT / "data" / "README.md"]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted((ROOT / "exercises").glob("*.ipynb"))
SOLUTIONS = sorted((ROOT / "instructor" / "solutions").glob("*.ipynb"))
PACKAGE = sorted(p for p in (ROOT / "src" / "yalu").rglob("*")
                 if p.suffix in (".py", ".md", ".json") and p.is_file() and "shapes" not in p.parts)


@pytest.mark.parametrize("path", DOCS + PACKAGE, ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_and_package_text(path):
    assert not problems(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebooks(path):
    found = [p for text in _notebook_texts(path) for p in problems(text)]
    assert not found, "\n".join(dict.fromkeys(found))


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_solution_outputs_students_get(path):
    found = [p for text in _notebook_texts(path, outputs_only=True) for p in problems(text)]
    assert not found, "\n".join(dict.fromkeys(found))


def test_data_sources_are_labelled_with_their_site():
    found = [p for label, url in _sources_pairs() for p in label_problems(label, url)]
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_scan_covers_something():
    assert len(NOTEBOOKS) >= 13 and len(SOLUTIONS) == 7 and len(PACKAGE) >= 10
    assert len(_sources_pairs()) >= 20
    assert any(links_in(t) for p in NOTEBOOKS for t in _notebook_texts(p))


# --------------------------------------------------------------------------- the checks can fail


@pytest.mark.parametrize("text", [
    "https://mybinder.org/v2/gh/OWNER/REPO/HEAD?urlpath=lab/tree/notebooks/00_start_here.ipynb",
    "https://mybinder.org/v2/gh/someone/yalu/main",
    "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2FOWNER%2Fyalu&branch=main",
    "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2FOWNER%2Fyalu&urlpath=lab",
    "see https://github.com/OWNER/yalu/blob/main/instructor/solutions/01_leaning_exercises.ipynb",
    "[Wilson Center Digital Archive](https://china.usc.edu/conversation-between-stalin-and-mao)",
    "[FRUS 1950, vol. VI](https://example.org/frus1950v06/d157)",
    '<a href="https://china.usc.edu/x" title="Wilson Center Digital Archive, &quot;Conversation&quot;">USC</a>',
    "[Launch on Binder](https://example.org/v2/gh/OWNER/yalu/student)",
    '(["Conversation between Stalin and Mao"](https://china.usc.edu/conversation), Wilson Center Digital Archive)',
])
def test_a_bad_link_is_caught(text):
    assert problems(text)


@pytest.mark.parametrize("text", [
    "https://mybinder.org/v2/gh/OWNER/yalu/student?urlpath=lab/tree/notebooks/00_start_here.ipynb",
    "https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2FOWNER%2Fyalu&branch=student",
    "[Wilson Center Digital Archive](https://digitalarchive.wilsoncenter.org/document/cable-no-4785)",
    "[USC US-China Institute](https://china.usc.edu/conversation)",
    "[FRUS 1950, vol. VI, doc. 157](https://history.state.gov/historicaldocuments/frus1950v06/d157)",
    "https://github.com/jupyterhub/nbgitpuller/blob/main/README.md",
])
def test_a_good_link_passes(text):
    assert not problems(text)
