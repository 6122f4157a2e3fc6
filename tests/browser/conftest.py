"""A JupyterLab server started the way `make lab` starts it, and Debian's Chromium driven by Playwright.

Where /usr/bin/chromium is missing the browser tests are skipped with the reason;
under CI=true they fail instead, so CI cannot pass without running them.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from yalu.paths import repo_root
from yalu.serve import running_lab

CHROMIUM = os.environ.get("YALU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("YALU_ARTIFACTS", repo_root() / "test-artifacts"))
# Flags that keep Chromium from reaching for the network this machine does not have.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def lab_server():
    """Yield the base URL (with token) of a JupyterLab serving this repository, started as `make lab` does."""
    with running_lab(token="yalu-test-token") as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    _need(Path(CHROMIUM).exists(), f"Debian's Chromium not found at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


#: The two screens the course is read on: a lecturer's projector and a student's laptop.
SIZES = {"projector": (1024, 768), "laptop": (1366, 768)}


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def sized(browser, request):
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield request.param, pg, errors
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"))
    finally:
        context.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"))
    finally:
        context.close()


# The kernel-status indicator of the notebook on screen. JupyterLab keeps one per open
# notebook, and hidden tabs keep theirs, so only a visible one says anything.
IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true"


def open_notebook(page, server, path: str):
    """Open a notebook in a fresh JupyterLab workspace and wait until its kernel is idle.

    ``reset`` drops the workspace an earlier test left (its open tabs), so each test
    sees only the notebook it opened.
    """
    page.goto(f"{server['base']}/lab/tree/{path}?reset&token={server['token']}")
    page.wait_for_selector(".jp-NotebookPanel", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    return page


def kernel_idle(page, timeout_s: float = 120) -> int:
    """Wait until the notebook on screen has an idle kernel; accept a "Select Kernel" dialog on the way.

    On a loaded machine JupyterLab can open a notebook before it has the kernel specs and then
    asks which kernel to start, the notebook's own preselected; a reader presses Select, and so
    does this. Returns how many times it did (the benchmarks report it).
    """
    accepted = 0
    deadline = time.monotonic() + timeout_s
    dialog = page.locator(".jp-Dialog", has_text="Select Kernel")
    while time.monotonic() < deadline:
        if dialog.count():
            dialog.locator(".jp-mod-accept").first.click()
            accepted += 1
        elif page.locator(IDLE).count():
            page.wait_for_timeout(300)
            if not dialog.count() and page.locator(IDLE).count():
                return accepted
        page.wait_for_timeout(250)
    raise TimeoutError(f"the notebook's kernel was not idle within {timeout_s:.0f} s")
