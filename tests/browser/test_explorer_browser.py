"""The timeline explorer in JupyterLab, as a student and a lecturer use it.

Playwright drives Debian's Chromium at 1024x768 (a seminar projector, with the file browser open)
and 1366x768 (a laptop). It clicks, searches, filters, zooms and browses by keyboard alone,
checks that no key reaches JupyterLab's notebook commands, that the explorer fits the window and
keeps its height, and runs axe-core on it. A notebook saved after running, and the notebook as the
collection stores it, are then reopened without a kernel: neither may say "model not found".
Screenshots are kept in ARTIFACTS.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import urllib.request
from pathlib import Path

import nbformat
import pytest

from conftest import ARTIFACTS, IDLE, open_notebook
from yalu.paths import repo_root

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/10_timeline_explorer.ipynb"
AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"
READOUT = re.compile(r"^(\d+ \w{3} \d{4}) to (\d+ \w{3} \d{4}): (\d+) of (\d+) records? in view")
CI = os.environ.get("CI") == "true"
SCRATCH = "test-artifacts/explorer-scratch"  # inside the served tree, ignored by git


def _side_panel_open(page) -> None:
    """The file browser open on the left, as a student has it."""
    if not page.locator("#filebrowser").is_visible():
        page.locator(".jp-SideBar.jp-mod-left [data-id='filebrowser']").first.click()
    page.locator("#filebrowser").wait_for(state="visible", timeout=10_000)


def _kernel_chosen(page) -> None:
    """On a loaded machine JupyterLab may still ask which kernel to start: the notebook's own."""
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    try:
        dialog.wait_for(state="visible", timeout=1_500)
    except Exception:  # noqa: BLE001 - no dialog is the usual case
        return
    dialog.get_by_role("button", name="Select").click()
    page.wait_for_selector(IDLE, timeout=60_000)


def _run_all(page) -> None:
    _kernel_chosen(page)
    page.wait_for_selector(IDLE, timeout=60_000)
    assert page.locator(".jp-Dialog").count() == 0, page.locator(".jp-Dialog").first.inner_text()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()


def _explorers(page, n: int, where: str = "run"):
    try:
        page.wait_for_function(f"document.querySelectorAll('.yx[data-ready=\"1\"]').length >= {n}", timeout=120_000)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / f"explorer-timeout-{where}.png"))
        raise
    return page.locator(".yx[data-ready='1']")


def _readout(explorer) -> tuple[str, str, int, int]:
    text = explorer.locator(".yx-readout").inner_text()
    m = READOUT.search(text)
    assert m, f"the range readout should speak dates: {text!r}"
    return m.group(1), m.group(2), int(m.group(3)), int(m.group(4))


def _wait_readout(page, explorer, old: str) -> str:
    page.wait_for_function("([el, old]) => el.innerText !== old",
                           arg=[explorer.locator(".yx-readout").element_handle(), old], timeout=10_000)
    return explorer.locator(".yx-readout").inner_text()


def _active_cell(page) -> int:
    return page.evaluate("""() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')]
                                   .findIndex(c => c.classList.contains('jp-mod-active'))""")


def _items(explorer):
    return explorer.locator(".vis-item.yx-item")


def _axe(page, selector: str) -> list[dict]:
    if not AXE.exists():
        msg = f"axe-core is not installed at {AXE} (run `npm ci --prefix tests/browser`)"
        if CI:
            pytest.fail(msg + " (CI=true: the accessibility check must run)", pytrace=False)
        pytest.skip(msg)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async (sel) => {
        const r = await axe.run(document.querySelector(sel), {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
                                       nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""", selector)
    return result


def _fits(page, explorer, where: str) -> dict:
    """The explorer's box, the notebook's visible area, and whether anything overflows sideways."""
    box = explorer.bounding_box()
    panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer, "
                         ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").first.bounding_box()
    overflow = explorer.evaluate("el => el.scrollWidth - el.clientWidth")
    assert box["height"] <= panel["height"], f"{where}: the explorer ({box['height']:.0f} px) is taller than the " \
                                             f"notebook's visible area ({panel['height']:.0f} px)"
    assert box["x"] >= panel["x"] - 1 and box["x"] + box["width"] <= panel["x"] + panel["width"] + 1, \
        f"{where}: the explorer is wider than the notebook"
    assert overflow <= 1, f"{where}: the explorer's content overflows sideways by {overflow} px"
    return box


def test_explorer_by_mouse_keyboard_and_axe(lab_server, sized, request):
    name, page, errors = sized
    # A copy in the scratch folder (beside the notebooks, so its links still resolve): JupyterLab's
    # autosave must never rewrite the stored notebook.
    copy = f"notebooks/scratch-explorer-{name}.ipynb"
    shutil.copy(repo_root() / NOTEBOOK, repo_root() / copy)
    request.addfinalizer(lambda: (repo_root() / copy).unlink(missing_ok=True))
    open_notebook(page, lab_server, copy)
    _side_panel_open(page)
    _run_all(page)
    explorers = _explorers(page, 3)
    page.wait_for_selector(IDLE, timeout=120_000)
    ex = explorers.first
    ex.scroll_into_view_if_needed()
    ex.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    assert page.locator("text=Error displaying widget").count() == 0
    # It appears once: no static picture in the live output, only the explorer.
    out = page.locator(".jp-OutputArea-output", has=page.locator(".yx")).first
    assert out.locator("img").count() == 0
    box = _fits(page, ex, name)
    height = box["height"]
    page.wait_for_function("el => el.querySelectorAll('.vis-item.yx-item').length > 10", arg=ex.element_handle())
    first, last, n_view, total = _readout(ex)
    assert (first, last) == ("1 Jan 1949", "31 Dec 1950") and 0 < n_view <= total
    page.screenshot(path=str(ARTIFACTS / f"explorer-{name}-01-open.png"))
    # Text is text, and readable on a projector: at least 11 px.
    sizes = ex.evaluate("""el => [...el.querySelectorAll(`.vis-item-content, .vis-time-axis .vis-text, .vis-label,
                                   .yx-readout, .yx-legend li, button, select, label`)]
                             .filter(e => e.offsetParent && e.innerText.trim())
                             .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert sizes and min(sizes) >= 11, f"text as small as {min(sizes)} px"

    # Search: the Black Sea meeting, highlighted, then clicked open.
    search = ex.get_by_label("Search", exact=True)
    search.fill("black sea")
    page.wait_for_function("el => el.querySelector('.vis-item mark')", arg=ex.element_handle(), timeout=10_000)
    marks = ex.locator(".vis-item mark").all_inner_texts()
    assert marks and all(m.lower() == "black" or m.lower() == "sea" for m in marks)
    _, _, n_hit, total_hit = _readout(ex)
    assert 1 <= total_hit < total and "matching" in ex.locator(".yx-readout").inner_text()
    hit = ex.locator(".vis-item", has=page.locator("mark")).first
    hit.click()
    detail = ex.locator(".yx-detail")
    page.wait_for_function("el => el.innerText.includes('Date in the paper')", arg=detail.element_handle())
    text = detail.inner_text()
    for part in ("Technical details", "Source", "Black Sea"):  # the EDTF string is folded in the first
        assert part in text, f"the detail panel lacks {part!r}"
    assert not re.search(r"\b(ev|com|tm|air|claim)_[a-z0-9_]+\b", ex.inner_text()), "a row id is shown"
    page.screenshot(path=str(ARTIFACTS / f"explorer-{name}-02-search.png"))
    search.fill("")
    page.wait_for_function("el => !el.querySelector('.vis-item mark')", arg=ex.element_handle())

    # A filter: only communications; the height does not change.
    ex.get_by_label("Kind", exact=True).select_option(label="Communication")
    page.wait_for_function("el => [...el.querySelectorAll('.vis-item.yx-item')].every("
                           "i => i.classList.contains('yx-k-communication'))", arg=ex.element_handle())
    assert _items(ex).count() > 0
    assert abs(ex.bounding_box()["height"] - height) < 1, "the explorer changed height with a filter"
    ex.get_by_label("Kind", exact=True).select_option(label="All kinds")

    # Zoom: a named period, then a zoom step, read back as dates.
    ex.get_by_role("button", name="Show 1–19 Oct 1950").click()
    page.wait_for_function("el => el.innerText.startsWith('1 Oct 1950 to 19 Oct 1950')",
                           arg=ex.locator(".yx-readout").element_handle())
    before = ex.locator(".yx-readout").inner_text()
    ex.get_by_role("button", name="Zoom out").click()
    after = _wait_readout(page, ex, before)
    a0, a1, _, _ = _readout(ex)
    assert (a0, a1) != ("1 Oct 1950", "19 Oct 1950"), after
    ex.get_by_role("button", name="Fit all records in view").click()
    page.wait_for_function("el => /: (\\d+) of \\1 records? in view/.test(el.innerText)",
                           arg=ex.locator(".yx-readout").element_handle())
    ex.get_by_role("button", name="Show 1–19 Oct 1950").click()
    page.screenshot(path=str(ARTIFACTS / f"explorer-{name}-03-october.png"))

    # The keyboard alone: Tab reaches every control; arrows move between records and never
    # reach JupyterLab (the active cell stays the same); Enter opens the record.
    search.focus()
    reached = []
    for _ in range(14):
        reached.append(page.evaluate("""() => { const a = document.activeElement;
            return a.closest('.yx') ? (a.getAttribute('aria-label')
                || (a.labels && a.labels[0] && a.labels[0].innerText) || a.innerText || a.className) : null }"""))
        page.keyboard.press("Tab")
    assert any(r and "Timeline of the records" in r for r in reached), reached
    for control in ("Show 1949", "Show Treaty talks", "Fit all records in view", "Zoom in", "Zoom out"):
        assert control in reached, f"Tab does not reach {control!r}: {reached}"
    tl = ex.locator(".yx-timeline")
    tl.focus()
    cell = _active_cell(page)
    for key in ("ArrowRight", "ArrowRight", "ArrowRight", "ArrowDown", "ArrowUp", "ArrowLeft", "ArrowDown",
                "End", "Home", "PageDown", "PageUp", "+", "-", "ArrowRight"):
        page.keyboard.press(key)
        assert _active_cell(page) == cell, f"{key} moved JupyterLab to another cell"
        assert page.evaluate("() => !!document.activeElement.closest('.yx')"), f"{key} took the focus away"
    cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").count()
    for key in ("a", "b", "m", "d", "d", "x"):  # notebook commands: insert, change type, delete, cut
        page.keyboard.press(key)
    assert page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").count() == cells
    assert _active_cell(page) == cell, "a letter key acted on the notebook"
    title = ex.get_attribute("data-selected")
    assert title and title in ex.locator(".yx-sr").inner_text(), "the selected record is not announced"
    page.keyboard.press("Enter")
    page.wait_for_function("([el, t]) => el.querySelector('.yx-dtitle') && el.querySelector('.yx-dtitle').innerText"
                           " .startsWith(t.slice(0, 12))", arg=[detail.element_handle(), title])
    for key in ("ArrowUp", "ArrowDown"):  # also from the search box and the lists
        search.focus()
        page.keyboard.press(key)
        assert _active_cell(page) == cell, f"{key} in the search box moved JupyterLab to another cell"
    page.screenshot(path=str(ARTIFACTS / f"explorer-{name}-04-keyboard.png"))

    # Disputed claims: selecting one outlines the other versions of the same question.
    claims = explorers.nth(2)
    claims.scroll_into_view_if_needed()
    claims.evaluate("el => el.scrollIntoView({block: 'start'})")
    claims.locator(".vis-item.yx-k-claim").first.click()
    page.wait_for_function("el => el.querySelectorAll('.vis-item.yx-linked').length >= 1", arg=claims.element_handle())
    assert claims.locator(".yx-versions li").count() >= 1
    _fits(page, claims, name + " (claims)")
    page.screenshot(path=str(ARTIFACTS / f"explorer-{name}-05-claims.png"))

    # axe-core: nothing against the explorer.
    ex.evaluate("el => el.scrollIntoView({block: 'start'})")
    violations = _axe(page, ".yx")
    assert violations == [], json.dumps(violations, indent=1)
    assert not errors, errors


def _scratch_notebook(source: Path, dest: Path, code: str) -> None:
    nb = nbformat.v4.new_notebook(metadata=nbformat.read(source, 4).metadata)
    nb.cells = [nbformat.v4.new_code_cell("from yalu.explorer import explore"), nbformat.v4.new_code_cell(code)]
    dest.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, dest)


def _shutdown_kernels(server) -> None:
    req = urllib.request.Request(f"{server['base']}/api/kernels?token={server['token']}")
    for k in json.load(urllib.request.urlopen(req)):
        urllib.request.urlopen(urllib.request.Request(
            f"{server['base']}/api/kernels/{k['id']}?token={server['token']}", method="DELETE"))


def test_saved_notebook_reopened_without_a_kernel(lab_server, browser):
    """Run an explorer, save, stop the kernel, reopen: the explorer comes back from the saved widget
    state and still works; the same notebook stored as the collection stores it shows the fallback."""
    root = repo_root()
    rel = f"{SCRATCH}/saved.ipynb"
    path = root / rel
    _scratch_notebook(root / NOTEBOOK, path, 'explore(start="1950-10-01", end="1950-10-19")')
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        open_notebook(page, lab_server, rel)
        _run_all(page)
        _explorers(page, 1)
        page.wait_for_selector(IDLE, timeout=60_000)
        page.keyboard.press("Control+s")
        page.wait_for_function("""() => !document.querySelector('.jp-mod-dirty')""", timeout=30_000)
        saved = nbformat.read(path, 4)
        assert "widgets" in saved.metadata, "JupyterLab did not save the widget state (saveState in overrides.json)"
        state = json.dumps(saved.metadata["widgets"])
        vis = (Path(__file__).parents[2] / "src/yalu/static/vis-timeline-graph2d.min.mjs").stat().st_size
        assert len(state) < 2 * vis, "the saved state holds more than one copy of the library"
        _shutdown_kernels(lab_server)
        # Reopen: JupyterLab starts a new kernel, which knows nothing of the old widgets. The explorer
        # must come back from the saved state, and keep working once that kernel is gone too.
        # (JupyterLab's widget manager needs a kernel to start: with "No Kernel" chosen it shows
        # "Loading widget..." instead; the notebooks as stored by the collection have no widget
        # views, so they show the fallback below in every case.)
        page.goto(f"{lab_server['base']}/lab/tree/{rel}?reset&token={lab_server['token']}")
        page.wait_for_selector(".jp-NotebookPanel", timeout=60_000)
        _kernel_chosen(page)
        ex = _explorers(page, 1, "reopen").first
        assert page.locator("text=model not found").count() == 0
        _shutdown_kernels(lab_server)
        before = ex.locator(".yx-readout").inner_text()
        ex.get_by_role("button", name="Show 1949").click()
        _wait_readout(page, ex, before)
        assert ex.locator(".yx-readout").inner_text().startswith("1 Jan 1949 to 31 Dec 1949")
        page.wait_for_function("el => el.querySelectorAll('.vis-item.yx-item').length > 10", arg=ex.element_handle())
        ex.locator(".vis-item.yx-item").first.click()
        page.wait_for_function("el => el.innerText.includes('Date in the paper')",
                               arg=ex.locator(".yx-detail").element_handle())
        page.screenshot(path=str(ARTIFACTS / "explorer-reopened-saved-state.png"))

        # As the collection stores its notebooks (tools/run_notebooks.py: no widget state, no widget
        # views): the static fallback, a picture with alt text and the list of records.
        stored = nbformat.read(path, 4)
        stored.metadata.pop("widgets", None)
        for c in stored.cells:
            for o in c.get("outputs", []):
                o.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
        stored_rel = f"{SCRATCH}/stored.ipynb"
        nbformat.write(stored, root / stored_rel)
        page.goto(f"{lab_server['base']}/lab/tree/{stored_rel}?reset&token={lab_server['token']}")
        page.wait_for_selector(".jp-NotebookPanel .yalu-fallback", timeout=60_000)
        fallback = page.locator(".jp-NotebookPanel .yalu-fallback").first
        alt = fallback.locator("img").first.get_attribute("alt")
        assert alt and alt.startswith("Timeline of")
        assert "records in this view" in fallback.locator("summary").inner_text()
        assert page.locator("text=model not found").count() == 0
        page.screenshot(path=str(ARTIFACTS / "explorer-reopened-stored.png"))
    finally:
        context.close()
        _shutdown_kernels(lab_server)
        shutil.rmtree(root / SCRATCH, ignore_errors=True)


def test_nbconvert_html_shows_the_fallback(tmp_path):
    """nbconvert (and viewers built on it) skip a widget view whose state is not saved and show the
    text/html part: the picture with alt text and the list."""
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    root = repo_root()
    nb_path = tmp_path / "fallback.ipynb"
    _scratch_notebook(root / NOTEBOOK, nb_path, 'explore(phase="decision", start="1950-10-01", end="1950-10-19")')
    nb = nbformat.read(nb_path, 4)
    NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=False,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    body, _ = HTMLExporter().from_notebook_node(nb)
    assert 'class="yalu-fallback"' in body and '<img alt="Timeline of' in body
    assert "model not found" not in body
