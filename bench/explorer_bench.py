"""How long a reader waits in the timeline explorer: ``python bench/explorer_bench.py``.

Starts JupyterLab (as `make lab` does, in a scratch folder), runs one explorer in Debian's
Chromium through Playwright, and times 30 of each action from the reader's input event to the
first frame painted after the explorer has answered:

- ``search``: a key typed in the search box to the matching records highlighted (this includes
  the explorer's 25 ms pause that coalesces a burst of keys);
- ``filter``: a new kind chosen to the timeline redrawn with only those records;
- ``zoom``: a zoom button to the new range drawn and read out;
- ``detail``: a click on a record to its detail panel filled.

Each time is measured in the page (``performance.now()`` from a capture listener on the input
event to the ``requestAnimationFrame`` after the change), so the Python side adds nothing.
Prints the median (p50) and p95 of each in milliseconds; :func:`main` also returns them as
``{"explorer_ms": {action: {"p50": ..., "p95": ..., "n": 30}}}`` for ``bench/run.py``.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

from yalu.serve import running_lab

CHROMIUM = os.environ.get("YALU_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
N = 30
QUERIES = ["stalin", "mao", "zhou", "black sea", "peng", "kim", "air", "moscow", "treaty", "yalu"]

# In-page timer: the next input event of `types` starts the clock; `done` (a JS expression over the
# explorer `el`) is polled once per frame; the clock stops at the frame after it first holds.
TIMER = """([types, done]) => {
  const el = document.querySelector('.yx[data-ready="1"]');
  const check = new Function('el', 'return (' + done + ');');
  window.__yxTiming = new Promise((resolve, reject) => {
    let t0 = null;
    const start = () => { if (t0 === null) t0 = performance.now(); };
    for (const t of types) document.addEventListener(t, start, {capture: true, once: true});
    const limit = performance.now() + 10000;
    const tick = () => {
      if (t0 !== null && check(el)) { requestAnimationFrame(() => resolve(performance.now() - t0)); return; }
      if (performance.now() > limit) { reject(new Error('timed out: ' + done)); return; }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return true;
}"""


def _notebook(folder: Path) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("from yalu.explorer import explore\nexplore()")]
    nbformat.write(nb, folder / "bench.ipynb")
    return "bench.ipynb"


def _timed(page, types: list[str], done: str, action) -> float:
    page.evaluate(TIMER, [types, done])
    action()
    return float(page.evaluate("window.__yxTiming"))


def _settle(page) -> None:
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_timeout(120)


def _measure(page) -> dict[str, list[float]]:
    ex = page.locator(".yx[data-ready='1']").first
    search = ex.get_by_label("Search", exact=True)
    kind = ex.get_by_label("Kind", exact=True)
    out: dict[str, list[float]] = {"search": [], "filter": [], "zoom": [], "detail": []}

    for i in range(N):
        q = QUERIES[i % len(QUERIES)]
        search.fill(q[:-1])
        _settle(page)
        done = (f"el.querySelector('.yx-readout').innerText.includes('“{q}”') "
                "&& (el.querySelector('.vis-item mark') || / 0 of /.test(el.querySelector('.yx-readout').innerText))")
        out["search"].append(_timed(page, ["keydown"], done, lambda q=q: search.press(q[-1])))
    search.fill("")
    _settle(page)

    choices = ["communication", "", "event", "", "troop_movement", ""]
    for i in range(N):
        value = choices[i % len(choices)]
        done = (f"el.querySelectorAll('.vis-item.yx-item').length > 0 && [...el.querySelectorAll('.vis-item.yx-item')]"
                f".every(n => {json.dumps(value)} === '' || n.classList.contains('yx-k-{value}'))"
                f" && el.dataset.shown !== window.__yxShown")
        page.evaluate("() => { window.__yxShown = document.querySelector('.yx[data-ready=\"1\"]').dataset.shown }")
        out["filter"].append(_timed(page, ["change", "input"], done, lambda v=value: kind.select_option(value=v)))
    kind.select_option(value="")
    _settle(page)

    ex.get_by_role("button", name="Show 1–19 Oct 1950").click()
    _settle(page)
    for i in range(N):
        name = "Zoom in" if i % 2 == 0 else "Zoom out"
        before = ex.locator(".yx-readout").inner_text()
        done = f"el.querySelector('.yx-readout').innerText !== {json.dumps(before)}"
        button = ex.get_by_role("button", name=name, exact=True)
        out["zoom"].append(_timed(page, ["pointerdown", "mousedown"], done, button.click))
        _settle(page)

    ex.get_by_role("button", name="Show 1–19 Oct 1950").click()
    _settle(page)
    items = ex.locator(".vis-item.yx-item")
    for i in range(N):
        target = items.nth(i % min(12, items.count()))
        before = ex.locator(".yx-detail").inner_text()
        done = (f"el.querySelector('.yx-detail').innerText !== {json.dumps(before)} "
                "&& el.querySelector('.yx-detail').innerText.includes('Date in the paper')")
        if i and ex.get_attribute("data-selected") and target.inner_text().strip() in before:
            target = items.nth((i + 5) % min(12, items.count()))
        out["detail"].append(_timed(page, ["pointerdown", "mousedown"], done, target.click))
        _settle(page)
    return out


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 1)


def main(argv: list[str] | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Debian's Chromium is not at {CHROMIUM} (apt-get install chromium)")
    work = Path(tempfile.mkdtemp(prefix="yalu-bench-work-"))
    name = _notebook(work)
    # `make lab`'s command, rooted at the scratch folder instead of the repository.
    try:
        with running_lab(root=work, start=name, token="yalu-bench") as server, sync_playwright() as pw:
            base, token = server["base"], server["token"]
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(f"{base}/lab/tree/{name}?reset&token={token}")
            idle = ".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true"
            page.wait_for_selector(idle, timeout=90_000)
            for attempt in range(3):  # a menu click that lands while the page is still settling is lost
                page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
                page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
                try:
                    page.wait_for_selector(".yx[data-ready='1']", timeout=30_000)
                    break
                except Exception:
                    if attempt == 2:
                        page.screenshot(path=str(Path(tempfile.gettempdir()) / "explorer-bench-failed.png"))
                        raise
                    page.keyboard.press("Escape")
            page.wait_for_selector(idle, timeout=90_000)
            page.locator(".yx").first.evaluate("el => el.scrollIntoView({block: 'start'})")
            _settle(page)
            samples = _measure(page)
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = {"explorer_ms": {k: {"p50": round(statistics.median(v), 1), "p95": _p(v, 0.95), "n": len(v)}
                              for k, v in samples.items()}}
    print(f"{'explorer action':<10} {'p50 ms':>8} {'p95 ms':>8}   (n = {N} each, Chromium, JupyterLab, 1366x768)")
    for k, v in result["explorer_ms"].items():
        print(f"{k:<10} {v['p50']:>8} {v['p95']:>8}")
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
