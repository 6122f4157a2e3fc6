"""One bubblewrap box per submission: ``run_boxed(notebook, ...)`` -> what the run recorded.

The box (Linux, Debian package ``bubblewrap``) gives the student's code:

* an allowlist of read-only system folders (``/usr``, ``/bin``, ``/sbin``, ``/lib*``,
  ``/etc``), the Python it runs on, the yalu package and the ``data/`` folder, and nothing
  else: no home folder, no ``/run``, ``/var``, ``/srv``, ``/mnt``, ``/opt`` (so no Unix
  sockets of the host, such as a D-Bus or Docker socket), no repository ``.git`` or
  ``instructor/`` folder, no submissions or grader output; the stored model answers
  (``model_answers.json``) are replaced by an empty file;
* its own in-memory ``/tmp`` of limited size (``Limits.tmp_size``), which also holds the
  working folder ``/tmp/work``: the notebook arrives on the runner's stdin, so no host
  folder is writable inside the box;
* the tables of ``data/`` already checked (:func:`warm_cache`, made by the grader before any
  submission runs), read-only at ``/tmp/yalu-cache``, so no box parses the CSV files again;
* no network, its own PID, IPC and UTS namespaces (``--unshare-all``), its own session,
  and ``--die-with-parent``: when the run ends or is killed, everything it started ends;
* no capabilities (``--cap-drop ALL``: without it a grader running as root, as in a
  container, would hand the box nearly all of root's capabilities);
* a clean environment (``--clearenv``);
* limits (``prlimit``): address space (default 1 GB), CPU seconds, size of any file written,
  and on Linux 5.14 or later the number of processes (256): there ``RLIMIT_NPROC`` is counted
  per user namespace, so the box's limit does not throttle the grader (measured: with the
  grading user running 150 processes, a box limited to 64 still started 50, and a box
  stopped at 62 while the same user outside started 200). A grader running as root is
  exempt from ``RLIMIT_NPROC`` altogether.

The run record and the cell outputs come back on the runner's stdout pipe, each line
tagged with a one-time key sent on stdin; the kernel has no handle on that pipe and
cannot read the runner's memory (the runner makes itself non-dumpable), so nothing the
student's code writes can pass for the record.

Not limited: the number of processes on kernels before 5.14 (there ``RLIMIT_NPROC`` counts all
of the grading user's processes, so it would throttle the grader too) and the total memory of
all processes together (a cgroup would need ``systemd-run`` or a delegated cgroup; neither
exists in a container without systemd); the time limit bounds both.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yalu
from yalu.exercises.model_answers import FILE as MODEL_ANSWERS

__all__ = ["Limits", "RunResult", "bwrap_available", "run_boxed", "box_command", "warm_cache", "PROTOCOL"]

PASS_ENV = ("YALU_QUESTION_PLUGINS", "YALU_DATA")
SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
BOX_WORK = "/tmp/work"
BOX_CACHE = "/tmp/yalu-cache"  # YALU_CACHE in the box
PROTOCOL = "yalu-run"


@dataclass
class Limits:
    timeout: float = 120.0  # wall-clock seconds for the notebook's cells
    memory: int = 1 << 30  # bytes of address space per process
    output: int = 5_000_000  # bytes of cell output kept per notebook
    file_size: int = 64 << 20  # bytes: the largest file the box may write
    tmp_size: int = 256 << 20  # bytes: the box's own /tmp (in memory), which holds the working folder
    processes: int = 256  # processes of the box's own user (where the kernel counts them per user namespace)


@dataclass
class RunResult:
    """What the runner reported through its pipe: the run record and {cell index: outputs}."""
    record: dict = field(default_factory=dict)
    outputs: dict[int, tuple[list, int | None]] = field(default_factory=dict)
    reason: str = ""  # why there is no record, if there is none


def _under(path: Path, parent: Path) -> bool:
    return path == parent or parent in path.parents


def box_command(hide: list[Path], expose: list[Path], inner: list[str], limits: Limits,
                env: dict[str, str], cache: Path | None = None) -> list[str]:
    """The bwrap + prlimit command line that runs ``inner`` in a fresh box; ``cache`` (a folder of
    checked tables made by :func:`warm_cache`) is shown read-only as the box's table cache."""
    cmd = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    for name in SYSTEM:
        p = Path(name)
        if p.is_symlink():
            cmd += ["--symlink", os.readlink(p), name]
        elif p.is_dir():
            cmd += ["--ro-bind", name, name]
    cmd += ["--dev", "/dev", "--proc", "/proc", "--size", str(limits.tmp_size), "--tmpfs", "/tmp",
            "--dir", BOX_WORK]
    if cache is not None and cache.is_dir():
        cmd += ["--ro-bind", str(cache.resolve()), BOX_CACHE]
    shown = sorted({p.resolve() for p in expose if p.exists()}, key=lambda p: len(p.parts))
    for p in shown:
        if not any(_under(p, Path(s)) for s in SYSTEM if Path(s).is_dir() and not Path(s).is_symlink()):
            cmd += ["--ro-bind", str(p), str(p)]
    # Inside what is shown: the repository's history, the solutions, the grader's folders.
    secret = [p.resolve() for p in hide]
    for p in shown:
        if p.is_dir():
            secret += [p / ".git", p.parent / ".git", p.parent / "instructor"]
    for p in dict.fromkeys(secret):
        if p.is_dir() and any(_under(p, s) for s in shown):
            cmd += ["--tmpfs", str(p)]
    models = MODEL_ANSWERS.resolve()
    if models.is_file() and any(_under(models, s) for s in shown):
        cmd += ["--ro-bind", "/dev/null", str(models)]
    cmd += ["--chdir", BOX_WORK, "--clearenv"]
    for key, value in env.items():
        cmd += ["--setenv", key, value]
    cpu = int(limits.timeout) + 60
    cmd += ["--", "prlimit", f"--as={limits.memory}", f"--cpu={cpu}", f"--fsize={limits.file_size}"]
    if _nproc_per_namespace():
        cmd.append(f"--nproc={limits.processes}")
    return cmd + ["--"] + inner


def _nproc_per_namespace(release: str | None = None) -> bool:
    """True on Linux 5.14 or later, where RLIMIT_NPROC counts processes per user namespace, so a
    limit in the box does not count (or throttle) the grader's own processes."""
    parts = (release or os.uname().release).split(".")
    try:
        return (int(parts[0]), int("".join(ch for ch in parts[1] if ch.isdigit()) or 0)) >= (5, 14)
    except (IndexError, ValueError):
        return False


def _env(root: str = "/tmp") -> dict[str, str]:
    """The kernel's whole environment (inside the box, or in ``root`` without one)."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": f"{root}/home", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "IPYTHONDIR": f"{root}/ipython", "JUPYTER_RUNTIME_DIR": f"{root}/jupyter-runtime",
        "JUPYTER_PLATFORM_DIRS": "1", "MPLCONFIGDIR": f"{root}/matplotlib", "YALU_CACHE": f"{root}/yalu-cache",
        "MPLBACKEND": "agg", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2", "PYDEVD_DISABLE_FILE_VALIDATION": "1", "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update({k: os.environ[k] for k in PASS_ENV if os.environ.get(k)})
    # The kernel imports the yalu this grader runs (the one _expose shows), not whichever copy the
    # environment's own path names (a worktree beside an editable install of another checkout).
    env["PYTHONPATH"] = str(Path(yalu.__file__).resolve().parent.parent)
    return env


def warm_cache(folder: Path) -> Path | None:
    """Check every table once, into the cache ``folder``, for the boxes to read (read-only) rather
    than each box parsing and checking the CSV files again (about 0.9 s a box). Made by the grader
    before any submission runs, from the collection's own data. None if it cannot be made."""
    folder.mkdir(parents=True, exist_ok=True)
    code = "from yalu import data\nfor name in data.table_names():\n    data.load(name)\n"
    env = {**_env(str(folder.parent)), "YALU_CACHE": str(folder)}
    try:
        done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=300,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return folder if done.returncode == 0 and any(folder.glob("*.pickle")) else None


def _expose() -> list[Path]:
    """What the kernel needs from the host: the venv, its base Python, the package, data/."""
    paths = [Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent.parent,
             Path(yalu.__file__).resolve().parent]
    here = Path(yalu.__file__).resolve()
    for parent in here.parents:
        if (parent / "data" / "datapackage.json").is_file():
            paths.append(parent / "data")
            break
    for key in PASS_ENV:
        for item in os.environ.get(key, "").split(os.pathsep):
            if item:
                paths.append(Path(item))
    return paths


def bwrap_available() -> str | None:
    """The path of a working ``bwrap``, or None: probed with the real box running ``python -c pass``."""
    path = shutil.which("bwrap")
    if not path or not shutil.which("prlimit"):
        return None
    cmd = box_command([], _expose(), [sys.executable, "-c", "pass"], Limits(timeout=20), _env())
    try:
        probe = subprocess.run(cmd, capture_output=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return path if probe.returncode == 0 else None


def parse(stdout: bytes, key: str) -> RunResult:
    """The runner's tagged lines; anything else on the pipe is ignored."""
    result = RunResult()
    tag = f"{PROTOCOL} {key} ".encode()
    for line in stdout.splitlines():
        if not line.startswith(tag):
            continue
        try:
            item = json.loads(line[len(tag):])
        except ValueError:
            continue
        if isinstance(item.get("record"), dict):
            result.record = item["record"]
        elif isinstance(item.get("cell"), int) and isinstance(item.get("outputs"), list):
            result.outputs[item["cell"]] = (item["outputs"], item.get("execution_count"))
    if not result.record:
        result.reason = "the sandboxed run sent no record (it could not start, or was killed at once)"
    return result


def run_boxed(notebook: Path, work_root: Path, hide: list[Path], limits: Limits, sandbox: bool = True,
              cache: Path | None = None) -> RunResult:
    """Run ``notebook`` in a fresh box; return what the runner reported through its pipe.

    ``cache``: a folder made by :func:`warm_cache`, shown read-only in the box (without a box,
    each run gets a copy of its own)."""
    key = secrets.token_hex(16)
    payload = (key + "\n").encode() + Path(notebook).read_bytes()
    args = ["--timeout", str(limits.timeout), "--max-output", str(limits.output)]
    workdir = None
    if sandbox:
        inner = [sys.executable, "-m", "yalu.grade.runner", "--workdir", BOX_WORK] + args
        box_env = {**_env(), "YALU_CACHE": BOX_CACHE}  # where box_command shows the cache
        cmd, env, cwd = box_command(hide, _expose(), inner, limits, box_env, cache), None, None
    else:  # trusted submissions: no box, but still a clean environment and a private folder
        workdir = Path(tempfile.mkdtemp(prefix="run-", dir=work_root)).resolve()
        cmd = [sys.executable, "-m", "yalu.grade.runner", "--workdir", str(workdir / "work")] + args
        env, cwd = _env(str(workdir)), workdir
        if cache is not None:  # a copy of its own: a run could write into a shared one, and the next read it
            shutil.copytree(cache, env["YALU_CACHE"], dirs_exist_ok=True)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            cwd=cwd, env=env, start_new_session=True)
    try:
        out, _ = proc.communicate(payload, timeout=limits.timeout + 90)
    except subprocess.TimeoutExpired:
        _kill(proc)
        out, _ = proc.communicate()
    finally:
        _kill(proc)  # the box (and with --die-with-parent everything in it) goes with its process group
        proc.wait()
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    return parse(out or b"", key)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
