"""Start JupyterLab on the collection's start notebook: ``python -m yalu.serve``.

``make lab`` runs this. The browser tests, the benchmarks and the websocket reproduction
start their servers with :func:`running_lab`, which uses the same :func:`lab_command`, so
what they open is what a reader opens.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil

from yalu.errors import YaluError
from yalu.paths import repo_root

START = "notebooks/00_start_here.ipynb"


def lab_command(*extra: str, port: int | None = None, token: str | None = None, open_browser: bool = True,
                root: Path | None = None, start: str = START) -> list[str]:
    """The argv that starts JupyterLab at ``start``, rooted at ``root`` (the repository by default)."""
    root = root or repo_root()
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}", start]
    if port is not None:
        cmd += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1"]
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    if not open_browser:
        cmd.append("--ServerApp.open_browser=False")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        cmd.append("--allow-root")
    return cmd + list(extra)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(*extra: str, env: dict[str, str] | None = None, timeout: float = 90, root: Path | None = None,
                start: str = START, token: str = "yalu-local") -> Iterator[dict]:
    """A JupyterLab started as ``make lab`` starts it, on a free loopback port, for tests and benchmarks.

    It gets its own HOME, config and workspace folders, so a developer's ``~/.jupyter`` cannot
    change what is measured; ``env`` adds variables. Yields ``{"base", "token", "port", "proc",
    "log", "home", "seen"}``. On exit the server is stopped (SIGTERM, which stops its kernels),
    then anything it started that is still alive (and any process added to ``seen``) is killed.
    """
    port = _free_port()
    home = Path(tempfile.mkdtemp(prefix="yalu-lab-home-"))
    full_env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
                    JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    full_env.update(env or {})
    log_path = home / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(lab_command(*extra, port=port, token=token, open_browser=False, root=root, start=start),
                                cwd=root or repo_root(), env=full_env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    seen: set = set()
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise YaluError(f"JupyterLab exited: {log_path.read_text(errors='replace')[-2000:]}")
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise YaluError(f"JupyterLab did not answer within {timeout:.0f} s") from None
                time.sleep(0.3)
        yield {"base": base, "token": token, "port": port, "proc": proc, "log": log_path, "home": home, "seen": seen}
    finally:
        with contextlib.suppress(psutil.Error):
            seen.update(psutil.Process(proc.pid).children(recursive=True))
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        for child in seen:
            with contextlib.suppress(psutil.Error):
                child.kill()
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str]) -> int:
    cmd = lab_command(*argv)
    os.chdir(repo_root())
    os.execv(cmd[0], cmd)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
