"""The explorer's detail panel and its documents, as a student meets them in JupyterLab.

At 1024x768 (a projector, the file browser open) and 1366x768 (a laptop): a click on a record shows
its title, the date as the paper words it, the paper's own words and the citation inside the panel's
visible area without scrolling, then the documents linked to it; the EDTF string is folded away.
Documents are their own kind, with a lane and a filter, and link to their archive. A notebook with
several explorers has no two landmarks with the same name. axe-core finds nothing.
"""
from __future__ import annotations

import json
import shutil

import pytest
from test_explorer_browser import NOTEBOOK, _axe, _explorers, _run_all, _side_panel_open

from conftest import ARTIFACTS, IDLE, kernel_idle, open_notebook
from yalu.paths import repo_root

pytestmark = pytest.mark.browser



# Where each part sits against the panel's visible box and the window (CSS px), and whether the
# panel had to scroll to show it.
_PLACE = """([panel, sel]) => {
    const p = panel.getBoundingClientRect();
    const el = panel.querySelector(sel);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, ptop: p.top, pbottom: p.top + panel.clientHeight,
            window: window.innerHeight, scrolled: panel.scrollTop, visible: r.height > 0};
}"""


def _inside(place: dict | None, what: str, where: str) -> None:
    assert place is not None, f"{where}: the panel has no {what}"
    assert place["visible"], f"{where}: the {what} is not shown"
    assert place["scrolled"] == 0, f"{where}: the panel was scrolled"
    assert place["top"] >= place["ptop"] - 1 and place["bottom"] <= place["pbottom"] + 1, \
        f"{where}: the {what} ({place['top']:.0f}-{place['bottom']:.0f}) is outside the panel's visible area " \
        f"({place['ptop']:.0f}-{place['pbottom']:.0f})"
    assert place["bottom"] <= place["window"], f"{where}: the {what} is below the window"


def _landmarks(page) -> list[tuple[str, str]]:
    """Every landmark in the notebook on screen, as (role, name)."""
    return page.evaluate("""() => {
        const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
        const roles = {SECTION: 'region', NAV: 'navigation', ASIDE: 'complementary', MAIN: 'main', FORM: 'form'};
        const out = [];
        for (const el of panel.querySelectorAll('[role], section, nav, aside, main, form')) {
            const role = el.getAttribute('role') || roles[el.tagName];
            const name = el.getAttribute('aria-label') || '';
            const landmark = ['region', 'navigation', 'complementary', 'main', 'form', 'search', 'banner',
                              'contentinfo'].includes(role);
            // a section or form is a landmark only with a name; a region always names itself
            if (landmark && (name || !['SECTION', 'FORM'].includes(el.tagName))) out.push([role, name]);
        }
        return out;
    }""")


def test_detail_panel_and_documents(lab_server, sized, request):
    name, page, errors = sized
    copy = f"notebooks/scratch-documents-{name}.ipynb"
    shutil.copy(repo_root() / NOTEBOOK, repo_root() / copy)
    request.addfinalizer(lambda: (repo_root() / copy).unlink(missing_ok=True))
    open_notebook(page, lab_server, copy)
    _side_panel_open(page)
    kernel_idle(page)  # on a loaded machine JupyterLab may first ask which kernel to start
    _run_all(page)
    explorers = _explorers(page, 3)
    page.wait_for_selector(IDLE, timeout=120_000)

    # Several explorers, and no two landmarks share a name.
    landmarks = _landmarks(page)
    names = [f"{role}: {label}" for role, label in landmarks]
    assert len([n for n in names if "Timeline explorer" in n]) >= 6, names  # each explorer and its panel
    assert len(names) == len(set(names)), f"landmarks share a name: {sorted(n for n in names if names.count(n) > 1)}"

    ex = explorers.first
    ex.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_function("el => el.querySelectorAll('.vis-item.yx-item').length > 10", arg=ex.element_handle())
    detail = ex.locator(".yx-detail")

    # A record from the paper: the title, the paper's date, its words and the citation, in view at once.
    ex.get_by_label("Search", exact=True).fill("black sea")
    page.wait_for_function("el => el.querySelector('.vis-item mark')", arg=ex.element_handle(), timeout=10_000)
    ex.locator(".vis-item.yx-k-event", has=page.locator("mark")).first.click()
    page.wait_for_function("el => el.innerText.includes('Date in the paper')", arg=detail.element_handle())
    order = detail.evaluate("""el => [...el.children].map(c => c.tagName === 'DETAILS' ? 'details'
                                     : c.querySelector('b') ? c.querySelector('b').innerText : c.tagName.toLowerCase())""")
    assert order[:3] == ["h3", "p", "Date in the paper: "] and order.index("The paper's words:") == 3, order
    assert order.index("Source: ") < order.index("h4") < order.index("details"), order
    where = f"{name}, Black Sea meeting"
    for what, sel in (("title", ".yx-dtitle"), ("paper's date", ".yx-fact"), ("evidence", ".yx-evidence"),
                      ("citation", ".yx-cite")):
        _inside(page.evaluate(_PLACE, [detail.element_handle(), sel]), what, where)
    page.screenshot(path=str(ARTIFACTS / f"documents-{name}-01-record.png"))
    text = detail.inner_text()
    assert "Footnote 96" in text and "EDTF" not in text, "the EDTF string is folded away"
    tech = detail.locator("details.yx-tech")
    assert tech.count() == 1 and not tech.evaluate("el => el.open")
    tech.locator("summary").click()
    assert "1950-10-09/1950-10-10" in tech.inner_text(), "the EDTF string is one click away"
    docs = detail.locator(".yx-docs li")
    assert docs.count() == 2 and "Cable No. 4785" in docs.first.inner_text()
    link = docs.first.get_by_role("link", name="Read the document at the archive")
    assert link.get_attribute("href").startswith("https://digitalarchive.wilsoncenter.org/document/")

    # From the record to its document: the document's own panel, with its archive link.
    docs.first.get_by_role("button").click()
    page.wait_for_function("el => el.querySelector('.yx-dtitle').innerText.startsWith('Cable No. 4785')",
                           arg=detail.element_handle())
    read = detail.locator("a.yx-read")
    assert read.inner_text() == "Read the document at the archive" and read.is_visible()
    assert "complicates" in detail.locator(".yx-docs").inner_text()
    page.screenshot(path=str(ARTIFACTS / f"documents-{name}-02-document.png"))
    ex.get_by_label("Search", exact=True).fill("")
    page.wait_for_function("el => !el.querySelector('.vis-item mark')", arg=ex.element_handle())

    # Documents as their own kind: the filter keeps only them, in their own lane.
    ex.get_by_label("Kind", exact=True).select_option(label="Document")
    page.wait_for_function("el => { const i = [...el.querySelectorAll('.vis-item.yx-item')];"
                           " return i.length > 0 && i.every(x => x.classList.contains('yx-k-document')); }",
                           arg=ex.element_handle())
    lanes = ex.locator(".vis-labelset .vis-label").all_inner_texts()
    assert [t.strip() for t in lanes if t.strip()] == ["Documents"], lanes
    ex.get_by_role("button", name="Show 1–19 Oct 1950").click()
    page.wait_for_timeout(300)
    ex.locator(".vis-item.yx-k-document").first.click()
    page.wait_for_function("el => el.querySelector('.yx-kindline') && el.querySelector('.yx-kindline')"
                           ".innerText.includes('Document')", arg=detail.element_handle())
    assert detail.locator("h4", has_text="What it bears on").count() == 1
    page.screenshot(path=str(ARTIFACTS / f"documents-{name}-03-filter.png"))

    violations = _axe(page, ".yx")
    assert violations == [], json.dumps(violations, indent=1)
    assert not errors, errors
