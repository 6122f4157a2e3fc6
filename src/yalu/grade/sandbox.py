"""One bubblewrap box per submission: ``run_boxed(notebook, limits)`` -> the executed notebook.

The box (Linux, Debian package ``bubblewrap``) gives the student's code:

* a read-only view of the system (``--ro-bind / /``), with the user's home folder, the
  submissions, the grader's output and work folders and the repository's ``instructor/``
  folder hidden behind empty in-memory folders;
* a private, writable working folder holding only the copy of its notebook;
* no network, its own PID, IPC and UTS namespaces (``--unshare-all``), its own session,
  and ``--die-with-parent``: when the run ends or is killed, everything it started ends;
* a clean environment (``--clearenv``);
* limits (``prlimit``): address space (default 1 GB), CPU seconds, size of any file written;
  a 256 MB in-memory ``/tmp``; the runner also caps the output it keeps.

Not limited: the number of processes (``RLIMIT_NPROC`` counts all of the grading user's
processes, so it would throttle the grader too) and the number of files written in the
working folder; the time limit bounds both.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yalu

__all__ = ["Limits", "bwrap_available", "run_boxed", "box_command"]

PASS_ENV = ("YALU_QUESTION_PLUGINS", "YALU_DATA")


@dataclass
class Limits:
    timeout: float = 120.0  # wall-clock seconds for the notebook's cells
    memory: int = 1 << 30  # bytes of address space per process
    output: int = 5_000_000  # bytes of cell output kept per notebook
    file_size: int = 64 << 20  # bytes: the largest file the box may write
    tmp_size: int = 256 << 20  # bytes: the box's own /tmp (in memory)


def bwrap_available() -> str | None:
    """The path of a working ``bwrap``, or None."""
    path = shutil.which("bwrap")
    if not path:
        return None
    try:
        probe = subprocess.run([path, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "--size", "1048576",
                                "--tmpfs", "/tmp", "true"], capture_output=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if probe.returncode == 0 else None


def _under(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def box_command(workdir: Path, hide: list[Path], expose: list[Path], inner: list[str], limits: Limits,
                env: dict[str, str]) -> list[str]:
    tmp = Path("/tmp")
    cmd = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/", "/",
           "--dev", "/dev", "--proc", "/proc", "--size", str(limits.tmp_size), "--tmpfs", "/tmp"]
    home = Path.home().resolve()
    hidden = [home] + [p.resolve() for p in hide]
    for p in [home]:
        if p.is_dir() and not _under(p, tmp) and p != Path("/"):
            cmd += ["--tmpfs", str(p)]
    for p in expose:  # what the kernel needs back from a hidden place (the venv, the package)
        p = p.resolve()
        if p.exists() and any(_under(p, h) for h in [home, tmp]):
            cmd += ["--ro-bind", str(p), str(p)]
    for p in hidden[1:]:
        if p.is_dir() and not _under(p, tmp):
            cmd += ["--tmpfs", str(p)]
    cmd += ["--bind", str(workdir), str(workdir), "--chdir", str(workdir), "--clearenv"]
    for key, value in env.items():
        cmd += ["--setenv", key, value]
    cpu = int(limits.timeout) + 60
    cmd += ["--", "prlimit", f"--as={limits.memory}", f"--cpu={cpu}", f"--fsize={limits.file_size}", "--"]
    return cmd + inner


def _env() -> dict[str, str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp/home", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "IPYTHONDIR": "/tmp/ipython", "JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime", "JUPYTER_PLATFORM_DIRS": "1",
        "MPLCONFIGDIR": "/tmp/matplotlib", "YALU_CACHE": "/tmp/yalu-cache", "MPLBACKEND": "agg",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1", "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update({k: os.environ[k] for k in PASS_ENV if os.environ.get(k)})
    return env


def _expose() -> list[Path]:
    paths = [Path(sys.prefix), Path(sys.base_prefix), Path(yalu.__file__).resolve().parent.parent]
    here = Path(yalu.__file__).resolve()
    for parent in here.parents:
        if (parent / "data" / "datapackage.json").is_file():
            paths.append(parent)
            break
    for key in PASS_ENV:
        for item in os.environ.get(key, "").split(os.pathsep):
            if item:
                paths.append(Path(item))
    return paths


def run_boxed(notebook: Path, work_root: Path, hide: list[Path], limits: Limits, sandbox: bool = True) -> Path:
    """Run a copy of ``notebook`` in a fresh box under ``work_root``; return the executed copy.

    The executed copy always exists afterwards (the runner writes it first, then after
    every cell); its metadata ``yalu_run`` says how far the run got.
    """
    workdir = Path(tempfile.mkdtemp(prefix="box-", dir=work_root)).resolve()
    src = workdir / "submission.ipynb"
    shutil.copyfile(notebook, src)
    dst = workdir / "executed.ipynb"
    inner = [sys.executable, "-m", "yalu.grade.runner", str(src), str(dst), "--timeout", str(limits.timeout),
             "--max-output", str(limits.output)]
    if sandbox:
        cmd = box_command(workdir, hide, _expose(), inner, limits, _env())
    else:
        cmd = inner
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=workdir, env=None if sandbox else {**os.environ, **_env(), "HOME": str(workdir)},
                            start_new_session=True)
    try:
        proc.wait(timeout=limits.timeout + 90)
    except subprocess.TimeoutExpired:
        pass
    finally:
        try:  # the box (and with --die-with-parent everything in it) goes with its process group
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()
    return dst
