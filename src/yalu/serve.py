"""Start JupyterLab on the collection's start notebook: ``python -m yalu.serve``.

``make lab`` runs this, and the browser tests start their server with the same
:func:`lab_command`, so what the tests open is what a reader opens.
"""
from __future__ import annotations

import os
import sys

from yalu.paths import repo_root

START = "notebooks/00_start_here.ipynb"


def lab_command(*extra: str, port: int | None = None, token: str | None = None, open_browser: bool = True) -> list[str]:
    """The argv that starts JupyterLab at the start notebook, rooted at the repository."""
    root = repo_root()
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={root}", START]
    if port is not None:
        cmd += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1"]
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    if not open_browser:
        cmd.append("--ServerApp.open_browser=False")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        cmd.append("--allow-root")
    return cmd + list(extra)


def main(argv: list[str]) -> int:
    cmd = lab_command(*argv)
    os.chdir(repo_root())
    os.execv(cmd[0], cmd)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
