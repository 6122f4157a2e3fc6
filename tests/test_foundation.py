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


def pins() -> dict[str, str]:
    out = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = PIN.match(line)
        assert m, f"requirements.txt: {line!r} is not an exact pin (name==version)"
        out[normalize(m.group(1))] = m.group(2)
    return out


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_requirements_pin_the_stack_exactly():
    p = pins()
    for name in ["jupyterlab", "pandas", "matplotlib", "ipywidgets", "edtf", "frictionless", "nbval",
                 "pytest", "playwright", "ipykernel", "jupyter-repo2docker", "basemap-data"]:
        assert name in p, f"{name} is not pinned in requirements.txt"
    assert p["pandas"].startswith("3."), "the collection is built on pandas 3"


def test_installed_versions_match_the_pins():
    wrong = {name: (version, metadata.version(name)) for name, version in pins().items()
             if metadata.version(name) != version}
    assert not wrong, f"installed versions differ from requirements.txt (pinned, installed): {wrong}"


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


def test_ci_installs_debian_chromium_and_runs_make_test():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "apt-get install" in ci and "chromium" in ci
    assert re.search(r"^\s*(exec )?make test\b", ci, re.M)
    assert "playwright install" not in ci, "never download a browser"


def test_jupyterlab_news_prompt_is_off():
    settings = json.loads((ROOT / "jupyter" / "overrides.json").read_text())
    notification = settings["@jupyterlab/apputils-extension:notification"]
    assert notification["fetchNews"] == "false" and notification["checkForUpdates"] is False
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
    linked = {(START.parent / unquote(l.split("#")[0])).resolve() for l in start_links()}
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
