"""A real JupyterHub for the class tests and the benchmark: started, driven and removed by code.

- JupyterHub (``requirements-dev.txt``) with configurable-http-proxy from npm
  (``tests/hub/package-lock.json``), the shared-password authenticator (tests only) and the
  LocalProcessSpawner: every student is a Unix user of their own (``useradd``, home mode 0700),
  removed with their home when the hub stops.
- The students' Python environment is built by ``tests/hub/make_env.py`` from ``requirements.txt``
  (with nbgitpuller); the collection on the students' path is the student release, as in an image
  built from the ``student`` branch.
- The course is a local bare repository named ``yalu`` with a ``student`` branch made by
  ``python -m yalu.exercises release`` (what ``make student-release`` runs) and, for the control,
  a ``main`` branch holding this checkout's HEAD. It is served over ``file://``: no network.
- The link a student follows is the README's nbgitpuller link with only the hub's address and
  the repository replaced (``readme_link``).

Needs root (useradd, setuid spawning), git, npm's proxy and the environment; ``missing()`` says
what is absent.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import make_env  # noqa: E402

ARTIFACTS = Path(os.environ.get("YALU_ARTIFACTS", ROOT / "test-artifacts"))
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "shared-class-password"  # the shared-password authenticator's, tests only
COMMENT = "yalu hub test"  # GECOS field of every test user, so leftovers can be found


def missing() -> str | None:
    """Why the hub cannot start here, or None."""
    if os.geteuid() != 0:
        return "the hub tests need root (useradd and spawning as each student)"
    if not PROXY.exists():
        return f"configurable-http-proxy is not installed ({PROXY}; `make test` runs npm ci)"
    if not make_env.ready():
        return "the students' environment is not built (`make test` runs tests/hub/make_env.py)"
    for tool in ("git", "useradd", "userdel"):
        if not shutil.which(tool):
            return f"{tool} not found"
    return None


def readme_link(hub: str, repo: str, branch: str | None = None) -> str:
    """The README's nbgitpuller link for this hub and repository (and, for the control, a branch).

    Only the scheme and host, the ``repo`` value and, if asked, ``branch`` change; the path and
    every other parameter stay as the README shows them.
    """
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(r"https://HUB\.example\.edu/hub/user-redirect/git-pull\?\S+", text)
    if not m:
        raise AssertionError("README.md shows no nbgitpuller link of the form https://HUB.example.edu/hub/user-redirect/git-pull?...")
    parts = urlsplit(m[0])
    query = parse_qsl(parts.query, keep_blank_values=True)
    keys = [k for k, _ in query]
    assert "repo" in keys and "branch" in keys and "urlpath" in keys, f"README link lacks repo/branch/urlpath: {m[0]}"
    new = [(k, repo if k == "repo" else (branch if (k == "branch" and branch) else v)) for k, v in query]
    return f"{hub.rstrip('/')}{parts.path}?{urlencode(new, quote_via=quote, safe='')}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _git(*args, cwd=None, env=None) -> str:
    full = dict(os.environ, GIT_AUTHOR_NAME="Lecturer", GIT_AUTHOR_EMAIL="lecturer@example.edu",
                GIT_COMMITTER_NAME="Lecturer", GIT_COMMITTER_EMAIL="lecturer@example.edu", **(env or {}))
    return subprocess.run(["git", *args], cwd=cwd, env=full, check=True, capture_output=True, text=True).stdout


def remove_leftover_users() -> None:
    """Remove test users whose creating process is gone (a run that was killed)."""
    for line in Path("/etc/passwd").read_text().splitlines():
        f = line.split(":")
        if len(f) > 4 and f[4].startswith(COMMENT):
            pid = f[4].rsplit(" ", 1)[-1]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                subprocess.run(["userdel", "-r", "-f", f[0]], capture_output=True)


class Course:
    """The course repository: a bare repo ``yalu`` (branches ``student`` and ``main``) and the image."""

    def __init__(self, base: Path):
        self.base = base
        self.release = base / "image" / "yalu-student"  # the student release, also the image's yalu
        self.bare = base / "srv" / "yalu"
        self.work = base / "lecturer" / "yalu"

    def build(self) -> None:
        (self.base / "image").mkdir(parents=True)
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        subprocess.run([sys.executable, "-m", "yalu.exercises", "release", str(self.release)],
                       cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        self.bare.parent.mkdir(parents=True)
        _git("init", "--quiet", "--bare", "--initial-branch=student", str(self.bare))
        self.work.parent.mkdir(parents=True)
        shutil.copytree(self.release, self.work)
        _git("init", "--quiet", "--initial-branch=student", cwd=self.work)
        _git("add", "-A", cwd=self.work)
        _git("commit", "--quiet", "-m", "Student release", cwd=self.work)
        _git("push", "--quiet", str(self.bare), "student", cwd=self.work)
        # The control's branch: this checkout as committed, solutions included.
        _git("push", "--quiet", str(self.bare), "HEAD:refs/heads/main", cwd=ROOT)
        subprocess.run(["chmod", "-R", "a+rX", str(self.base / "image")], check=True)
        for p in [self.base, *self.base.parents]:
            if p == Path("/"):
                break
            os.chmod(p, os.stat(p).st_mode | 0o001)  # the image's folder is readable by every student
        # git daemon stands in for GitHub: a remote the students' servers clone over git://.
        self.port = _free_port()
        self.daemon = subprocess.Popen(
            ["git", "daemon", "--export-all", "--reuseaddr", "--listen=127.0.0.1", f"--port={self.port}",
             f"--base-path={self.bare.parent}", str(self.bare.parent)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 30
        while subprocess.run(["git", "ls-remote", self.url], capture_output=True).returncode:
            if time.monotonic() > deadline or self.daemon.poll() is not None:
                raise RuntimeError("git daemon did not serve the course repository")
            time.sleep(0.2)

    def stop(self) -> None:
        if getattr(self, "daemon", None) and self.daemon.poll() is None:
            self.daemon.terminate()
            self.daemon.wait(10)

    @property
    def url(self) -> str:
        return f"git://127.0.0.1:{self.port}/yalu"

    def update(self, path: str, text: str, message: str) -> None:
        """The lecturer changes the course and pushes it to the ``student`` branch."""
        target = self.work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        _git("add", path, cwd=self.work)
        _git("commit", "--quiet", "-m", message, cwd=self.work)
        _git("push", "--quiet", str(self.bare), "student", cwd=self.work)


class Hub:
    def __init__(self, base: Path, students: list[str]):
        self.base = base
        self.students = students
        self.course = Course(base)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(16)  # the lecturer service's API token
        self.proc: subprocess.Popen | None = None
        self.tokens: dict[str, str] = {}

    # -- setup ---------------------------------------------------------------------------------
    def _add_users(self) -> None:
        for name in self.students:
            subprocess.run(["userdel", "-r", "-f", name], capture_output=True)
            subprocess.run(["useradd", "-m", "-K", "HOME_MODE=0700", "-s", "/bin/bash",
                            "-c", f"{COMMENT} {os.getpid()}", name], check=True, capture_output=True)

    def _config(self) -> Path:
        env = make_env.DEFAULT
        venv_bin = env / "venv" / "bin"
        cfg = {
            "ip": "127.0.0.1",
            "port": self.port,
            "hub_port": _free_port(),
            "proxy_api_port": _free_port(),
            "proxy": str(PROXY),
            "db": f"sqlite:///{self.base / 'hub' / 'jupyterhub.sqlite'}",
            "cookie": str(self.base / "hub" / "cookie_secret"),
            "students": self.students,
            "password": PASSWORD,
            "token": self.token,
            "singleuser": str(venv_bin / "jupyterhub-singleuser"),
            "environment": {
                "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
                "LD_LIBRARY_PATH": make_env.library_path(env),
                "PYTHONPATH": str(self.course.release / "src"),
                "NBGITPULLER_APP": "lab",
            },
        }
        path = self.base / "hub" / "jupyterhub_config.py"
        path.write_text(CONFIG.format(cfg=json.dumps(cfg)), encoding="utf-8")
        return path

    def start(self) -> None:
        remove_leftover_users()
        (self.base / "hub").mkdir(parents=True)
        self.course.build()
        self._add_users()
        config = self._config()
        log = open(self.base / "hub" / "hub.log", "wb")
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}")
        self.proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=self.base / "hub",
                                     stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited ({self.proc.returncode}): {self.log()[-3000:]}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError(f"the hub did not answer in 120 s: {self.log()[-3000:]}")
        for name in self.students:
            r = self.api("POST", f"/users/{name}/tokens", json={"note": "class test", "expires_in": 7200})
            self.tokens[name] = r.json()["token"]

    def log(self) -> str:
        p = self.base / "hub" / "hub.log"
        return p.read_text(errors="replace") if p.exists() else ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            for name in self.students:
                try:
                    self.api("DELETE", f"/users/{name}/server", ok=(202, 204, 400, 404))
                except Exception:
                    pass
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait(10)
        self.course.stop()
        for name in self.students:
            # Anything a student left running dies with the user.
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
            subprocess.run(["userdel", "-r", "-f", name], capture_output=True)

    # -- the lecturer's API ----------------------------------------------------------------------
    def api(self, method: str, path: str, ok=(200, 201, 202, 204), **kw) -> requests.Response:
        r = requests.request(method, f"{self.url}/hub/api{path}", headers={"Authorization": f"token {self.token}"},
                             timeout=60, **kw)
        if r.status_code not in ok:
            raise AssertionError(f"{method} {path}: {r.status_code} {r.text[:300]}")
        return r

    def home(self, name: str) -> Path:
        return Path("/home") / name


CONFIG = '''# Written by tests/hub/harness.py for one test run.
import json
cfg = json.loads({cfg!r})
c = get_config()  # noqa
c.JupyterHub.ip = cfg["ip"]
c.JupyterHub.port = cfg["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = cfg["hub_port"]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d" % cfg["proxy_api_port"]
c.ConfigurableHTTPProxy.command = [cfg["proxy"]]
c.JupyterHub.db_url = cfg["db"]
c.JupyterHub.cookie_secret_file = cfg["cookie"]
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = cfg["password"]
c.Authenticator.allowed_users = set(cfg["students"])
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [cfg["singleuser"]]
c.Spawner.default_url = "/lab"
c.Spawner.environment = cfg["environment"]
# Six servers start at once on two shared cores: be patient.
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.JupyterHub.services = [{{"name": "lecturer", "api_token": cfg["token"]}}]
c.JupyterHub.load_roles = [{{
    "name": "lecturer",
    "scopes": ["admin:users", "admin:servers", "tokens", "list:users"],
    "services": ["lecturer"],
}}]
c.JupyterHub.cleanup_servers = True
'''


# -- a student's side, through the hub ---------------------------------------------------------

class Student:
    """One student using their own token: the hub's REST API, their server's REST API and kernels."""

    def __init__(self, hub: Hub, name: str):
        self.hub = hub
        self.name = name
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {hub.tokens[name]}"

    def login(self) -> None:
        """Log in on the hub's login page with the shared password, as a student types it."""
        self.session.get(f"{self.hub.url}/hub/login", timeout=60)
        xsrf = self.session.cookies.get("_xsrf", "")
        r = self.session.post(f"{self.hub.url}/hub/login", timeout=120, allow_redirects=False,
                              data={"username": self.name, "password": PASSWORD, "_xsrf": xsrf})
        assert r.status_code == 302, f"{self.name}: login {r.status_code} {r.text[:200]}"

    def user_url(self, path: str = "") -> str:
        return f"{self.hub.url}/user/{self.name}/{path.lstrip('/')}"

    def start_server(self, timeout: float = 300) -> None:
        r = self.session.post(f"{self.hub.url}/hub/api/users/{self.name}/server", timeout=60)
        assert r.status_code in (201, 202, 400), f"{self.name}: spawn {r.status_code} {r.text[:300]}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = self.session.get(f"{self.hub.url}/hub/api/users/{self.name}", timeout=60).json()
            server = (info.get("servers") or {}).get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{self.name}'s server was not ready in {timeout} s")

    def follow(self, link: str, timeout: float = 300) -> str:
        """Follow the nbgitpuller link as the status page's script does; return where it lands."""
        # The hub redirects the link to this student's server, whose page runs the pull.
        r = self.session.get(link, timeout=120)
        assert r.status_code == 200 and f"/user/{self.name}/git-pull" in r.url, f"{self.name}: {r.status_code} at {r.url}"
        assert "nbgitpuller" in r.text, f"{self.name}: {r.url} is not nbgitpuller's page"
        query = dict(parse_qsl(urlsplit(r.url).query))
        assert query == dict(parse_qsl(urlsplit(link).query)), f"{self.name}: the link lost parameters on the way: {r.url}"
        api = self.user_url("git-pull/api") + "?" + urlencode(
            {k: v for k, v in query.items() if k in ("repo", "branch", "depth", "targetpath")})
        events = []
        with self.session.get(api, stream=True, timeout=timeout) as stream:
            assert stream.status_code == 200, f"{self.name}: pull {stream.status_code}"
            for line in stream.iter_lines(decode_unicode=True):
                if line and line.startswith("data: "):
                    events.append(json.loads(line[6:]))
                    if events[-1].get("phase") in ("finished", "error"):
                        break
        assert events and events[-1].get("phase") == "finished", f"{self.name}: pull failed: {events[-3:]}"
        landing = self.user_url(query["urlpath"])
        r = self.session.get(landing, timeout=120)
        assert r.status_code == 200, f"{self.name}: {landing} -> {r.status_code}"
        return query["urlpath"]

    def contents(self, path: str, **kw) -> requests.Response:
        return self.session.get(self.user_url(f"api/contents/{quote(path)}"), timeout=60, **kw)

    def read_notebook(self, path: str) -> dict:
        r = self.contents(path)
        assert r.status_code == 200, f"{self.name}: read {path}: {r.status_code}"
        return r.json()["content"]

    def save_notebook(self, path: str, nb: dict) -> None:
        r = self.session.put(self.user_url(f"api/contents/{quote(path)}"), json={"type": "notebook", "content": nb},
                             timeout=120)
        assert r.status_code in (200, 201), f"{self.name}: save {path}: {r.status_code} {r.text[:200]}"

    def run_notebook(self, path: str, timeout: float = 600) -> dict:
        """Open a session on the notebook, run every code cell in its kernel, save the outputs."""
        nb = self.read_notebook(path)
        r = self.session.post(self.user_url("api/sessions"), timeout=120,
                              json={"path": path, "type": "notebook", "name": Path(path).name,
                                    "kernel": {"name": "python3"}})
        assert r.status_code == 201, f"{self.name}: session {r.status_code} {r.text[:200]}"
        sid, kid = r.json()["id"], r.json()["kernel"]["id"]
        try:
            with Kernel(self, kid) as k:
                for cell in nb["cells"]:
                    if cell["cell_type"] == "code":
                        src = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
                        cell["outputs"], cell["execution_count"] = k.execute(src, timeout)
            self.save_notebook(path, nb)
        finally:
            self.session.delete(self.user_url(f"api/sessions/{sid}"), timeout=60)
        return nb


class Kernel:
    """A kernel of the student's server, over its websocket (the legacy protocol the lab uses)."""

    def __init__(self, student: Student, kernel_id: str):
        self.student, self.kid = student, kernel_id
        self.session_id = uuid.uuid4().hex

    def __enter__(self):
        import websocket

        url = self.student.user_url(f"api/kernels/{self.kid}/channels?session_id={self.session_id}")
        self.ws = websocket.create_connection(url.replace("http://", "ws://"), timeout=600,
                                              header=[f"Authorization: token {self.student.hub.tokens[self.student.name]}"])
        return self

    def __exit__(self, *exc):
        self.ws.close()

    def execute(self, code: str, timeout: float) -> tuple[list, int | None]:
        msg_id = uuid.uuid4().hex
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.student.name, "session": self.session_id,
                       "msg_type": "execute_request", "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": False},
        }))
        outputs, count, idle, replied = [], None, False, False
        deadline = time.monotonic() + timeout
        while not (idle and replied):
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.student.name}: a cell ran over {timeout} s")
            msg = json.loads(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                idle = True
            elif kind == "execute_reply":
                replied = True
                count = content.get("execution_count")
            elif kind == "stream":
                outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
            elif kind in ("display_data", "execute_result"):
                out = {"output_type": kind, "data": content["data"], "metadata": content.get("metadata", {})}
                if kind == "execute_result":
                    out["execution_count"] = content.get("execution_count")
                outputs.append(out)
            elif kind == "error":
                outputs.append({"output_type": "error", "ename": content["ename"], "evalue": content["evalue"],
                                "traceback": content["traceback"]})
        return outputs, count


@contextmanager
def running_hub(base: Path, students: list[str]):
    """A started hub, stopped (users and homes removed) on the way out, on SIGTERM too."""
    import signal

    def _terminated(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, _terminated) if _main_thread() else None
    hub = Hub(base, students)
    try:
        hub.start()
        yield hub
    finally:
        hub.stop()
        shutil.rmtree(base, ignore_errors=True)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


# -- the class ---------------------------------------------------------------------------------

EXERCISE = "yalu/exercises/01_leaning_exercises.ipynb"
NARRATIVE = "yalu/notebooks/05_the_decision.ipynb"
PLACEHOLDER = "answer = None  # your answer here"


def solution_code() -> dict[str, str]:
    """The model code of each checked question of set 01, from the lecturer's solution notebook."""
    nb = json.loads((ROOT / "instructor" / "solutions" / "01_leaning_exercises.ipynb").read_text(encoding="utf-8"))
    out = {}
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        m = re.search(r'### BEGIN SOLUTION\n(.*?)### END SOLUTION\ncheck\("(q\d+)"', src, re.S)
        if m:
            out[m[2]] = m[1].rstrip("\n")
    return out


def answer(nb: dict, plan: dict[str, str]) -> dict:
    """Type the planned code into the answer cells of an exercise notebook (qid -> code)."""
    done = set()
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        m = re.search(r'check\("(q\d+)", answer\)', src)
        if cell["cell_type"] == "code" and m and m[1] in plan:
            code = plan[m[1]]
            cell["source"] = code if code.startswith("#whole\n") else src.replace(PLACEHOLDER, code)
            done.add(m[1])
    assert done == set(plan), f"no answer cell for {set(plan) - done}"
    return nb


class Memory:
    """Samples the resident memory of every student's processes (their server and kernels)."""

    def __init__(self, users: list[str], every: float = 0.5):
        import pwd
        import threading

        self.uids = {pwd.getpwnam(u).pw_uid: u for u in users}
        self.peak = dict.fromkeys(users, 0)
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> dict[str, int]:
        import psutil

        totals = dict.fromkeys(self.uids.values(), 0)
        for p in psutil.process_iter(["uids", "memory_info"]):
            try:
                uid = p.info["uids"].real
                if uid in self.uids and p.info["memory_info"]:
                    totals[self.uids[uid]] += p.info["memory_info"].rss
            except (AttributeError, TypeError):
                continue
        return totals

    def _run(self):
        while not self._stop.is_set():
            for u, v in self.now().items():
                self.peak[u] = max(self.peak[u], v)
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)


def solution_traces(home: Path) -> list[str]:
    """What in a student's home would hand them solutions or model answers (empty: nothing)."""
    from yalu.exercises.model_answers import load

    answers = load(ROOT / "src" / "yalu" / "model_answers.json")
    texts = []

    def walk(value):
        if isinstance(value, str) and len(value) > 60:
            texts.append(value[:60])
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    walk(answers)
    assert texts, "the lecturer's model answers could not be read: the check would be blind"
    found = []
    for path in home.rglob("*"):
        if ".git" in path.parts or path.is_symlink() or not path.is_file():
            continue
        rel = path.relative_to(home)
        if "instructor" in rel.parts or "solutions" in rel.parts:
            found.append(f"{rel}: a solutions folder")
            continue
        if path.stat().st_size > 20_000_000:
            continue
        data = path.read_bytes().decode("utf-8", "replace")
        if path.suffix == ".ipynb" and "### BEGIN SOLUTION" in data:
            found.append(f"{rel}: solution code")
        elif path.name == "model_answers.json" and data.strip() and load(path):
            found.append(f"{rel}: model answers")
        else:
            plain = data.replace("\\n", "\n").replace('\\"', '"')
            hit = next((t for t in texts if t in plain), None)
            if hit:
                found.append(f"{rel}: a model answer ({hit[:30]}...)")
    return found
