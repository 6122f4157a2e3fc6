"""The timeline explorer in JupyterLab: run it, move the slider (keyboard and mouse), filter, pick.

Driven by Playwright with Debian's Chromium; the screenshots are kept in ARTIFACTS.
The assertions do not depend on the data's exact contents: they check that the picture,
the status line, the list and the detail panel change as they should.
"""
import re

import pytest

from conftest import ARTIFACTS, IDLE, open_notebook

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/10_timeline_explorer.ipynb"
COUNT = re.compile(r"(\d+) records? in view, (.+) to (.+)")


def _run_all(page):
    page.wait_for_selector(IDLE, timeout=60_000)
    assert page.locator(".jp-Dialog").count() == 0, "a dialog is in the way: " + page.locator(".jp-Dialog").first.inner_text()
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()


def _wait_changed(page, locator, old, timeout=60_000):
    """Wait until the text differs from ``old`` and the kernel has finished every queued redraw."""
    page.wait_for_function(
        "([el, old]) => el && el.innerText.trim() !== old",
        arg=[locator.element_handle(), old], timeout=timeout)
    text = None
    for _ in range(120):
        page.wait_for_selector(IDLE, timeout=timeout)
        page.wait_for_timeout(1_000)
        now = locator.inner_text().strip()
        if now == text:
            return now
        text = now
    return text


def _image(page):
    return page.locator(".yalu-explorer img.yalu-image").first


def test_timeline_explorer(lab_server, page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    open_notebook(page, lab_server, NOTEBOOK)
    _run_all(page)
    explorer = page.locator(".jp-OutputArea-output .yalu-explorer").first
    explorer.wait_for(timeout=90_000)
    status = explorer.locator(".yalu-status").first
    page.wait_for_function("el => /records? in view/.test(el.innerText)", arg=status.element_handle(), timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    explorer.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "timeline-01-run.png"))
    start_text = status.inner_text().strip()
    n_all, first, last = COUNT.search(start_text).groups()
    n_all = int(n_all)
    assert n_all > 0
    src0 = _image(page).get_attribute("src")
    caption = explorer.locator(".yalu-caption").first
    assert f"Timeline of {n_all} records" in caption.inner_text()

    # 2a. The keyboard: the upper handle moves 20 days earlier.
    upper = explorer.locator(".yalu-slider .noUi-handle-upper").first
    upper.focus()
    for _ in range(20):
        page.keyboard.press("ArrowLeft")
    after_keys = _wait_changed(page, status, start_text)
    n_keys, first_k, last_k = COUNT.search(after_keys).groups()
    assert first_k == first and last_k != last
    assert int(n_keys) <= n_all
    page.wait_for_function("([img, old]) => img.getAttribute('src') !== old",
                           arg=[_image(page).element_handle(), src0], timeout=30_000)
    src1 = _image(page).get_attribute("src")
    explorer.screenshot(path=str(ARTIFACTS / "timeline-02-keyboard.png"))

    # 2b. The mouse: drag the lower handle a third of the way right.
    lower = explorer.locator(".yalu-slider .noUi-handle-lower").first
    track = explorer.locator(".yalu-slider .noUi-target").first.bounding_box()
    box = lower.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + track["width"] / 3, y, steps=12)
    page.mouse.up()
    after_mouse = _wait_changed(page, status, after_keys)
    n_mouse, first_m, last_m = COUNT.search(after_mouse).groups()
    assert first_m != first and last_m == last_k
    assert int(n_mouse) <= int(n_keys)
    page.wait_for_function("([img, old]) => img.getAttribute('src') !== old",
                           arg=[_image(page).element_handle(), src1], timeout=30_000)
    src2 = _image(page).get_attribute("src")
    assert f"from {first_m} to {last_m}" in caption.inner_text()
    explorer.screenshot(path=str(ARTIFACTS / "timeline-03-mouse.png"))

    # 3. A filter: only communications; the list shows exactly the records in view.
    explorer.locator(".yalu-kind select").first.select_option(label="communications")
    after_filter = _wait_changed(page, status, after_mouse)
    listing = explorer.locator(".yalu-list select").first
    m = COUNT.search(after_filter)
    if m:  # some communications in this range
        n_filter = int(m.group(1))
        assert n_filter <= int(n_mouse)
        page.wait_for_function("([sel, n]) => sel.options.length === n", arg=[listing.element_handle(), n_filter])
        assert "communication" in caption.inner_text()
        assert all(k not in caption.inner_text() for k in ("events", "troop movement", "Soviet air"))
    else:
        assert "No records in this range." in after_filter
        assert listing.locator("option").count() == 0
    page.wait_for_function("([img, old]) => img.getAttribute('src') !== old",
                           arg=[_image(page).element_handle(), src2], timeout=30_000)
    explorer.screenshot(path=str(ARTIFACTS / "timeline-04-filter.png"))

    # A range with nothing in it says so, without an error.
    explorer.locator(".yalu-kind select").first.select_option(label="(all)")
    _wait_changed(page, status, after_filter)
    assert page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0

    # 4. Pick a record: the detail panel shows its summary, dates, source and evidence.
    detail = explorer.locator(".yalu-detail").first
    assert "Pick a record" in detail.inner_text()
    first_option = listing.locator("option").first
    label = first_option.inner_text().replace("\u00a0", " ")  # ipywidgets shows spaces as nbsp
    listing.select_option(index=0)
    page.wait_for_function("el => el.innerText.includes('Date in the paper')", arg=detail.element_handle(),
                           timeout=30_000)
    text = detail.inner_text()
    assert "EDTF:" in text and "Source:" in text
    assert label.split(" | ", 1)[1].rstrip("…")[:10] in text
    detail.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "timeline-05-detail.png"))
    assert page.locator(".jp-Dialog").count() == 0
