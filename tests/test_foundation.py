"""The collection's foundation: pins, Binder files, citation, licences, start notebook, kernelspecs."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;#]+)$")
NOTEBOOK_DIRS = ["notebooks", "exercises", "instructor/solutions"]
START = ROOT / "notebooks" / "00_start_here.ipynb"


def normalize(name: str) -> str:
    """PEP 503 name normalisation: basemap_data and basemap-data are one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(name: str = "requirements.txt") -> dict[str, str]:
    """The exact pins of one requirements file (a ``-r`` include is not followed)."""
    out = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("-r "):
            continue
        m = PIN.match(line)
        assert m, f"{name}: {line!r} is not an exact pin (name==version)"
        out[normalize(m.group(1))] = m.group(2)
    return out


RUNTIME = ["jupyterlab", "pandas", "matplotlib", "ipywidgets", "anywidget", "edtf", "ipykernel",
           "nbclient", "platformdirs", "tqdm"]
DEV_ONLY = ["pytest", "nbval", "pytest-xdist", "playwright", "jupyter-repo2docker", "frictionless", "ruff",
            "basemap-data"]


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_student_pins_hold_the_runtime_and_no_developer_tools():
    p = pins()
    for name in RUNTIME:
        assert name in p, f"{name} is not pinned in requirements.txt"
    for name in DEV_ONLY:
        assert name not in p, f"{name} is a developer tool: it belongs in requirements-dev.txt"
    assert p["pandas"].startswith("3."), "the collection is built on pandas 3"


def test_dev_pins_include_the_student_pins_and_add_only_tools():
    text = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in text, "requirements-dev.txt must include the student pins with -r"
    dev = pins("requirements-dev.txt")
    for name in DEV_ONLY:
        assert name in dev, f"{name} is not pinned in requirements-dev.txt"
    assert not set(dev) & set(pins()), f"pinned twice: {sorted(set(dev) & set(pins()))}"


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-dev.txt"])
def test_installed_versions_match_the_pins(name):
    wrong = {pkg: (version, metadata.version(pkg)) for pkg, version in pins(name).items()
             if metadata.version(pkg) != version}
    assert not wrong, f"installed versions differ from {name} (pinned, installed): {wrong}"


def test_pyproject_ranges_admit_the_pins_and_the_version_lives_in_one_place():
    import tomllib

    from packaging.requirements import Requirement

    import yalu

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {normalize(Requirement(r).name): Requirement(r) for r in project["dependencies"]}
    for name in RUNTIME:
        assert name in declared, f"pyproject.toml does not declare {name}"
        assert declared[name].specifier.contains(pins()[name]), f"{name}=={pins()[name]} is outside {declared[name]}"
    assert "version" not in project and "version" in project["dynamic"]
    assert metadata.version("yalu") == yalu.__version__
    floor = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    assert any(Requirement(r).name == "setuptools" and Requirement(r).specifier.contains("77.0") and
               not Requirement(r).specifier.contains("76.0") for r in floor), \
        "license = 'MIT' (PEP 639) needs setuptools >= 77 as the build floor"


def test_nbval_sanitizes_png_payloads_but_keeps_alt_text():
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text())
    html = '<img alt="Timeline of 3 records" src="data:image/png;base64,iVBORw0KGgo+/=="/>'
    other = html.replace("iVBORw0KGgo+/==", "AAAA").replace("3 records", "4 records")
    out = [html, other]
    for regex, replace in patterns:
        out = [re.sub(regex, replace, s) for s in out]
    assert "iVBOR" not in out[0] and 'alt="Timeline of 3 records"' in out[0]
    assert out[0] != out[1], "a changed alt text is still a difference"


def test_nbval_sanitize_replaces_payloads_before_paths():
    """nbval applies the patterns in file order: image payloads must go before any pattern that
    could start at every "/" inside a base64 blob (the old path pattern took 9.9 s on one output)."""
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns((ROOT / "tests" / "nbval_sanitize.cfg").read_text())
    assert "base64" in patterns[0][0], "the PNG payload pattern must come first"
    blob = "data:image/png;base64," + "/notebooks/data/Ab+" * 2000
    text = f"saved to /home/ana/yalu/data/events.csv and 'C:x/srv/notebooks/00.ipynb' {blob}"
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    assert text == "saved to <repo>/data/events.csv and 'C:x/srv/notebooks/00.ipynb' data:image/png;base64,<png>"
    path = next(regex for regex, _ in patterns if "notebooks" in regex)
    assert not re.search(path, "Ab+/cd/notebooks/x"), "a path starts only after a space, quote, '(' or '='"


def test_environment_yml_uses_conda_forge_and_the_same_pins():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    deps = env["dependencies"]
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    from_env = {}
    for line in pip_section:
        m = PIN.match(line)
        assert m, f"environment.yml pip entry {line!r} is not an exact pin"
        from_env[normalize(m.group(1))] = m.group(2)
    assert from_env == pins(), "environment.yml and requirements.txt disagree: run `make environment.yml`"
    assert subprocess.run([sys.executable, str(ROOT / "tools" / "sync_env.py"), "--check"],
                          capture_output=True).returncode == 0


def test_environment_python_is_one_pandas_supports():
    env_python = next(d for d in environment()["dependencies"] if isinstance(d, str) and d.startswith("python="))
    version = env_python.split("=", 1)[1]
    requires = SpecifierSet(metadata.metadata("pandas")["Requires-Python"])
    assert f"{version}.0" in requires, f"pandas {pins()['pandas']} needs Python {requires}, environment.yml has {version}"
    assert version != "3.10"


def test_postbuild_installs_yalu_and_stops_on_error():
    lines = (ROOT / "postBuild").read_text().splitlines()
    body = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    assert body[0] == "set -e", "postBuild must start with `set -e`"
    assert any("pip install" in ln and " -e ." in ln for ln in body)


def test_repo2docker_dockerfile_installs_environment_and_runs_postbuild():
    exe = shutil.which("repo2docker", path=str(Path(sys.executable).parent))
    assert exe, "repo2docker (jupyter-repo2docker) is a pinned test dependency"
    result = subprocess.run([exe, "--no-build", str(ROOT)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    dockerfile = result.stdout
    assert "environment.yml" in dockerfile and "env update" in dockerfile, "the environment is not installed"
    assert re.search(r"^RUN \./postBuild$", dockerfile, re.M), "postBuild is not run"
    assert "python=3.11" in result.stderr, "repo2docker did not pick the environment's Python"


def test_citation_cff_is_valid_and_names_the_paper():
    import jsonschema

    schema = json.loads((ROOT / "tests" / "schemas" / "citation-file-format-1.2.0.schema.json").read_text())
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    jsonschema.Draft7Validator(schema).validate(cff)
    import yalu

    assert str(cff["version"]) == yalu.__version__, "CITATION.cff gives another version than yalu.__version__"
    titles = [ref["title"] for ref in cff.get("references", [])]
    assert "The Sino-Soviet Alliance and China's Entry into the Korean War" in titles


def test_readme_gives_the_two_commands_binder_hub_citation_and_licences():
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    assert "mybinder.org/v2/" in readme and "urlpath=lab/tree/notebooks/00_start_here.ipynb" in readme
    assert "hub/user-redirect/git-pull?repo=" in readme, "no nbgitpuller link template"
    assert "MIT" in readme and "CC BY 4.0" in readme
    assert "CITATION.cff" in readme and "Working Paper No. 1" in readme
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert "creativecommons.org/licenses/by/4.0" in (ROOT / "LICENSE-CONTENT.md").read_text()


def test_ci_runs_make_test_after_its_installs(tmp_path):
    """Run .ci/run with stand-ins for make, apt-get and npm that only record their arguments."""
    log = tmp_path / "log"
    for tool in ("make", "apt-get", "npm", "npx"):
        stub = tmp_path / tool
        stub.write_text(f'#!/bin/sh\necho "{tool} $*" >> {log}\n')
        stub.chmod(0o755)
    env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "CI": "true", "HOME": str(tmp_path)}
    result = subprocess.run(["bash", str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines()
    assert calls[-1] == "make test", f".ci/run must end with `make test`, ran: {calls}"
    assert not any("playwright install" in c for c in calls), "never download a browser"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "chromium" in ci and "bubblewrap" in ci, "Debian's chromium and bubblewrap are installed when missing"


def test_make_test_lints_then_runs_pytest_strict_and_exercises_lax():
    result = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    lines = [ln for ln in result.stdout.splitlines() if "ruff" in ln or "pytest" in ln]
    assert "ruff check" in lines[0]
    # the whole default suite, nothing deselected: only the two workers (files kept whole) are added
    assert lines[1].split("-m pytest")[1].split() == ["-n", "2", "--dist", "loadfile"], lines[1]
    assert "--nbval-lax exercises" in lines[2]


def test_jupyterlab_news_prompt_is_off():
    settings = json.loads((ROOT / "jupyter" / "overrides.json").read_text())
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false" and notification["checkForUpdates"] is False
    # long code lines wrap instead of running off a 1024-px projector
    assert settings["@jupyterlab/notebook-extension:tracker"]["codeCellConfig"]["lineWrap"] is True
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(installed.read_text()) == settings, "the venv's JupyterLab settings are not the repo's"


def all_notebooks() -> list[Path]:
    return sorted(p for d in NOTEBOOK_DIRS for p in (ROOT / d).glob("*.ipynb"))


@pytest.mark.parametrize("path", all_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_notebook_names_its_kernelspec(path):
    spec = json.loads(path.read_text())["metadata"].get("kernelspec", {})
    assert spec.get("name") == "python3" and spec.get("display_name") and spec.get("language") == "python"


def start_links() -> list[str]:
    nb = json.loads(START.read_text())
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return re.findall(r"\]\(([^)\s]+)\)", text)


def test_start_notebook_links_resolve():
    broken = []
    for link in start_links():
        if re.match(r"[a-z]+://", link) or link.startswith("#"):
            continue
        target = (START.parent / unquote(link.split("#")[0])).resolve()
        if not target.exists():
            broken.append(link)
    assert not broken, f"links in the start notebook that do not resolve: {broken}"


def test_start_notebook_links_every_notebook_and_exercise():
    linked = {(START.parent / unquote(link.split("#")[0])).resolve() for link in start_links()}
    student_facing = [p for d in ("notebooks", "exercises") for p in (ROOT / d).glob("*.ipynb") if p != START]
    assert student_facing, "no notebooks found"
    missing = [str(p.relative_to(ROOT)) for p in student_facing if p.resolve() not in linked]
    assert not missing, f"notebooks the start notebook does not link: {missing}"


VOLATILE = [
    (re.compile(r"\b0x[0-9a-f]{6,}\b"), "a memory address"),
    (re.compile(r"\b20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d"), "a timestamp"),
    (re.compile(r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "a random id"),
]


@pytest.mark.parametrize("path", all_notebooks(), ids=lambda p: str(p.relative_to(ROOT)))
def test_stored_notebooks_hold_nothing_that_changes_between_runs(path):
    nb = json.loads(path.read_text())
    assert "widgets" not in nb["metadata"], "widget state is stored (random model ids): run tools/run_notebooks.py"
    for index, cell in enumerate(nb["cells"]):
        assert "execution" not in cell["metadata"], f"cell {index} stores execution timestamps"
        for out in cell.get("outputs", []):
            data = dict(out.get("data", {}))
            assert "application/vnd.jupyter.widget-view+json" not in data, f"cell {index} stores a widget view id"
            data.pop("image/png", None)
            text = json.dumps(data) + "".join(out.get("text", ""))
            text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)
            for pattern, what in VOLATILE:
                found = pattern.search(text)
                assert not found, f"cell {index} output holds {what}: {found.group(0)!r}"
