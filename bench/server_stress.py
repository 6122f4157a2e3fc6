"""Stress check of the JupyterLab server: 10 "Restart Kernel and Run All" cycles in a browser.

    .venv/bin/python bench/server_stress.py [--cycles 10] [--protocol legacy|v1]

Starts JupyterLab the way ``make lab`` does (tools/ws_blowup_repro.running_lab, which uses
yalu.serve.lab_command), opens a small scratch notebook in Debian's Chromium through
Playwright with the flags of tests/browser/conftest.py, runs all cells once in the kernel
the page started (a warm-up that must succeed too), then runs "Restart Kernel and Run All
Cells" ``--cycles`` times. After each cycle every cell must show its output from the
new kernel (a new process id, execution counts 1..N). The server process's resident memory
(psutil, the server only, not its kernels) is sampled every 50 ms across all cycles.

Prints ``server_stress_peak_rss_mb: VALUE (target < 300)`` and returns a dict; exits 1 if
the peak reaches 300 MB or a cell did not run. ``--protocol v1`` forces the kernel
websocket protocol the workaround removes (docs/server-websocket.md), to see the race
from a real browser.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parents[1]
TARGET_MB = 300
CELLS = [
    "import os\nprint('kernel', os.getpid())",
    "print(1 + 1)",
    "total = sum(range(10_000))\nprint('sum', total)",
    "print('done')",
]


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


repro = _load("ws_blowup_repro", ROOT / "tools" / "ws_blowup_repro.py")
browser_conf = _load("yalu_browser_conftest", ROOT / "tests" / "browser" / "conftest.py")


class _PeakRss(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.samples: list[float] = []
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                self.samples.append(self.proc.memory_info().rss / 2**20)
            except psutil.Error:
                return
            self._halt.wait(0.05)

    def stop(self) -> float:
        self._halt.set()
        self.join(timeout=5)
        return max(self.samples, default=0.0)


def _scratch_notebook() -> Path:
    """A small notebook in an ignored folder under the server's root (the repository)."""
    folder = Path(tempfile.mkdtemp(prefix="server-stress-", dir=_artifacts()))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "stress.ipynb"
    nbformat.write(nb, path)
    return path


def _artifacts() -> Path:
    browser_conf.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return browser_conf.ARTIFACTS


def _record_kernel_websockets(page) -> list[str]:
    """Record, from Chromium's DevTools protocol, what each kernel websocket offered and got.

    Read from the outside (``Network.webSocket*`` events), so JupyterLab runs unchanged: an
    earlier version that wrapped ``window.WebSocket`` in the page changed how JupyterLab
    connected and lost the first "Run All" under load.
    """
    seen: list[str] = []
    channels: set[str] = set()
    offered: dict[str, str] = {}
    cdp = page.context.new_cdp_session(page)

    def created(event) -> None:
        if "/channels" in event["url"]:
            channels.add(event["requestId"])

    def request(event) -> None:
        if event["requestId"] in channels:
            headers = {k.lower(): v for k, v in event["request"]["headers"].items()}
            offered[event["requestId"]] = headers.get("sec-websocket-protocol") or "none"

    def response(event) -> None:
        if event["requestId"] not in offered:
            return
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        seen.append(f"offered {offered[event['requestId']]}, chose {headers.get('sec-websocket-protocol') or 'legacy'}")

    cdp.on("Network.webSocketWillSendHandshakeRequest", request)
    cdp.on("Network.webSocketHandshakeResponseReceived", response)
    cdp.on("Network.webSocketCreated", created)
    cdp.send("Network.enable")
    return seen


def _cell_state(page) -> list[dict]:
    """Execution count and output text of every code cell of the notebook on screen."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell')].map(c => ({
             prompt: (c.querySelector('.jp-InputArea-prompt') || {}).innerText || '',
             output: (c.querySelector('.jp-OutputArea') || {}).innerText || ''}))""")


def _restart_and_run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Kernel").first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Restart Kernel and Run All Cells")).first.click()
    page.locator(".jp-Dialog", has_text="Restart Kernel").locator(".jp-mod-accept").first.click(timeout=30_000)


def _wait_cycle(page, old_pid: str | None, timeout_s: float = 90) -> tuple[str, list[dict]]:
    """Wait until every cell ran in a new kernel; return its pid and the cells' state."""
    deadline = time.monotonic() + timeout_s
    want = [f"[{i}]" for i in range(1, len(CELLS) + 1)]
    state: list[dict] = []
    while time.monotonic() < deadline:
        state = _cell_state(page)
        prompts = [s["prompt"].strip().rstrip(":") for s in state]
        pid = re.search(r"kernel (\d+)", state[0]["output"]) if state else None
        if (pid and pid.group(1) != old_pid and prompts == want and "done" in state[-1]["output"]
                and page.locator(browser_conf.IDLE).count() > 0):
            return pid.group(1), state
        page.wait_for_timeout(250)
    raise TimeoutError(f"cells did not all run in a new kernel within {timeout_s:.0f} s: {state}")


def run(cycles: int = 10, protocol: str = "legacy") -> dict:
    from playwright.sync_api import sync_playwright

    if not Path(browser_conf.CHROMIUM).exists():
        raise SystemExit(f"Debian's Chromium not found at {browser_conf.CHROMIUM} (apt-get install chromium)")
    extra = (repro.FORCE_V1,) if protocol == "v1" else ()
    notebook = _scratch_notebook()
    rel = notebook.relative_to(ROOT).as_posix()
    ran, durations, failures, kernel_ws, warm_up, kernel_dialogs = 0, [], [], [], "not run", 0
    try:
        with repro.running_lab(*extra) as server, sync_playwright() as pw:
            watch = _PeakRss(server["proc"].pid)
            watch.start()
            browser = pw.chromium.launch(executable_path=browser_conf.CHROMIUM, headless=True,
                                         args=browser_conf.CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                kernel_ws = _record_kernel_websockets(page)
                page.goto(f"{server['base']}/lab/tree/{rel}?reset&token={server['token']}")
                page.wait_for_selector(".jp-NotebookPanel", timeout=60_000)
                kernel_dialogs = browser_conf.kernel_idle(page)
                # A first "Run All" in the kernel the page started, so that cycle 1 does not
                # race the page's own start-up; it must succeed too.
                warm_up = "ok"
                try:
                    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
                    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()
                    pid, _ = _wait_cycle(page, None)
                except Exception as exc:
                    warm_up = f"{type(exc).__name__}: {str(exc)[:300]}"
                    failures.append(f"warm-up run: {warm_up}")
                    page.screenshot(path=str(_artifacts() / "server-stress-warm-up.png"))
                    pid = None
                for i in range(cycles):
                    t0 = time.monotonic()
                    try:
                        _restart_and_run_all(page)
                        pid, _ = _wait_cycle(page, pid)
                        ran += 1
                    except Exception as exc:  # keep measuring; the cycle counts as failed
                        failures.append(f"cycle {i + 1}: {type(exc).__name__}: {str(exc)[:300]}")
                        page.screenshot(path=str(_artifacts() / f"server-stress-cycle-{i + 1}.png"))
                    durations.append(round(time.monotonic() - t0, 2))
            finally:
                browser.close()
                peak = watch.stop()
                log = server["log"].read_text(errors="replace")
                if failures:
                    (_artifacts() / "server-stress-server.log").write_text(log)
    finally:
        shutil.rmtree(notebook.parent, ignore_errors=True)
    return {
        "server_stress_peak_rss_mb": round(peak, 1),
        "target_mb": TARGET_MB,
        "protocol": protocol,
        "cycles": cycles,
        "select_kernel_dialogs_at_open": kernel_dialogs,
        "warm_up": warm_up,
        "cycles_all_cells_ran": ran,
        "cycle_seconds": durations,
        "failures": failures,
        "kernel_websockets_opened": len(kernel_ws),
        "kernel_websocket_protocols": sorted(set(kernel_ws)),
        "stale_connections_replaced": log.count("Replacing stale connection"),
        "struct_errors": log.count(repro.STRUCT_ERROR),
        "ok": peak < TARGET_MB and ran == cycles and not failures,
    }


def main(argv: list[str] | None = None) -> dict:
    if threading.current_thread() is threading.main_thread():  # run the clean-up on `timeout` or kill
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--protocol", choices=["legacy", "v1"], default="legacy",
                        help="legacy: the shipped config (default); v1: the workaround off")
    args = parser.parse_args([] if argv is None else argv)  # main() from another script: defaults
    result = run(args.cycles, args.protocol)
    print(f"server_stress_peak_rss_mb: {result['server_stress_peak_rss_mb']} (target < {TARGET_MB})")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1:])["ok"] else 1)
