"""python -m yalu.grade.collect: the students' exercise notebooks into one folder per student."""
import subprocess
import sys

from yalu.grade.collect import collect


def _home(root, name, files):
    ex = root / name / "yalu" / "exercises"
    ex.mkdir(parents=True)
    for fname, text in files.items():
        (ex / fname).write_text(text)
    return ex


def test_copies_each_students_notebooks_and_skips_links(tmp_path):
    homes = tmp_path / "home"
    _home(homes, "jupyter-ann", {"01_leaning_exercises.ipynb": "ann", "notes.txt": "x"})
    bob = _home(homes, "jupyter-bob", {"02_treaty_exercises.ipynb": "bob"})
    # Bob links Ann's notebook and a system file into his folder: neither is copied.
    (bob / "01_leaning_exercises.ipynb").symlink_to(homes / "jupyter-ann" / "yalu" / "exercises" / "01_leaning_exercises.ipynb")
    secret = tmp_path / "secret"
    secret.write_text("root only")
    (bob / "03_korea_exercises.ipynb").symlink_to(secret)
    (homes / "jupyter-cy").mkdir()
    got = collect(tmp_path / "subs", homes, strip_prefix="jupyter-")
    assert got.copied == {"ann": ["01_leaning_exercises.ipynb"], "bob": ["02_treaty_exercises.ipynb"]}
    assert (tmp_path / "subs" / "ann" / "01_leaning_exercises.ipynb").read_text() == "ann"
    assert sorted(p.name for p in (tmp_path / "subs" / "bob").iterdir()) == ["02_treaty_exercises.ipynb"]
    assert len(got.skipped) == 2 and all("not a regular file" in s for s in got.skipped)
    assert got.without == ["cy"]


def test_refuses_a_folder_with_files_in_one_line(tmp_path):
    homes = tmp_path / "home"
    _home(homes, "ann", {"01_leaning_exercises.ipynb": "ann"})
    (tmp_path / "subs").mkdir()
    (tmp_path / "subs" / "old.txt").write_text("x")
    r = subprocess.run([sys.executable, "-m", "yalu.grade.collect", str(tmp_path / "subs"), "--homes", str(homes)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr and "not an empty folder" in r.stderr
    r = subprocess.run([sys.executable, "-m", "yalu.grade.collect", str(tmp_path / "new"), "--homes", str(homes), "ann"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "collected 1 notebook(s) from 1 student(s)" in r.stdout
