"""The student's evidence log (yalu.evidence_log): add, save, read back, refuse a broken file
with one clear line, keep every row when two notebooks save at once, and survive a kernel restart."""
from __future__ import annotations

import multiprocessing
import os
import re
import textwrap
from pathlib import Path

import pytest

from yalu import evidence_log
from yalu.errors import YaluError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def log(tmp_path, monkeypatch):
    path = tmp_path / "yalu-evidence-log.csv"
    monkeypatch.setenv("YALU_EVIDENCE_LOG", str(path))
    return path


def _row(notebook="01", **kw):
    args = dict(record="Liu Shaoqi in Moscow", interpretation="Chen 1994", bearing="supports",
                why="The talks are about shared aims.")
    args.update(kw)
    return evidence_log.add(notebook, **args)


def test_the_log_lives_in_the_home_folder_unless_told_otherwise(monkeypatch, tmp_path):
    monkeypatch.delenv("YALU_EVIDENCE_LOG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert evidence_log.log_path() == tmp_path / "yalu-evidence-log.csv"
    assert ROOT not in evidence_log.log_path().parents


def test_add_saves_and_reads_back(log, capsys):
    assert not log.exists()
    first = evidence_log.read_back()
    assert first.empty and log.exists(), "the first notebook makes an empty log file"
    assert "no rows yet" in capsys.readouterr().out
    _row("01", document="Cable No. 4785")
    _row("02", interpretation="shen", bearing="Strains")
    back = evidence_log.read_back()
    assert "2 rows, from notebooks 01, 02" in capsys.readouterr().out
    assert back[["notebook", "entry", "interpretation", "bearing"]].values.tolist() == [
        ["01", 1, "Chen 1994", "supports"], ["02", 1, "Shen", "strains"]]
    assert back.loc[0, "document"] == "Cable No. 4785"


def test_running_a_cell_again_replaces_its_row_and_a_second_entry_adds_one(log):
    _row("03")
    _row("03", why="Second thoughts.")
    assert evidence_log.read()["why"].tolist() == ["Second thoughts."]
    _row("03", entry=2)
    assert evidence_log.read()["entry"].tolist() == [1, 2]


def test_text_with_commas_quotes_and_newlines_round_trips(log):
    why = 'Mao\'s "halt", then go; a comma, too.'
    _row("04", why=why + "\n  and a second line")
    assert evidence_log.read().loc[0, "why"] == why + " and a second line"


@pytest.mark.parametrize("kw, message", [
    (dict(interpretation="Marx"), "unknown interpretation 'Marx'"),
    (dict(bearing="proves"), "bearing must be 'supports' or 'strains'"),
    (dict(why=""), "why is empty"),
    (dict(record=42), "record should be text"),
    (dict(entry=0), "entry should be a whole number"),
])
def test_bad_input_gets_one_clear_line_and_saves_nothing(log, kw, message):
    _row("05")
    before = log.read_bytes()
    with pytest.raises(YaluError, match=message) as err:
        _row("06", **kw)
    assert "\n" not in str(err.value)
    assert log.read_bytes() == before


@pytest.mark.parametrize("content, message", [
    ("notebook,record\n01,x\n", "lacks the column(s) entry, document, interpretation, bearing, why"),
    ('notebook,entry,record,document,interpretation,bearing,why\n01,1,"never closed\n', "cannot be read"),
    ("notebook,entry,record,document,interpretation,bearing,why\n01,one,x,,Shen,supports,y\n",
     "not a whole number from 1 on (line 2)"),
    (b"\xff\xfe\x00bad", "cannot be read"),
])
def test_a_malformed_file_gives_one_line_and_is_never_overwritten(log, content, message):
    data = content if isinstance(content, bytes) else content.encode()
    log.write_bytes(data)
    for attempt in (evidence_log.read, evidence_log.read_back, _row):
        with pytest.raises(YaluError, match=message.replace("(", r"\(").replace(")", r"\)")) as err:
            attempt()
        assert "\n" not in str(err.value) and "left as it is" in str(err.value)
        assert log.read_bytes() == data, "a file the student may repair is left untouched"


def test_a_spreadsheet_saved_file_with_a_bom_is_read(log):
    _row("01")
    log.write_bytes(b"\xef\xbb\xbf" + log.read_bytes())
    assert evidence_log.read()["notebook"].tolist() == ["01"]


def test_a_missing_folder_is_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("YALU_EVIDENCE_LOG", str(tmp_path / "nowhere" / "log.csv"))
    with pytest.raises(YaluError, match="does not exist"):
        _row()


def test_a_stale_lock_from_a_dead_kernel_does_not_block(log):
    lock = log.with_name(log.name + ".lock")
    lock.touch()
    os.utime(lock, (1, 1))
    _row()
    assert not lock.exists() and len(evidence_log.read()) == 1


def _writer(path: str, notebook: str, n: int) -> None:
    os.environ["YALU_EVIDENCE_LOG"] = path
    for k in range(1, n + 1):
        _row(notebook, entry=k, why=f"row {k} of {notebook}")


def test_two_notebooks_saving_at_once_keep_every_row(log):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(log), nb, 25)) for nb in ("04", "05", "06")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    back = evidence_log.read()
    assert len(back) == 75 and sorted(set(back["notebook"])) == ["04", "05", "06"]
    assert not list(log.parent.glob("*.tmp")) and not list(log.parent.glob("*.lock"))


def test_without_the_lock_concurrent_saves_lose_rows(log, monkeypatch):
    """The control: the same read-modify-write without the lock loses rows (so the test above can fail)."""
    import contextlib
    import threading
    monkeypatch.setattr(evidence_log, "_locked", lambda path: contextlib.nullcontext())
    real_read = evidence_log.read

    def slow_read(path=None):
        frame = real_read(path)
        threading.Event().wait(0.01)
        return frame
    monkeypatch.setattr(evidence_log, "read", slow_read)
    threads = [threading.Thread(target=lambda nb=nb: [_row(nb, entry=k) for k in range(1, 6)])
               for nb in ("04", "05")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(real_read()) < 10


def test_tally_counts_all_four_interpretations(log):
    _row("01", interpretation="Whiting", bearing="strains")
    _row("02", interpretation="Whiting", bearing="strains")
    _row("03", interpretation="Goncharov")
    counts = evidence_log.tally()
    assert list(counts.index) == list(evidence_log.INTERPRETATIONS)
    assert counts.loc["Whiting"].tolist() == [0, 2] and counts.loc["Shen"].tolist() == [0, 0]


# --- the kernel test: a row written in one notebook's kernel survives a restart and is read back
# in the next notebook's kernel.

def _run(kc, code: str) -> tuple[str, list[str]]:
    msg_id = kc.execute(code)
    out, errors = [], []
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            out.append(content["text"])
        elif kind == "error":
            errors.append(f"{content['ename']}: {content['evalue']}")
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(out), errors


def test_the_log_survives_a_kernel_restart_and_is_read_back_in_the_next_notebook(tmp_path):
    jupyter_client = pytest.importorskip("jupyter_client")
    path = tmp_path / "yalu-evidence-log.csv"
    env = {**os.environ, "YALU_EVIDENCE_LOG": str(path)}
    add = textwrap.dedent("""
        from yalu.evidence_log import add, read_back
        read_back()
        add(notebook="04", record="The NEBDA is formed", interpretation="Whiting", bearing="strains",
            why="Preparations began in July, before the UN advance north.")
        print("saved")
    """)
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="python3", env=env, cwd=str(ROOT / "notebooks"))
    try:
        out, errors = _run(kc, add)
        assert not errors and "saved" in out
        km.restart_kernel(now=True)
        kc.wait_for_ready(timeout=60)
        out, errors = _run(kc, "print(len(globals().get('read_back', lambda: [])() ))")
        assert not errors and out.strip() == "0", "a restart really clears the kernel"
        out, errors = _run(kc, "from yalu.evidence_log import read_back\nlog = read_back()\nprint(log.loc[0, 'record'])")
        assert not errors and "1 row, from notebook 04" in out and "The NEBDA is formed" in out
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    # the next notebook: another kernel of its own
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="python3", env=env, cwd=str(ROOT / "notebooks"))
    try:
        out, errors = _run(kc, "from yalu.evidence_log import add, read_back\nread_back()\n"
                               "add(notebook='05', record='Cable No. 4785', interpretation='Shen', "
                               "bearing='supports', why='Air cover is put off.')\nprint(read_back()['notebook'].tolist())")
        assert not errors, errors
        assert "1 row, from notebook 04" in out and "['04', '05']" in out
        out, errors = _run(kc, "add(notebook='05', record='x', interpretation='Marx', bearing='supports', why='y')")
        assert errors == ["YaluError: unknown interpretation 'Marx': use one of Whiting, Chen 1994, "
                          "Goncharov, Lewis and Xue, Shen"], "bad input in a notebook is one line, not a traceback"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert path.read_text(encoding="utf-8").count("\n") == 3


def test_the_suite_keeps_logs_out_of_the_home_folder_and_the_repository():
    """conftest.py points every test (and every notebook under nbval) at a temporary log."""
    where = evidence_log.log_path()
    assert where.parent != Path.home() and ROOT not in where.parents


def test_a_log_in_the_course_folder_never_reaches_the_student_release(tmp_path):
    """On Binder the home folder is the course's checkout: a log there is ignored by git, and the
    release (tracked files only) leaves it out."""
    import subprocess

    from yalu.exercises.build import release
    planted = [ROOT / "yalu-evidence-log.csv", ROOT / "notebooks" / "yalu-evidence-log.csv"]
    for p in planted:
        assert not p.exists(), f"{p} already exists: not touching it"
    try:
        for p in planted:
            p.write_text("notebook,entry,record,document,interpretation,bearing,why\n", encoding="utf-8")
        for p in planted + [ROOT / "yalu-evidence-log.csv.lock", ROOT / ".yalu-evidence-log.csv.x.tmp"]:
            assert subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", str(p)]).returncode == 0, p
        assert subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", str(ROOT / "data" / "events.csv")]
                              ).returncode == 1, "the control: a course file is not ignored"
        out = release(tmp_path / "rel", out=lambda *a, **k: None)
        assert (out / "notebooks" / "01_leaning_to_one_side.ipynb").is_file()
        assert not [p for p in out.rglob("*evidence-log*") if ".git" not in p.parts]
    finally:
        for p in planted:
            p.unlink(missing_ok=True)


NARRATIVE = ["01_leaning_to_one_side", "02_treaty_talks", "03_korea_1949_1950", "04_preparing_to_intervene",
             "05_the_decision", "06_the_evidence"]


def _cells(stem):
    import json
    return json.loads((ROOT / "notebooks" / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]


def _src(cell):
    return "".join(cell["source"])


def _thread_problems(stem: str, cells: list) -> list[str]:
    problems = []
    code = [(i, _src(c)) for i, c in enumerate(cells) if c["cell_type"] == "code"]
    reads = [i for i, s in code if "read_back()" in s]
    adds = [i for i, s in code if re.search(r"^add\(notebook=\"0\d\"", s, flags=re.M)]
    heading = next((i for i, c in enumerate(cells) if _src(c).startswith("## Discussion questions")), len(cells))
    if not reads or reads[0] != code[1][0]:
        problems.append(f"{stem}: the log is not read back right after the first code cell")
    if stem.startswith("06"):
        if not any("tally(" in s and i < heading for i, s in code):
            problems.append(f"{stem}: no tally of the log before the discussion questions")
        if not any(_src(c).startswith("**Question for your log:** Argue") for c in cells):
            problems.append(f"{stem}: no prompt to argue from the log")
    elif len(adds) != 1 or not (reads and reads[0] < adds[0] < heading) \
            or f'notebook="{stem[:2]}"' not in dict(code)[adds[0]]:
        problems.append(f"{stem}: no row added to the log (for this notebook) before the discussion questions")
    return problems


def test_the_question_and_the_log_run_from_00_to_06():
    start = "\n".join(_src(c) for c in _cells("00_start_here"))
    assert "why did China intervene" in start and "read_back()" in start
    for name in evidence_log.INTERPRETATIONS:
        assert f"**{name}**" in start, f"Start here does not introduce {name}"
    problems = [p for stem in NARRATIVE for p in _thread_problems(stem, _cells(stem))]
    assert not problems, problems


def test_the_thread_check_sees_a_missing_row():
    cells = [c for c in _cells("03_korea_1949_1950") if not _src(c).startswith("# An example row")]
    assert _thread_problems("03_korea_1949_1950", cells)
