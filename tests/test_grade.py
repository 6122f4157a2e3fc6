"""The grader: python -m yalu.grade on crafted submissions (tests/fixtures/submissions).

The fixtures use a tiny exercise set "99" (tests/fixtures/fixture_questions.py, loaded through
$YALU_QUESTION_PLUGINS), so these tests do not depend on the data tables. Every hostile case of
issue 11 has a submission: a monkeypatched check, a forged log, a redefined check, a daemon,
a 3 GB allocation, 100 MB of output, os._exit after q4; the one that reads another student's
file through /proc is written here, because it needs that file's path.
"""
from __future__ import annotations

import csv
import hashlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from yalu.grade.sandbox import bwrap_available

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures"
_spec = importlib.util.spec_from_file_location("_yalu_make_fixtures", FIX / "make_fixtures.py")
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)
GOOD, NAME, notebook, write = _fixtures.GOOD, _fixtures.NAME, _fixtures.notebook, _fixtures.write
PLUGIN = FIX / "fixture_questions.py"
TIMEOUT = 8  # seconds per notebook: the endless loop must be stopped quickly

NO_BOX = "bubblewrap is missing or cannot make a sandbox here (apt-get install bubblewrap)"
HAS_BOX = bwrap_available() is not None


def _need_box() -> None:
    """Skip without a working sandbox; under CI=true fail instead, so CI cannot pass without it."""
    if HAS_BOX:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{NO_BOX} (CI=true: the grader tests must run)", pytrace=False)
    pytest.skip(NO_BOX)


@pytest.fixture
def box():
    _need_box()


@pytest.fixture
def outside_tmp():
    """A folder outside /tmp (the box hides /tmp anyway), removed afterwards."""
    base = Path(tempfile.mkdtemp(prefix="yalu-grade-test-", dir="/var/tmp" if os.path.isdir("/var/tmp") else None))
    yield base
    shutil.rmtree(base, ignore_errors=True)


def _digest(folder: Path) -> dict[str, tuple[str, int]]:
    return {str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


SNOOP = """import glob, os, pathlib
found = []
victim = pathlib.Path({victim!r})
for attempt in (victim.read_bytes, lambda: victim.write_text("PWNED")):
    try:
        attempt()
        found.append("victim")
    except OSError:
        pass
for folder in ({subs!r}, {out!r}):
    if os.path.isdir(folder) and os.listdir(folder):
        found.append(folder)
for link in glob.glob("/proc/[0-9]*/cwd") + glob.glob("/proc/[0-9]*/root/" + {subs!r}.lstrip("/")):
    try:
        if any(name.startswith("99_") for name in os.listdir(link)):
            found.append(link)
    except OSError:
        pass
for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
    try:
        if b"yalu.grade" in open(cmdline, "rb").read() and b"runner" not in open(cmdline, "rb").read():
            found.append(cmdline)
    except OSError:
        pass
print(found)"""

# Ways out of the box: a Unix socket of the host, the host's /run and /var, the repository's
# history and solutions, the stored model answers, capabilities (a grader running as root),
# the runner's pipe back to the grader.
ESCAPE = """import os, socket, subprocess
found = []
sock = socket.socket(socket.AF_UNIX)
sock.settimeout(2)
try:
    sock.connect({sock!r})
    found.append("socket")
except OSError:
    pass
for folder in {folders!r}:
    try:
        if os.listdir(folder):
            found.append(folder)
    except OSError:
        pass
for secret in ({repo!r} + "/.git", {repo!r} + "/instructor/solutions"):
    if os.path.exists(secret):
        found.append(secret)
try:
    shown = subprocess.run(["git", "-C", {repo!r}, "show", "HEAD:README.md"], capture_output=True, timeout=20)
    if shown.returncode == 0 and shown.stdout:
        found.append("git show")
except (OSError, subprocess.SubprocessError):
    pass
try:
    if open({models!r}).read().strip():
        found.append("model answers")
except OSError:
    pass
caps = [line for line in open("/proc/self/status") if line.startswith("CapEff:")]
if not caps or int(caps[0].split()[1], 16):
    found.append("capabilities")
try:
    open("/proc/%d/fd/1" % os.getppid(), "w").close()
    found.append("runner's pipe")
except OSError:
    pass
print(found)"""


def _env():
    return {**os.environ, "YALU_QUESTION_PLUGINS": str(PLUGIN)}


@pytest.fixture(scope="module")
def graded():
    """Run the grader once (as a command, the way an instructor runs it) on a copy of the fixtures.

    Everything lives under /var/tmp, not pytest's /tmp (which the box replaces anyway), so
    the hiding of the submissions and the output is really tested."""
    _need_box()
    base = Path(tempfile.mkdtemp(prefix="yalu-grade-test-", dir="/var/tmp" if os.path.isdir("/var/tmp") else None))
    listener = socket.socket(socket.AF_UNIX)
    try:
        yield _grade_fixtures(base, listener)
    finally:
        listener.close()
        shutil.rmtree(base, ignore_errors=True)


def _grade_fixtures(base: Path, listener: socket.socket) -> dict:
    subs = base / "submissions"
    shutil.copytree(FIX / "submissions", subs)
    (subs / "empty").mkdir()
    out = base / "out"
    templates = base / "templates"
    shutil.copytree(FIX / "templates", templates)
    shutil.copy(FIX / "templates" / NAME, templates / "42_extra_exercises.ipynb")  # no question set 42
    victim = subs / "good" / NAME
    # q1's answer is 4 (right) only if the snooping found nothing
    snoop = SNOOP.format(victim=str(victim), subs=str(subs), out=str(out))
    write(subs / "snoop" / NAME, notebook(("4 if not found else 99",) + GOOD[1:], extra={3: snoop}))
    sock = base / "host.sock"
    listener.bind(str(sock))
    listener.listen(5)
    listener.setblocking(False)
    python = Path(sys.base_prefix).resolve()
    folders = [f for f in ("/run", "/var", "/srv", "/mnt", "/media", "/opt", "/home", "/root")
               if Path(f) not in python.parents]  # a folder holding the kernel's Python must be there
    from yalu.exercises.model_answers import FILE as models

    escape = ESCAPE.format(sock=str(sock), folders=folders, repo=str(ROOT), models=str(models))
    write(subs / "escape" / NAME, notebook(("4 if not found else 99",) + GOOD[1:], extra={3: escape}))
    before = _digest(subs)
    started = time.time() - 1  # processes older than this run belong to somebody else on the machine
    proc = subprocess.run(
        [sys.executable, "-m", "yalu.grade", str(subs), "--out", str(out), "--templates", str(templates),
         "--timeout", str(TIMEOUT), "-j", "2"],
        capture_output=True, text=True, env=_env(), timeout=600,
    )
    try:
        listener.accept()
        connected = True
    except BlockingIOError:
        connected = False
    leftovers = [p.info["cmdline"] for p in psutil.process_iter(["cmdline", "create_time"])
                 if (p.info["create_time"] or 0) >= started
                 and any("yalu-daemon-marker" in part or "yalu.grade.runner" in part for part in (p.info["cmdline"] or []))]
    raw = (out / "gradebook.csv").read_bytes() if (out / "gradebook.csv").exists() else b""
    with (out / "gradebook.csv").open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    return {"proc": proc, "rows": rows, "raw": raw, "out": out, "subs": subs, "before": before,
            "leftovers": leftovers, "connected": connected}


def result(graded, student, question):
    found = [r["result"] for r in graded["rows"] if r["student"] == student and r["question"] == question]
    assert found, f"no row for {student} {question}"
    return found


def test_grader_exits_cleanly_without_a_traceback(graded):
    assert graded["proc"].returncode == 0, graded["proc"].stderr[-2000:]
    assert "Traceback" not in graded["proc"].stdout + graded["proc"].stderr
    assert "Empty" not in graded["proc"].stderr
    assert "grading: 100%" in graded["proc"].stderr  # the tqdm progress bar


def test_gradebook_columns_bom_and_no_formulas(graded):
    assert graded["raw"].startswith(b"\xef\xbb\xbf")
    assert list(graded["rows"][0]) == ["student", "filename", "exercise", "question", "result", "detail"]
    for row in graded["rows"]:
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@"), row
    assert result(graded, "'=formula", "q1") == ["correct"]


def test_good_and_blank(graded):
    assert result(graded, "good", "(notebook)") == ["ok"]
    assert [result(graded, "good", q)[0] for q in ("q1", "q2", "q3", "q4", "q5")] == [
        "correct", "correct", "for_review", "correct", "correct"]
    assert [result(graded, "blank", q)[0] for q in ("q1", "q2", "q3", "q4", "q5")] == ["not_answered"] * 5


def test_mixed_answers(graded):
    assert result(graded, "mixed", "q1") == ["invalid"]  # '4 or 5' is not one number
    assert result(graded, "mixed", "q2") == ["not_yet"]  # wrong order
    assert result(graded, "mixed", "q3") == ["invalid"]  # too short for the rubric
    assert result(graded, "mixed", "q5") == ["correct"]  # 9.0 is a whole number


def test_cell_that_raises_and_endless_loop(graded):
    assert result(graded, "broken", "(notebook)") == ["run_error"]
    assert result(graded, "broken", "q2") == ["error"]
    assert result(graded, "broken", "q1") == result(graded, "broken", "q4") == ["correct"]
    assert result(graded, "loop", "(notebook)") == ["timeout"]
    assert result(graded, "loop", "q1") == ["correct"]
    assert result(graded, "loop", "q5") == ["not_run"]


def test_structure_problems(graded):
    assert result(graded, "notjson", "(notebook)") == ["invalid_notebook"]
    assert "cells_deleted" in result(graded, "pruned", "(notebook)")
    assert result(graded, "pruned", "q2") == ["missing_cell"]
    assert "cells_reordered" in result(graded, "shuffled", "(notebook)")


def test_monkeypatched_check_only_fools_the_student_kernel(graded):
    assert [result(graded, "monkeypatch", q)[0] for q in ("q1", "q4", "q5")] == ["not_yet"] * 3


def test_forged_log_and_forged_records_are_only_answers(graded):
    assert result(graded, "forgedlog", "q1") == ["not_yet"]
    assert result(graded, "forgedlog", "q4") == ["not_yet"]
    assert result(graded, "forgedlog", "q5") == ["correct"]  # the forged value 9 is simply the right answer


def test_redefined_check_is_flagged_and_earns_nothing(graded):
    assert "check_cell_changed" in result(graded, "redefined", "(notebook)")
    assert result(graded, "redefined", "q1") == ["not_checked"]


def test_snooping_through_proc_finds_nothing(graded):
    assert result(graded, "snoop", "q1") == ["correct"]


def test_daemon_and_kernels_do_not_outlive_the_grader(graded):
    assert result(graded, "daemon", "q1") == ["correct"]  # the cell that started the daemon ran
    assert graded["leftovers"] == []


def test_memory_limit(graded):
    assert result(graded, "bigmemory", "q4") == ["error"]  # MemoryError inside the box
    row = next(r for r in graded["rows"] if r["student"] == "bigmemory" and r["question"] == "q4")
    assert "MemoryError" in row["detail"]
    assert result(graded, "bigmemory", "q5") == ["correct"]


def test_output_limit_keeps_the_answers(graded):
    assert "output_cut" in result(graded, "bigoutput", "(notebook)")
    assert [result(graded, "bigoutput", q)[0] for q in ("q2", "q4", "q5")] == ["correct"] * 3


def test_partial_credit_survives_os_exit(graded):
    assert "kernel_died" in result(graded, "exit_after_q4", "(notebook)")
    assert [result(graded, "exit_after_q4", q)[0] for q in ("q1", "q2", "q4")] == ["correct"] * 3
    assert result(graded, "exit_after_q4", "q5") == ["not_run"]


def test_redownload_rule(graded):
    rows = [r for r in graded["rows"] if r["student"] == "redownload"]
    assert {r["filename"] for r in rows if r["question"] == "q1"} == {"99_fixture_exercises (1).ipynb"}
    assert result(graded, "redownload", "q1") == ["correct"]
    assert any(r["filename"] == NAME and r["result"] == "superseded" for r in rows)


def test_lookalike_names_keep_their_own_feedback(graded):
    assert result(graded, "Anna Lee", "q1") == ["correct"]
    assert result(graded, "anna  lee", "q1") == ["not_answered"]
    files = sorted(p.name for p in (graded["out"] / "feedback").glob("*nna*"))
    assert len(files) == 2 and files[0].lower() != files[1].lower()
    texts = [(graded["out"] / "feedback" / f).read_text(encoding="utf-8") for f in files]
    assert {t.splitlines()[0] for t in texts} == {"# Feedback for Anna Lee", "# Feedback for anna  lee"}


def test_folders_without_a_notebook_get_a_row(graded):
    assert result(graded, "ziponly", "(notebook)") == ["no_notebook"]
    assert result(graded, "empty", "(notebook)") == ["no_notebook"]
    row = next(r for r in graded["rows"] if r["student"] == "ziponly")
    assert "my_work.zip" in row["detail"]


def test_feedback_and_summary(graded):
    good = (graded["out"] / "feedback" / "good.md").read_text(encoding="utf-8")
    assert "for review" in good and "It was the first and then the second." in good
    mixed = (graded["out"] / "feedback" / "mixed.md").read_text(encoding="utf-8")
    assert "does not read as one" in mixed and "Reread" in mixed
    with (graded["out"] / "summary.csv").open(newline="", encoding="utf-8-sig") as fh:
        summary = {r["student"]: r for r in csv.DictReader(fh)}
    assert summary["good"]["99_fixture_exercises (of 4)"] == "4"
    assert summary["good"]["for review"] == "1"
    assert summary["blank"]["total correct"] == "0"


def test_written_answers_are_listed_for_review_with_their_rubric(graded):
    review = (graded["out"] / "review.md").read_text(encoding="utf-8")
    section = review.split("## 99_fixture_exercises", 1)[1]
    assert section.index("### q3 (sourcing)") < section.index("| excellent | Names the order and dates it. |")
    for level in ("| excellent |", "| good |", "| adequate |", "| weak |"):
        assert level in section
    assert "First a, then b (1950)." in section and "the fixture" in section  # exemplar and its sources
    assert section.index("| weak |") < section.index("**good**")  # the rubric comes before the answers
    assert "It was the first and then the second." in section.split("**good**", 1)[1]


def test_review_lists_nothing_without_written_answers(tmp_path):
    from yalu.grade.report import write_review
    assert write_review({"x": [("99_fixture_exercises", [], None)]}, {}, tmp_path / "r.md") == 0
    assert "No written answers were recorded." in (tmp_path / "r.md").read_text(encoding="utf-8")


def test_originals_never_modified(graded):
    assert _digest(graded["subs"]) == graded["before"]


def test_refuses_without_bubblewrap(tmp_path):
    subs = tmp_path / "subs"
    shutil.copytree(FIX / "submissions" / "good", subs / "good")
    env = {**_env(), "PATH": str(Path(sys.executable).parent)}  # no bwrap on this PATH
    proc = subprocess.run([sys.executable, "-m", "yalu.grade", str(subs), "--templates", str(FIX / "templates")],
                          capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 2
    assert "bubblewrap" in proc.stderr and "--unsafe-no-sandbox" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "subs-graded").exists()


def test_out_folder_inside_submissions_is_refused(tmp_path):
    subs = tmp_path / "subs"
    shutil.copytree(FIX / "submissions" / "good", subs / "good")
    proc = subprocess.run([sys.executable, "-m", "yalu.grade", str(subs), "--out", str(subs / "out"),
                           "--templates", str(FIX / "templates")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "outside the submissions folder" in proc.stderr
    assert not (subs / "out").exists()


def test_solution_notebooks_as_submissions_are_all_correct(box, outside_tmp):
    """The six real exercises: the instructor's solutions, graded as one student's hand-in, get full marks."""
    from yalu.grade.cli import grade

    subs = outside_tmp / "subs"
    (subs / "teacher").mkdir(parents=True)
    for solution in sorted((ROOT / "instructor" / "solutions").glob("0[1-6]_*.ipynb")):
        shutil.copy(solution, subs / "teacher" / solution.name)
    rows = grade(subs, outside_tmp / "out", jobs=2, progress=False, echo=lambda *a: None)
    notebooks = [r for r in rows if r.question == "(notebook)"]
    assert len(notebooks) == 6 and {r.result for r in notebooks} == {"ok"}, notebooks
    results = {(r.exercise, r.question): r.result for r in rows if r.question != "(notebook)"}
    assert len(results) >= 48 and set(results.values()) <= {"correct", "for_review"}, results
    assert sum(v == "for_review" for v in results.values()) >= 12  # the written answers, never "correct"


def test_no_way_out_of_the_box(graded):
    """A host Unix socket outside /tmp, /run, /var, .git, the solutions, the model answers: none reachable."""
    assert graded["connected"] is False
    assert result(graded, "escape", "q1") == ["correct"]


def test_stored_outputs_never_count(graded):
    """Answers saved in the handed-in file, then os._exit(1) in the first cell: nothing was run, nothing counts."""
    assert "kernel_died" in result(graded, "stored_then_exit", "(notebook)")
    assert {result(graded, "stored_then_exit", q)[0] for q in ("q1", "q2", "q3", "q4", "q5")} == {"not_run"}


def test_a_kernel_cannot_forge_the_run_record(graded):
    """The forger overwrites every notebook it can reach, writes fake record lines, kills its runner."""
    assert "kernel_died" in result(graded, "forger", "(notebook)")
    assert {result(graded, "forger", q)[0] for q in ("q1", "q2", "q3", "q4", "q5")} == {"not_run"}


def test_template_without_a_question_set_is_skipped(graded):
    assert "skipped 42_extra_exercises.ipynb" in graded["proc"].stdout
    assert (graded["out"] / "summary.csv").is_file()


@pytest.mark.parametrize("args, message", [
    (["--timeout", "0"], "out of range"), (["--timeout", "nan"], "out of range"), (["--memory", "abc"], "not a number"),
    (["-j", "0"], "out of range"), (["--max-output", "-1"], "out of range"),
])
def test_bad_options_get_one_line(tmp_path, args, message):
    proc = subprocess.run([sys.executable, "-m", "yalu.grade", str(tmp_path)] + args, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_installed_copy_without_templates_gets_one_line(tmp_path, monkeypatch, capsys):
    from yalu.errors import YaluError
    from yalu.grade import cli

    def no_checkout():
        raise YaluError("cannot find the collection's folder")

    monkeypatch.setattr(cli, "repo_root", no_checkout)
    (tmp_path / "subs" / "good").mkdir(parents=True)
    assert cli.main([str(tmp_path / "subs"), "--unsafe-no-sandbox", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "--templates" in err and len(err.strip().splitlines()) == 1


def test_answer_mime_and_protocol_agree():
    from yalu.exercises.session import ANSWER_MIME
    from yalu.grade import runner, sandbox

    assert runner.ANSWER_MIME == ANSWER_MIME
    assert runner.PROTOCOL == sandbox.PROTOCOL


def test_box_mounts_an_allowlist_and_hides_secrets():
    from yalu.exercises.model_answers import FILE as models
    from yalu.grade.sandbox import Limits, _env, _expose, box_command

    cmd = box_command([], _expose(), ["true"], Limits(), _env())
    binds = [cmd[i + 1] for i, arg in enumerate(cmd) if arg in ("--ro-bind", "--bind")]
    assert "/" not in binds and not any(b.startswith(("/run", "/var", "/srv", "/mnt")) for b in binds)
    assert str(ROOT) not in binds and str(ROOT / "data") in binds
    if models.is_file():
        i = cmd.index(str(models))
        assert cmd[i - 2:i] == ["--ro-bind", "/dev/null"]


def test_probe_uses_the_real_box(monkeypatch):
    from yalu.grade import sandbox

    seen = []
    monkeypatch.setattr(sandbox.subprocess, "run", lambda cmd, **kw: seen.append(cmd) or
                        subprocess.CompletedProcess(cmd, 0))
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert sandbox.bwrap_available() == "/usr/bin/bwrap"
    cmd = seen[0]
    for part in ("--proc", "--dev", "--new-session", "prlimit", "--clearenv"):
        assert part in cmd
    assert cmd[-3:] == [sys.executable, "-c", "pass"]


def _run_unboxed(tmp_path, nb, timeout=30):
    from yalu.grade.sandbox import Limits, run_boxed

    path = tmp_path / NAME
    write(path, nb)
    return run_boxed(path, tmp_path, [], Limits(timeout=timeout), sandbox=False)


def test_unsafe_mode_passes_a_clean_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("YALU_QUESTION_PLUGINS", str(PLUGIN))
    monkeypatch.setenv("YALU_TEST_SECRET", "do-not-pass")
    leak = "import os\nleaked = [k for k in os.environ if 'SECRET' in k or k in ('VIRTUAL_ENV', 'PYTEST_CURRENT_TEST')]"
    run = _run_unboxed(tmp_path, notebook(("4 if not leaked else 99",) + GOOD[1:], extra={3: leak}))
    assert run.record["finished"] is True
    assert '"v": "4"' in str(run.outputs[3][0]).replace("'", '"')


def test_dead_kernel_is_not_finished_and_answers_are_capped(tmp_path, monkeypatch):
    monkeypatch.setenv("YALU_QUESTION_PLUGINS", str(PLUGIN))
    flood = ("from IPython.display import display\n"
             "for i in range(600):\n"
             "    display({'application/vnd.yalu.answer+json': {'set': '99', 'question': 'q1', 'answer': i}}, raw=True)")
    run = _run_unboxed(tmp_path, notebook(GOOD, after={3: flood, 7: "import os\nos._exit(1)"}))
    assert run.record["finished"] is False and run.record["died"] is not None
    assert run.record["cut"] and len(run.outputs[4][0]) <= 501
    assert max(run.outputs) == 8  # q4's cell ran, nothing after the exit


def test_process_limit_only_where_it_is_counted_per_namespace():
    from yalu.grade import sandbox

    assert sandbox._nproc_per_namespace("6.18.44-fc") and sandbox._nproc_per_namespace("5.14.0-rc1")
    assert not sandbox._nproc_per_namespace("5.10.0-28-amd64") and not sandbox._nproc_per_namespace("weird")
    cmd = sandbox.box_command([], [], ["true"], sandbox.Limits(processes=77), {})
    assert ("--nproc=77" in cmd) == sandbox._nproc_per_namespace()


def test_missing_sandbox_fails_under_ci(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "HAS_BOX", False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        _need_box()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        _need_box()


def test_no_run_record_means_no_answers():
    """When the box sends no record, even answers stored in the notebook count for nothing."""
    from yalu.exercises.bank import EXERCISE_SETS, get_set
    from yalu.grade.verdict import grade_run

    if "99" not in EXERCISE_SETS:  # the fixture set, registered in this process too
        spec = importlib.util.spec_from_file_location("_yalu_fixture_questions", PLUGIN)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))

    template = notebook()
    handed = _fixtures.stored(notebook(GOOD))
    g = grade_run("s", NAME, get_set("99"), template, handed, handed, {"started": False, "finished": False,
                                                                          "no_record": "the box failed"})
    results = {r.question: r.result for r in g.rows}
    assert results.pop("(notebook)") == "no_run" and set(results.values()) == {"not_run"}
    g = grade_run("s", NAME, get_set("99"), template, handed, handed, {"started": True, "finished": False,
                                                                          "last_cell": 4, "died": 5})
    results = {r.question: r.result for r in g.rows}
    assert results["q1"] == results["q2"] == "correct" and results["q4"] == "not_run"


def test_the_boxes_read_one_warmed_read_only_table_cache(box, tmp_path):
    from yalu.grade.sandbox import BOX_CACHE, Limits, _env, _expose, box_command, warm_cache

    cache = warm_cache(tmp_path / "table-cache")
    assert cache is not None and len(list(cache.glob("*.pickle"))) >= 5
    probe = (
        "import yalu.data as d\n"
        "def parsed(*a):\n    raise SystemExit('parsed a CSV again')\n"
        "d._parse = parsed\n"
        "print(len(d.load('events')))\n"
        "import os\n"
        "try:\n    open(os.path.join(os.environ['YALU_CACHE'], 'x'), 'w')\nexcept OSError:\n    print('read-only')\n"
    )
    cmd = box_command([], _expose(), [sys.executable, "-c", probe], Limits(timeout=30), _env(), cache)
    assert cmd[cmd.index(str(cache.resolve())) + 1] == BOX_CACHE
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr[-500:]
    lines = done.stdout.split()
    assert int(lines[0]) > 50 and lines[1] == "read-only"
    # without the cache the box checks the CSV itself (and may not keep it)
    cmd = box_command([], _expose(), [sys.executable, "-c", probe], Limits(timeout=30), _env())
    assert str(cache.resolve()) not in cmd
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert "parsed a CSV again" in done.stderr


@pytest.mark.parametrize("module", ["yalu.grade.runner", "yalu.grade"])
def test_the_runner_skips_the_iri_grammar_only_in_its_own_process(module):
    """The runner in its box and the grader command (so a wrong option is reported at once)."""
    import importlib.util

    assert importlib.util.find_spec("rfc3987_syntax") is not None, "installed with JupyterLab: the case to test"
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['runner', '--help']\n"
        f"try:\n    runpy.run_module({module!r}, run_name='__main__', alter_sys=True)\nexcept SystemExit:\n    pass\n"
        "import jsonschema\n"
        "print(sys.modules.get('rfc3987_syntax', 'absent') is None)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "True", done.stderr[-500:]
    imported = subprocess.run([sys.executable, "-c", "import sys, yalu.grade.runner\n"
                               "print(sys.modules.get('rfc3987_syntax', 'absent') is None)"],
                              capture_output=True, text=True, timeout=120)
    assert imported.stdout.strip() == "False", imported.stderr[-500:]


def test_without_a_box_each_run_writes_only_its_own_copy_of_the_cache(tmp_path):
    from yalu.grade.sandbox import Limits, run_boxed, warm_cache

    cache = warm_cache(tmp_path / "table-cache")
    before = {p.name: p.read_bytes() for p in cache.iterdir()}
    plant = ("import os, pathlib\n"
             "folder = pathlib.Path(os.environ['YALU_CACHE'])\n"
             "planted = [p.write_bytes(b'planted') for p in folder.glob('*.pickle')]\n"
             "(folder / 'new.pickle').write_bytes(b'planted')")
    path = tmp_path / NAME
    write(path, notebook(GOOD, extra={3: plant}))
    run = run_boxed(path, tmp_path, [], Limits(timeout=60), sandbox=False, cache=cache)
    assert run.record["finished"] is True and not run.record["errors"]
    assert {p.name: p.read_bytes() for p in cache.iterdir()} == before  # the shared cache is untouched
