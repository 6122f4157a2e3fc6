"""Suite-wide pytest settings live in pyproject.toml.

nbval runs strictly (stored outputs must match) over the narrative notebooks in notebooks/
and the solution notebooks in instructor/solutions/ (the default ``testpaths``). The student
versions in exercises/ have no answers filled in, so `make test` runs them in a second pass
with nbval's documented lax mode, ``pytest --nbval-lax exercises``: every cell must run
without error, but outputs are not compared.
"""

import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

#: Where each notebook under nbval keeps its evidence log: a fresh, empty file of its own, so
#: that no test writes into a home folder or the repository, and a notebook's stored outputs
#: never depend on another notebook having run first (see yalu.evidence_log).
_EVIDENCE_LOG_DIRS: dict[str, str] = {}
_EVIDENCE_LOG_ENV = "YALU_EVIDENCE_LOG"


def _fresh_evidence_log(key: str) -> None:
    folder = tempfile.mkdtemp(prefix="yalu-evidence-log-")
    _EVIDENCE_LOG_DIRS[key] = folder
    os.environ[_EVIDENCE_LOG_ENV] = os.path.join(folder, "yalu-evidence-log.csv")


def pytest_configure(config):
    _fresh_evidence_log("session")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # nbval starts a notebook's kernel when its first cell is set up; the kernel inherits this.
    key = str(getattr(item, "path", ""))
    if key.endswith(".ipynb") and key not in _EVIDENCE_LOG_DIRS:
        _fresh_evidence_log(key)


def pytest_unconfigure(config):
    for folder in _EVIDENCE_LOG_DIRS.values():
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A copy of data/ that the package reads instead (YALU_DATA), for tests that break a table on purpose."""
    copy = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parent / "data", copy)
    monkeypatch.setenv("YALU_DATA", str(copy))
    return copy
