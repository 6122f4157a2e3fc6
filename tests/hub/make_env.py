"""Build the students' Python environment for the hub tests: ``python tests/hub/make_env.py [DEST]``.

The hub starts each student's server as that student's own Unix user, so the interpreter and
the environment must be readable by every user. The developer's interpreter may live where only
root can read it (pyenv under /root), so this copies that interpreter's standard library (no
site-packages, no test suite) to DEST/python, makes DEST/venv from it and installs what a
student's image holds: ``requirements.txt`` (which pins nbgitpuller) and JupyterHub's
``jupyterhub-singleuser`` at the pin of ``requirements-dev.txt``. The collection itself (``yalu``)
is not installed here: the test puts the student release's ``src`` on the students' path, as an
image built from the ``student`` branch would have it.

Nothing is rebuilt while DEST/stamp matches the pins; the default DEST is /var/tmp/yalu-hub-env.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = Path(os.environ.get("YALU_HUB_ENV", "/var/tmp/yalu-hub-env"))


def wanted() -> str:
    h = hashlib.sha256()
    for name in ("requirements.txt", "requirements-dev.txt"):
        h.update((ROOT / name).read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest()


def library_path(dest: Path) -> str:
    return str(dest / "python" / "lib")


def python(dest: Path = DEFAULT) -> Path:
    return dest / "venv" / "bin" / "python"


def ready(dest: Path = DEFAULT) -> bool:
    stamp = dest / "stamp"
    return stamp.exists() and stamp.read_text() == wanted() and python(dest).exists()


def _copy_interpreter(dest: Path) -> Path:
    base = Path(sys.base_prefix)
    ver = f"python{sys.version_info.major}.{sys.version_info.minor}"
    target = dest / "python"
    (target / "bin").mkdir(parents=True)
    exe = base / "bin" / ver
    shutil.copy2(exe, target / "bin" / ver)
    libdir = Path(sysconfig.get_config_var("LIBDIR") or base / "lib")
    (target / "lib").mkdir(exist_ok=True)
    for so in libdir.glob(f"lib{ver}*.so*"):
        shutil.copy2(so, target / "lib" / so.name)
    shutil.copytree(base / "lib" / ver, target / "lib" / ver, symlinks=True,
                    ignore=shutil.ignore_patterns("site-packages", "test", "__pycache__", "idlelib", "tkinter"))
    (target / "lib" / ver / "site-packages").mkdir()
    return target / "bin" / ver


def build(dest: Path = DEFAULT) -> Path:
    if ready(dest):
        return python(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    exe = _copy_interpreter(dest)
    env = dict(os.environ, LD_LIBRARY_PATH=library_path(dest))
    subprocess.run([str(exe), "-m", "venv", str(dest / "venv")], check=True, env=env)
    subprocess.run([str(python(dest)), "-m", "pip", "install", "--quiet", "-r", str(ROOT / "requirements.txt"),
                    "-c", str(ROOT / "requirements-dev.txt"), "jupyterhub"], check=True, env=env)
    # The lab settings a student gets from `make lab` / postBuild.
    share = dest / "venv" / "share" / "jupyter" / "lab" / "settings"
    share.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "jupyter" / "overrides.json", share / "overrides.json")
    etc = dest / "venv" / "etc" / "jupyter"
    etc.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "jupyter" / "jupyter_server_config.json", etc / "jupyter_server_config.json")
    subprocess.run(["chmod", "-R", "a+rX", str(dest)], check=True)
    (dest / "stamp").write_text(wanted())
    return python(dest)


if __name__ == "__main__":
    where = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    print(build(where))
