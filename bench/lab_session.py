"""The JupyterLab server's memory over a scripted reader's session: ``python bench/lab_session.py``.

Starts JupyterLab the way ``make lab`` does (:func:`yalu.serve.lab_command`, rooted at the
repository, a port, a token, no browser, a throwaway HOME and workspace folder) and measures the
server process's resident memory (psutil; the server only, not its kernels) as soon as it answers:
the floor. Then, in Debian's Chromium through Playwright (the flags of tests/browser/conftest.py),
at 1366x768, one session as a reader has it:

1. every notebook of ``notebooks/`` opened (File > Open from Path), "Run All Cells", waited for
   until every code cell has run (each prompt went to ``[*]`` and then to a number) and the
   kernel is idle; then its kernel shut down, the notebook saved and its tab closed, so that at
   most one kernel runs at a time on this shared machine;
2. in ``10_timeline_explorer.ipynb``, once its explorers are drawn, 150 interactions with the
   explorer's own controls: 60 search keystrokes (a query typed letter by letter, then cleared),
   30 filter changes (Kind, Phase, Actor, Lanes), 30 zoom steps (Zoom in/out, the named periods,
   Fit all) and 30 clicks on records (each waited for: the readout, the detail panel);
3. four "Restart Kernel and Run All Cells" of that notebook, each waited for until every cell ran
   again and its explorers were drawn anew.

The notebooks are copies in an ignored scratch folder (``test-artifacts/``, inside the server's
root) so that saving, and JupyterLab's autosave, never touch the stored notebooks.

The server's RSS is sampled every 100 ms throughout. Prints
``lab_server_rss_mb: END (peak PEAK) [floor FLOOR MB right after start] target: <= 2 x floor``
and :func:`main` returns ``{"end_mb", "peak_mb", "floor_mb", "ratio", "actions", "notebooks",
"seconds", ...}`` (``ratio`` is END / FLOOR) for ``bench/run.py``. The server, its kernels and
the browser are stopped on every way out; every wait is bounded; loopback only.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

from yalu.serve import running_lab

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXPLORER_NOTEBOOK = "10_timeline_explorer.ipynb"
VIEWPORT = {"width": 1366, "height": 768}
INTERACTIONS = 150
RESTARTS = 4
# One block of ten interactions, repeated: 4 keystrokes, 2 filter changes, 2 zoom steps, 2 clicks.
BLOCK = ["key", "key", "filter", "key", "zoom", "click", "key", "filter", "zoom", "click"]
QUERIES = ["stalin", "mao", "zhou", "black sea", "peng", "kim", "air", "moscow", "treaty", "yalu"]
NOTEBOOK_TIMEOUT_S = 300
STEP_TIMEOUT_MS = 10_000
SAMPLE_S = 0.1


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The browser tests' Chromium, flags and kernel-idle selector, so the three stay in one place.
browser_conf = _load("yalu_browser_conftest", ROOT / "tests" / "browser" / "conftest.py")


# ---------------------------------------------------------------- the server and its memory

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Rss(threading.Thread):
    """Sample one process's resident memory every SAMPLE_S seconds; remember its descendants."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.samples: list[tuple[float, float]] = []
        self.descendants: set[psutil.Process] = set()
        self.most_children = 0
        self._halt = threading.Event()

    def run(self) -> None:
        n = 0
        while not self._halt.is_set():
            try:
                self.samples.append((time.monotonic(), self.proc.memory_info().rss / 2**20))
                if n % 10 == 0:  # kernels come and go: note them so none outlives the run
                    children = self.proc.children(recursive=True)
                    self.descendants.update(children)
                    self.most_children = max(self.most_children, len(children))
            except psutil.Error:
                return
            n += 1
            self._halt.wait(SAMPLE_S)

    def since(self, t0: float) -> list[float]:
        return [mb for t, mb in self.samples if t >= t0]

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


def _server_pid(proc: subprocess.Popen) -> int:
    """The server's own process: ``python -m jupyter lab`` execs jupyter-lab in place."""
    cmdline = " ".join(psutil.Process(proc.pid).cmdline())
    if "jupyter-lab" not in cmdline and "jupyterlab" not in cmdline:
        raise RuntimeError(f"process {proc.pid} is not the JupyterLab server: {cmdline[:200]}")
    return proc.pid


# ---------------------------------------------------------------- JupyterLab in the browser

# Installed before a run: notes each code cell of the notebook on screen whose prompt shows [*].
WATCH_RUN = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const cells = [...panel.querySelectorAll('.jp-CodeCell')];
  const seen = new Set();
  const note = () => cells.forEach((c, i) => {
    const p = c.querySelector('.jp-InputArea-prompt');
    if (p && p.textContent.includes('*')) seen.add(i);
  });
  if (window.__benchRun) window.__benchRun.obs.disconnect();
  const obs = new MutationObserver(note);
  obs.observe(panel, {subtree: true, childList: true, characterData: true});
  window.__benchRun = {cells, seen, obs};
  return cells.length;
}"""
# 'running', 'done' (every cell went to [*] and now shows a number) or 'stopped' (a cell ran and
# came back without a number: an error stopped the run).
RUN_STATE = """() => {
  const r = window.__benchRun;
  const prompts = r.cells.map(c => (c.querySelector('.jp-InputArea-prompt') || {}).textContent || '');
  if (prompts.some(p => p.includes('*'))) return 'running';
  if (r.seen.size === r.cells.length && prompts.every(p => /\\[\\d+\\]/.test(p))) return 'done';
  if (r.seen.size > 0 && prompts.some((p, i) => r.seen.has(i) && !/\\[\\d+\\]/.test(p))) return 'stopped';
  return 'running';
}"""
VISIBLE_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}")).first.click()


def _open(page, rel: str) -> None:
    """File > Open from Path, as a reader does; wait for the notebook's tab and its cells."""
    _menu(page, "File", "Open from Path")
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").first.fill(rel)
    dialog.locator(".jp-mod-accept").first.click()
    name = rel.rsplit("/", 1)[-1]
    page.locator(".lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel", has_text=name).first.wait_for(timeout=60_000)
    page.locator(f"{VISIBLE_PANEL} .jp-CodeCell").first.wait_for(timeout=60_000)


def _run(page, trigger, timeout_s: float = NOTEBOOK_TIMEOUT_S) -> str:
    """Run the notebook on screen with ``trigger()``; wait until every code cell has run. 'done' or 'stopped'."""
    page.evaluate(WATCH_RUN)
    trigger()
    deadline = time.monotonic() + timeout_s
    state = "running"
    while time.monotonic() < deadline:
        state = page.evaluate(RUN_STATE)
        if state != "running":
            break
        page.wait_for_timeout(250)
    if state == "running":
        raise TimeoutError(f"the notebook did not finish running within {timeout_s:.0f} s")
    browser_conf.kernel_idle(page)
    return state


def _run_all(page) -> str:
    return _run(page, lambda: _menu(page, "Run", "Run All Cells"))


def _restart_and_run_all(page) -> str:
    def trigger() -> None:
        _menu(page, "Kernel", "Restart Kernel and Run All Cells")
        page.locator(".jp-Dialog", has_text="Restart").locator(".jp-mod-accept").first.click(timeout=30_000)
    return _run(page, trigger)


def _close(page) -> None:
    """Shut the notebook's kernel down, save it (a copy in the scratch folder) and close its tab."""
    _menu(page, "Kernel", "Shut Down Kernel")
    page.locator(f"{VISIBLE_PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(
        state="detached", timeout=30_000)
    _menu(page, "File", "Save Notebook")
    page.wait_for_function("() => !document.querySelector('.lm-TabBar-tab.lm-mod-current.jp-mod-dirty')",
                           timeout=30_000)
    _menu(page, "File", "Close Tab")
    dialog = page.locator(".jp-Dialog")
    with contextlib.suppress(Exception):  # a notebook that changed again since the save asks first
        dialog.wait_for(timeout=1_500)
        dialog.get_by_role("button", name="Save").click()
    page.wait_for_function("() => !document.querySelector('.jp-Dialog')", timeout=30_000)


# ---------------------------------------------------------------- the explorer

FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


class _Explorer:
    """Drive one explorer (``.yx``) with its own controls; every action waits for its visible effect."""

    def __init__(self, page, ex, rng: random.Random):
        self.page, self.ex, self.rng = page, ex, rng
        self.search = ex.get_by_label("Search", exact=True)
        self.query, self.typed = QUERIES[0], 0
        self.n_query = 0
        self.unchanged_zooms = 0

    def _clear_search(self) -> None:
        """Select what is in the search box and press Backspace: one keystroke."""
        self.search.evaluate("el => { el.focus(); el.select(); }")
        self.page.keyboard.press("Backspace")

    def _readout(self) -> str:
        return self.ex.locator(".yx-readout").inner_text()

    def _wait(self, js: str, arg) -> None:
        self.page.wait_for_function(js, arg=arg, timeout=STEP_TIMEOUT_MS)
        self.page.evaluate(FRAMES)

    def key(self) -> str:
        """One keystroke in the search box: the next letter of the query, or clear it when complete."""
        if self.typed < len(self.query):
            key = self.query[self.typed]
            # The caret at the end of what is typed, where a reader's cursor is (a click elsewhere
            # and a focus() put it back at the start).
            self.search.evaluate("el => { el.focus(); el.setSelectionRange(el.value.length, el.value.length); }")
            self.page.keyboard.press(key if key != " " else "Space")
            self.typed += 1
            want = self.query[:self.typed].strip()
        else:
            self._clear_search()
            self.n_query += 1
            self.query, self.typed, want = QUERIES[self.n_query % len(QUERIES)], 0, ""
        readout = self.ex.locator(".yx-readout").element_handle()
        if want:
            self._wait("([el, q]) => el.innerText.includes('“' + q + '”')", [readout, want])
        else:
            self._wait("el => !el.innerText.includes('matching')", readout)
        return "search"

    def filter(self) -> str:
        """A new choice in one of the lists: a narrower one when it shows all, else back to all."""
        label = self.rng.choice(["Kind", "Phase", "Actor", "Lanes"])
        sel = self.ex.get_by_label(label, exact=True)
        current = sel.input_value()
        values = sel.locator("option").evaluate_all("os => os.map(o => o.value)")
        if label == "Lanes":
            value = self.rng.choice([v for v in values if v != current])
        else:
            value = "" if current else self.rng.choice([v for v in values if v])
        sel.select_option(value=value)
        self._wait("([s, v]) => s.value === v", [sel.element_handle(), value])
        return "filter"

    def zoom(self) -> str:
        """A zoom step: mostly Zoom in and out, sometimes a named period or Fit all."""
        buttons = ["Zoom in", "Zoom out", "Zoom in", "Zoom out", "period", "Fit all records in view"]
        name = self.rng.choice(buttons)
        if name == "period":
            button = self.ex.locator(".yx-period").nth(self.rng.randrange(self.ex.locator(".yx-period").count()))
        else:
            button = self.ex.get_by_role("button", name=name, exact=True)
        before = self._readout()
        button.click(timeout=STEP_TIMEOUT_MS)
        try:  # at the zoom limit, or the period already on screen, the readout stays as it was
            self.page.wait_for_function("([el, old]) => el.innerText !== old",
                                        arg=[self.ex.locator(".yx-readout").element_handle(), before], timeout=2_000)
        except Exception:  # noqa: BLE001 - counted, not an error
            self.unchanged_zooms += 1
        self.page.evaluate(FRAMES)
        return "zoom"

    def _targets(self) -> list[int]:
        """Indexes of the records drawn wholly inside the timeline's visible area."""
        return self.ex.evaluate("""el => {
          const box = el.querySelector('.yx-timeline .vis-center').getBoundingClientRect();
          return [...el.querySelectorAll('.vis-item.yx-item')].map((it, i) => [it.getBoundingClientRect(), i])
            .filter(([r]) => r.width > 0 && r.left >= box.left && r.right <= box.right
                             && r.top >= box.top && r.bottom <= box.bottom)
            .map(([, i]) => i);
        }""")

    def click(self) -> str:
        """A click on a record drawn in view; its detail panel must fill."""
        targets = self._targets()
        if not targets:  # nothing in view: show everything the filters leave, then all records
            self.ex.get_by_role("button", name="Fit all records in view", exact=True).click()
            self.page.evaluate(FRAMES)
            targets = self._targets()
        if not targets:
            for label in ("Kind", "Phase", "Actor"):
                self.ex.get_by_label(label, exact=True).select_option(value="")
            self._clear_search()
            self._wait("el => !el.innerText.includes('matching')", self.ex.locator(".yx-readout").element_handle())
            self.query, self.typed = QUERIES[self.n_query % len(QUERIES)], 0
            self.ex.get_by_role("button", name="Fit all records in view", exact=True).click()
            self.page.evaluate(FRAMES)
            targets = self._targets()
        if not targets:
            raise RuntimeError("no record is drawn in the explorer to click")
        self.ex.locator(".vis-item.yx-item").nth(self.rng.choice(targets)).click(timeout=STEP_TIMEOUT_MS)
        self._wait("el => el.innerText.includes('Date in the paper')",
                   self.ex.locator(".yx-detail").element_handle())
        return "click"


def _explorers(page, n: int = 3, fresh: bool = False):
    sel = ".yx[data-ready='1']" + (":not([data-bench-old])" if fresh else "")
    page.wait_for_function(f"document.querySelectorAll(`{sel}`).length >= {n}", timeout=120_000)
    return page.locator(sel)


def _interact(page, n: int, failures: list[str]) -> dict[str, int]:
    """``n`` interactions spread over the notebook's first two explorers; counts by kind."""
    rng = random.Random(1950)
    boxes = _explorers(page)
    drivers = [_Explorer(page, boxes.nth(i), rng) for i in range(min(2, boxes.count()))]
    done = {"search": 0, "filter": 0, "zoom": 0, "click": 0}
    for i in range(n):
        driver = drivers[0] if (i // 50) % 2 == 0 or len(drivers) == 1 else drivers[1]  # 50 here, 50 there, ...
        if i % 50 == 0:
            driver.ex.evaluate("el => el.scrollIntoView({block: 'start'})")
            page.evaluate(FRAMES)
        what = BLOCK[i % len(BLOCK)]
        try:
            done[getattr(driver, what)()] += 1
        except Exception as exc:  # noqa: BLE001 - keep going; the failure is reported
            failures.append(f"interaction {i + 1} ({what}): {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    done["zoom_at_limit"] = sum(d.unchanged_zooms for d in drivers)
    return done


# ---------------------------------------------------------------- the session

def _session(page, server: dict, folder: str, books: list[str], failures: list[str], marks: dict,
             watch: _Rss) -> dict:
    page.goto(f"{server['base']}/lab?reset&token={server['token']}")
    page.locator(".lm-MenuBar-itemLabel", has_text="File").first.wait_for(timeout=90_000)
    marks["lab_page_open"] = watch.samples[-1][1]
    ran: dict[str, str] = {}
    seconds: dict[str, float] = {}
    selects = 0
    for name in books:
        if name == EXPLORER_NOTEBOOK:
            continue
        try:
            _open(page, f"{folder}/{name}")
            selects += browser_conf.kernel_idle(page)
            t0 = time.monotonic()
            ran[name] = _run_all(page)
            seconds[name] = round(time.monotonic() - t0, 1)
            _close(page)
            marks[name] = watch.samples[-1][1]
        except Exception as exc:  # noqa: BLE001 - keep going; the failure is reported
            failures.append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}")
            page.screenshot(path=str(_artifacts() / f"lab-session-{name}.png"))
            with contextlib.suppress(Exception):
                page.keyboard.press("Escape")
    counts: dict[str, int] = {}
    restarts = 0
    if EXPLORER_NOTEBOOK in books:
        name = EXPLORER_NOTEBOOK
        try:
            _open(page, f"{folder}/{name}")
            selects += browser_conf.kernel_idle(page)
            t0 = time.monotonic()
            ran[name] = _run_all(page)
            _explorers(page)
            seconds[name] = round(time.monotonic() - t0, 1)
            marks[name] = watch.samples[-1][1]
            t0 = time.monotonic()
            counts = _interact(page, INTERACTIONS, failures)
            marks["interactions_done"] = watch.samples[-1][1]
            seconds["interactions"] = round(time.monotonic() - t0, 1)
            for i in range(RESTARTS):
                t0 = time.monotonic()
                page.evaluate("() => document.querySelectorAll('.yx').forEach(e => e.dataset.benchOld = '1')")
                state = _restart_and_run_all(page)
                _explorers(page, fresh=True)
                if state != "done":
                    failures.append(f"restart {i + 1}: a cell stopped the run")
                restarts += 1
                seconds[f"restart_{i + 1}"] = round(time.monotonic() - t0, 1)
            marks["restarts_done"] = watch.samples[-1][1]
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}")
            page.screenshot(path=str(_artifacts() / "lab-session-explorer.png"))
    return {"ran": ran, "counts": counts, "restarts": restarts, "select_kernel_dialogs": selects,
            "seconds": seconds}


def _artifacts() -> Path:
    browser_conf.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return browser_conf.ARTIFACTS


def run() -> dict:
    from playwright.sync_api import sync_playwright

    if not Path(browser_conf.CHROMIUM).exists():
        raise SystemExit(f"Debian's Chromium is not at {browser_conf.CHROMIUM} (apt-get install chromium)")
    books = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    scratch = Path(tempfile.mkdtemp(prefix="lab-session-", dir=_artifacts()))
    for name in books:
        shutil.copy2(NOTEBOOKS / name, scratch / name)
    folder = scratch.relative_to(ROOT).as_posix()
    failures: list[str] = []
    page_errors: list[str] = []
    marks: dict[str, float] = {}
    t_start = time.monotonic()
    watch = None
    try:
        with running_lab(timeout=120) as server:
            pid = _server_pid(server["proc"])
            floor = psutil.Process(pid).memory_info().rss / 2**20
            watch = _Rss(pid)
            watch.start()
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=browser_conf.CHROMIUM, headless=True,
                                             args=browser_conf.CHROMIUM_ARGS)
                try:
                    page = browser.new_context(viewport=VIEWPORT).new_page()
                    page.on("pageerror", lambda exc: page_errors.append(str(exc)[:300]))
                    done = _session(page, server, folder, books, failures, marks, watch)
                    # The last notebook's kernel stays up, as a reader leaves it: let the server settle.
                    t_end = time.monotonic()
                    page.wait_for_timeout(2_000)
                    end = statistics.median(watch.since(t_end + 1.0) or [watch.samples[-1][1]])
                    kernels_at_end = len(json.load(urllib.request.urlopen(
                        f"{server['base']}/api/kernels?token={server['token']}", timeout=30)))
                finally:
                    browser.close()
            watch.stop()
            server["seen"].update(watch.descendants)
            peak = max(mb for _, mb in watch.samples)
            if failures:
                (_artifacts() / "lab-session-server.log").write_text(server["log"].read_text(errors="replace"))
    finally:
        if watch is not None:
            watch.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    counts = done["counts"]
    return {
        "end_mb": round(end, 1),
        "peak_mb": round(peak, 1),
        "floor_mb": round(floor, 1),
        "ratio": round(end / floor, 2),
        "peak_ratio": round(peak / floor, 2),
        "actions": sum(v for k, v in counts.items() if k != "zoom_at_limit"),
        "action_counts": counts,
        "notebooks": len(done["ran"]),
        "notebooks_stopped_by_an_error": sorted(k for k, v in done["ran"].items() if v != "done"),
        "restarts": done["restarts"],
        "rss_mb_at": {k: round(v, 1) for k, v in marks.items()},
        "step_seconds": done["seconds"],
        "most_kernels_at_once": watch.most_children,
        "kernels_at_end": kernels_at_end,
        "select_kernel_dialogs": done["select_kernel_dialogs"],
        "samples": len(watch.samples),
        "seconds": round(time.monotonic() - t_start, 1),
        "failures": failures,
        "page_errors": page_errors,
        "ok": (not failures and len(done["ran"]) == len(books) and done["restarts"] == RESTARTS
               and all(v == "done" for v in done["ran"].values())),
    }


def main(argv: list[str] | None = None) -> dict:
    if threading.current_thread() is threading.main_thread():  # run the clean-up on `timeout` or kill
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args([] if argv is None else argv)  # main() from another script: no options
    r = run()
    print(f"lab_server_rss_mb: {r['end_mb']:.0f} (peak {r['peak_mb']:.0f}) [floor {r['floor_mb']:.0f} MB right "
          f"after start] target: <= 2 x floor", flush=True)
    print(f"  {r['ratio']:.2f} x floor at the end, {r['peak_ratio']:.2f} at the peak; {r['notebooks']} notebooks run, "
          f"{r['actions']} explorer interactions, {r['restarts']} restarts, {r['seconds']:.0f} s"
          + (f"; {len(r['failures'])} failures: {r['failures'][:3]}" if r["failures"] else ""), flush=True)
    return r


if __name__ == "__main__":
    result = main(sys.argv[1:])
    print(json.dumps(result))
    sys.exit(0 if result["ok"] else 1)
