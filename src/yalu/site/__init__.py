"""The course as a static website: ``python -m yalu.site build OUT`` (``make site``).

Built with Sphinx, myst-nb and sphinx-book-theme (developer tools, ``requirements-dev.txt``) from
the **student release** (``python -m yalu.exercises release``): the stored, executed notebooks
(nothing is re-executed), the exercise sets without solutions, the README, the data
documentation and the licences. No instructor folder and no model answers are in that tree, so
none can reach the site. Each page has launch buttons to Binder and to a JupyterHub
(nbgitpuller) at the ``student`` branch, built by the theme from the same template as the
README's links, and a download button for its notebook.

Beside the pages, :mod:`yalu.site.host` writes two projector pages (the explorer and the October
calendar) that run the explorer's own ES module (``yalu/static/explorer.js``) on the explorer's
own payload (:func:`yalu.explorer.payload`) with no kernel.

>>> launch_links("https://github.com/someone/yalu", "https://hub.example.edu")["binder"]
'https://mybinder.org/v2/gh/someone/yalu/student?urlpath=lab/tree/notebooks/00_start_here.ipynb'
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlparse

from yalu import course
from yalu.errors import YaluError

__all__ = ["jupyter_slug", "DEFAULT_REPOSITORY", "DEFAULT_HUB", "BRANCH", "READING_ORDER", "exercise_names", "launch_links",
           "stage", "build", "main"]

# The README's link template (its Binder badge and nbgitpuller link): OWNER and the hub are the
# lecturer's to fill in, with --repository and --hub (or YALU_REPOSITORY and YALU_HUB).
DEFAULT_REPOSITORY = "https://github.com/OWNER/yalu"
DEFAULT_HUB = "https://HUB.example.edu"
BRANCH = "student"
BINDERHUB = "https://mybinder.org"

#: The notebooks in the order the README tells students to read them.
READING_ORDER = (*(name.removesuffix(".ipynb") for name in course.READING_ORDER), "10_timeline_explorer")
EXERCISE_NOTE = (
    "```{note}\nThis page shows the questions only. To answer them and have each answer checked, open this "
    "exercise set in a running notebook: use the launch button (the rocket) at the top of the page for "
    "**Binder** or your university's **JupyterHub**, or download the notebook and open it in your own "
    "Jupyter. Binder sessions are temporary: download your work before you close the tab.\n```\n")


def exercise_names(root: Path) -> list[str]:
    """The exercise sets of a release, in order (``01_leaning_exercises``, ...)."""
    return sorted(p.stem for p in (root / "exercises").glob("[0-9][0-9]_*.ipynb"))


def jupyter_slug(text: str) -> str:
    """A heading's anchor as JupyterLab makes it, which the notebooks link to (``#Names-and-spellings``).

    >>> jupyter_slug("Names and spellings")
    'Names-and-spellings'
    """
    return text.strip().replace(" ", "-")


def launch_links(repository: str, hub: str | None, path: str = "notebooks/00_start_here.ipynb") -> dict[str, str]:
    """The Binder and nbgitpuller links of one notebook, in the README's form (for the index page)."""
    parts = urlparse(repository).path.strip("/").split("/")
    if urlparse(repository).netloc != "github.com" or len(parts) != 2:
        raise YaluError(f"the repository must be a GitHub address like https://github.com/OWNER/REPO, not {repository!r}")
    links = {"binder": f"{BINDERHUB}/v2/gh/{parts[0]}/{parts[1]}/{BRANCH}?urlpath=lab/tree/{path}"}
    if hub:
        links["hub"] = (f"{hub.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(repository, safe='')}"
                        f"&branch={BRANCH}&urlpath={quote(f'lab/tree/{parts[1]}/{path}', safe='')}")
    return links


def _conf(repository: str, hub: str | None) -> str:
    """conf.py of the staged site: myst-nb reading stored outputs, the book theme, no network."""
    launch = {"binderhub_url": BINDERHUB, "notebook_interface": "jupyterlab"}
    if hub:
        launch["jupyterhub_url"] = hub.rstrip("/")
    options = {
        "repository_url": repository, "repository_branch": BRANCH, "path_to_docs": "",
        "use_download_button": True, "use_fullscreen_button": False, "use_repository_button": False,
        "launch_buttons": launch, "home_page_in_toc": True, "show_navbar_depth": 1,
    }
    settings = {
        "project": "Yalu: the Sino-Soviet alliance and China's entry into the Korean War",
        "author": "the Yalu course authors",
        "copyright": "the Yalu course authors; text and data CC BY 4.0, code MIT",
        "extensions": ["myst_nb"],
        "root_doc": "index",
        "nb_execution_mode": "off",  # the stored, executed notebooks as they are
        "nb_merge_streams": True,
        "myst_heading_anchors": 3,
        "myst_heading_slug_func": "yalu.site.jupyter_slug",
        "myst_enable_extensions": ["dollarmath"],
        "html_theme": "sphinx_book_theme",
        "html_title": "Yalu: the Sino-Soviet alliance and the Korean War",
        "html_theme_options": options,
        "html_sourcelink_suffix": "",  # the download button gives the .ipynb itself
        "html_static_path": [],
        "templates_path": ["_templates"],  # two of the theme's parts made accessible (yalu/site/templates)
        "html_context": {"default_mode": "light"},
        "html_extra_path": ["_extra"],
        "html_last_updated_fmt": None,
        "html_show_sphinx": False,
        "exclude_patterns": ["_build", "_extra", "_templates", "**.ipynb_checkpoints"],
        "suppress_warnings": ["myst.header"],
        "language": "en",
    }
    return ("# Generated by python -m yalu.site: the site's settings (see yalu/site/__init__.py).\n"
            + "".join(f"{k} = {v!r}\n" for k, v in settings.items()))


def _index(root: Path, repository: str, hub: str | None) -> str:
    links = launch_links(repository, hub)
    hub_line = (f"- on your university's JupyterHub: [open the course on the hub]({links['hub']})\n"
                if "hub" in links else "")
    nbs = "\n".join(f"notebooks/{n}" for n in READING_ORDER if (root / "notebooks" / f"{n}.ipynb").is_file())
    exs = "\n".join(f"exercises/{n}" for n in exercise_names(root))
    return f"""# Yalu: the Sino-Soviet alliance and China's entry into the Korean War (1949-1950)

An open course on how Mao's China "leaned to one side" in 1949, how the Sino-Soviet treaty of
February 1950 was made, and how, between June and October 1950, the alliance shaped Beijing's
decision to send troops across the Yalu. Read it here, page by page, with no installation.
Every table, timeline and map is shown as it was when the notebooks were last run.

To run the code and answer the exercises, open the course in a live notebook:

- on Binder, with nothing to install: [launch the start notebook on Binder]({links['binder']})
{hub_line}- on your own machine: download a notebook (the download button at the top of each page) or follow
  *Two commands* in [About this course](README.md).

Each notebook and exercise page has the same launch buttons (the rocket) and a download button at its top.

## For the seminar room

Two full-screen pages for a projector, which work in any browser with no notebook running:

- <a href="explorer.html">the timeline explorer</a>: every dated record, to search, filter and zoom;
- <a href="october.html">the October 1950 calendar</a>: the decision day by day, with the explorer on 1-19 October.

```{{toctree}}
:caption: Start
:maxdepth: 1

README
```

```{{toctree}}
:caption: Notebooks
:maxdepth: 1

{nbs}
```

```{{toctree}}
:caption: Exercises
:maxdepth: 1

{exs}
```

```{{toctree}}
:caption: Data and licences
:maxdepth: 1

data/README
LICENSE-CONTENT
licence-code
```
"""


_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def _unlink_missing(text: str, release: Path, dest: Path) -> str:
    """Links to files that are not pages of the site (the instructor's folder is not in the student
    release; CONTRIBUTING.md is for developers) become their plain link text."""
    site_pages = {"README.md", "data/README.md", "LICENSE-CONTENT.md"}

    def fix(m: re.Match) -> str:
        target = m.group(2)
        if "://" in target or target.startswith(("#", "mailto:")):
            return m.group(0)
        path = target.split("#")[0]
        if path in site_pages or (path.startswith(("notebooks/", "exercises/")) and (release / path).is_file()):
            return m.group(0)
        return m.group(1)

    # an image from another host (the README's Binder badge) would be fetched by every reader: its words instead
    text = _IMAGE.sub(lambda m: m.group(1) if "://" in m.group(2) else m.group(0), text)
    return _LINK.sub(fix, text)


_EMPTY_TH = re.compile(r"(<thead>\s*<tr[^>]*>\s*)<th></th>")
_THEAD = re.compile(r"<thead>.*?</thead>", re.S)


def _name_index_headers(nb) -> None:
    """A pandas table's top-left header cell is empty (``<th></th>``), which a screen reader reads as
    nothing (axe: empty-table-header); on the site it says "row" to screen readers only. The other
    empty header cells (under a named column axis, as in a crosstab) say "no heading" the same way."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                text = data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
                text = _EMPTY_TH.sub(r'\1<th><span class="visually-hidden">row</span></th>', text)
                data["text/html"] = _THEAD.sub(lambda m: m.group(0).replace(
                    "<th></th>", '<th><span class="visually-hidden">no heading</span></th>'), text)


LIVE_EXPLORER = ('<p><small>On this website: <a href="../explorer.html">open the timeline explorer</a>, which works here '
                 "with no notebook running.</small></p>")


def _point_to_the_live_explorer(nb) -> None:
    """Under each explorer's static view (a stored notebook has no widget state), a link to the site's
    explorer page, which runs the same explorer with no kernel."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                text = data["text/html"] if isinstance(data["text/html"], str) else "".join(data["text/html"])
                if 'class="yalu-fallback"' in text and text.rstrip().endswith("</small></p></div>"):
                    data["text/html"] = text.replace("</small></p></div>", "</small></p>" + LIVE_EXPLORER + "</div>", 1)


def stage(release: Path, dest: Path, repository: str = DEFAULT_REPOSITORY, hub: str | None = DEFAULT_HUB) -> Path:
    """Copy the pages of the student release ``release`` into ``dest`` with the site's settings."""
    import nbformat

    release, dest = Path(release), Path(dest)
    if not (release / "notebooks").is_dir():
        raise YaluError(f"{release} has no notebooks/ folder: give the student release (python -m yalu.exercises release)")
    if (release / "instructor").exists():
        raise YaluError(f"{release} holds instructor/: build the site from the student release, never from main")
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "notebooks").mkdir(parents=True)
    (dest / "exercises").mkdir()
    (dest / "data").mkdir()
    for name in READING_ORDER:
        src = release / "notebooks" / f"{name}.ipynb"
        if src.is_file():
            nb = nbformat.read(src, as_version=4)
            _name_index_headers(nb)
            _point_to_the_live_explorer(nb)
            nbformat.write(nb, dest / "notebooks" / src.name)
    for name in exercise_names(release):
        nb = nbformat.read(release / "exercises" / f"{name}.ipynb", as_version=4)
        at = 1 if nb.cells and nb.cells[0].cell_type == "markdown" else 0
        nb.cells.insert(at, nbformat.v4.new_markdown_cell(EXERCISE_NOTE))
        nbformat.write(nb, dest / "exercises" / f"{name}.ipynb")
    readme = (release / "README.md").read_text(encoding="utf-8")
    (dest / "README.md").write_text(_unlink_missing(readme, release, dest), encoding="utf-8")
    shutil.copy2(release / "data" / "README.md", dest / "data" / "README.md")
    shutil.copy2(release / "LICENSE-CONTENT.md", dest / "LICENSE-CONTENT.md")
    code = (release / "LICENSE").read_text(encoding="utf-8")
    (dest / "licence-code.md").write_text(f"# Licence of the code (MIT)\n\n```text\n{code}\n```\n", encoding="utf-8")
    (dest / "index.md").write_text(_index(release, repository, hub), encoding="utf-8")
    (dest / "conf.py").write_text(_conf(repository, hub), encoding="utf-8")
    shutil.copytree(Path(__file__).with_name("templates"), dest / "_templates")
    from yalu.site import host

    host.write(dest / "_extra")
    return dest


def build(out: Path, release: Path | None = None, repository: str = DEFAULT_REPOSITORY,
          hub: str | None = DEFAULT_HUB, quiet: bool = True) -> dict:
    """Build the site into ``out``; from ``release`` if given, else from a fresh student release of
    this repository. Returns the timings and what was built."""
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="yalu-site-") as tmp:
        if release is None:
            release = Path(tmp) / "release"
            from yalu.exercises.build import release as make_release

            make_release(release, out=lambda *a: None)
        t_release = time.perf_counter() - t0
        src = stage(Path(release), Path(tmp) / "src", repository, hub)
        out = Path(out)
        if out.exists():
            shutil.rmtree(out)
        cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going", "-E",
               "-d", str(Path(tmp) / "doctrees"), str(src), str(out)]
        env = {**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        run = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if run.returncode:
            raise YaluError("the site did not build:\n" + (run.stderr or run.stdout)[-6000:])
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html") if p.relative_to(out).parts[0] != "_static")
    return {"out": str(out), "pages": pages, "release_s": round(t_release, 2),
            "total_s": round(time.perf_counter() - t0, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m yalu.site", description="Build the course website.")
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build the site from the student release")
    b.add_argument("out", type=Path, help="the folder to write the site into (replaced)")
    b.add_argument("--release", type=Path, default=None,
                   help="a student release folder or a checkout of the student branch (default: make one now)")
    b.add_argument("--repository", default=os.environ.get("YALU_REPOSITORY") or DEFAULT_REPOSITORY,
                   help="the GitHub repository the launch buttons open (https://github.com/OWNER/REPO)")
    b.add_argument("--hub", default=os.environ.get("YALU_HUB", DEFAULT_HUB),
                   help="your JupyterHub's address for the nbgitpuller button; empty for none")
    args = parser.parse_args(argv)
    try:
        launch_links(args.repository, args.hub or None)
        res = build(args.out, args.release, args.repository, args.hub or None)
    except YaluError as exc:
        print(f"python -m yalu.site: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({k: v for k, v in res.items() if k != "pages"} | {"pages": len(res["pages"])}))
    return 0
