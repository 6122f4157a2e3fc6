"""Exercises: what check()/reveal() accept and say, the question bank, student versions, the release."""
from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from yalu.exercises import model_answers, start, summary
from yalu.exercises.answers import from_wire, to_wire
from yalu.exercises.bank import EXERCISE_SETS, get_set, people_vocabulary
from yalu.exercises.build import build, fresh_copy, release, strip_solutions, student_version
from yalu.exercises.questions import (
    KINDS,
    LEVELS,
    RECALL_KINDS,
    REVEAL_SENTENCE,
    ChoiceQuestion,
    DateQuestion,
    ExerciseSet,
    NamesQuestion,
    NumberQuestion,
    Reread,
    WrittenQuestion,
    judge,
)

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "instructor" / "solutions").glob("[0-9][0-9]_*.ipynb"))
NAMES = ["01_leaning_exercises", "02_treaty_exercises", "03_korea_exercises",
         "04_preparing_exercises", "05_decision_exercises", "06_evidence_exercises"]
SETS = [get_set(n) for n in NAMES]
PAPER = sorted((ROOT.parent / "shared" / "paper").glob("*.txt")) or sorted(Path("/work/shared/paper").glob("*.txt"))
ROW_ID = re.compile(r"\b(ev|com|air|tm|claim|conf|fn|ctx|src)_[a-z0-9_]+")

if "99" not in EXERCISE_SETS:  # the grader's tiny set, registered in this process too
    _spec = importlib.util.spec_from_file_location("_fixture_questions", ROOT / "tests" / "fixtures" / "fixture_questions.py")
    _spec.loader.exec_module(importlib.util.module_from_spec(_spec))


def shown(fn, *args, **kwargs) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        assert fn(*args, **kwargs) is None  # feedback is printed, nothing is echoed as a value
    return buf.getvalue()


@pytest.fixture()
def fx():
    return start("99")


HINT = Reread("01_leaning_to_one_side.ipynb", "4. The air-force aid requested and offered", "soviet_air")


def kinds_set() -> ExerciseSet:
    es = ExerciseSet("97", "97_kinds", "Kinds", "none.ipynb")
    es.add(DateQuestion("d", "chronology", HINT, expected=lambda: dt.date(1950, 10, 19)))
    es.add(NumberQuestion("n", "chronology", HINT, expected=lambda: 11, unit="days"))
    es.add(NumberQuestion("c", "tables", HINT, expected=lambda: 13, unit="divisions"))
    es.add(NamesQuestion("zhou", "tables", HINT, vocabulary=people_vocabulary, expected=lambda: ["Zhou Enlai"],
                         what="person"))
    es.add(NamesQuestion("mao", "tables", HINT, vocabulary=people_vocabulary, expected=lambda: ["Mao Zedong"],
                         what="person"))
    es.add(ChoiceQuestion("one", "sources", HINT, options={"a": ("A", "why a"), "b": ("B", "why b")}, accepted={"b"}))
    es.add(ChoiceQuestion("many", "sources", HINT, options={"a": ("A", "why a"), "b": ("B", "why b"),
                                                            "c": ("C", "why c")}, accepted={"a", "b"}, multiple=True))
    return es


# --------------------------------------------------------------------------- feedback states and forms


def test_correct_not_yet_not_answered(fx):
    check, _ = fx
    assert shown(check, "q1", 4).startswith("q1: correct.")
    out = shown(check, "q1", 7)
    assert out.startswith("q1: not yet.") and "Hint: Reread \u201c1. The fixture\u201d" in out
    for placeholder in (None, ..., "", '"your answer here"'):
        assert shown(check, "q1", placeholder).startswith("q1: not answered yet.")


@pytest.mark.parametrize("qid, answer, message", [
    ("q1", "4 or 5", "'4 or 5' does not read as one"),
    ("q1", "4.000", "could be 4 or 4,000"),
    ("q1", True, "not True/False"),
    ("q1", [4, 5], "your answer holds 2 values"),
    ("q1", 4.5, "has a fraction"),
    ("q1", {"a": 1}, "you gave a dictionary"),
    ("q1", float("nan"), "Your computation produced no value"),
    ("q1", pd.NA, "Your computation produced no value"),
    ("q1", pd.Series([], dtype="Int64"), "Your answer is empty"),
    ("q2", "abc", "as a list of letters"),
    ("q2", ["a", "b"], "missing: 'c'"),
    ("q2", ["a", "a", "b"], "'a' appears more than once"),
    ("q2", ["a", "x", "c"], "'x' is not one of the letters a, b, c"),
    ("q2", {"a", "b", "c"}, "A set has no order"),
    ("q2", 3, "you gave a number (3)"),
    ("q3", 12, "Write your answer as text"),
    ("q7", 1, "There is no question 'q7'"),
    (None, 1, "There is no question None"),
])
def test_bad_input_gets_a_specific_one_line_message(fx, qid, answer, message):
    check, _ = fx
    out = shown(check, qid, answer)
    assert "Traceback" not in out and message in out, out
    assert ": check the form of your answer." in out.splitlines()[0]


def test_wrong_call_shapes_get_a_usage_line(fx):
    check, reveal = fx
    for args, kwargs in [((), {}), (("q1",), {}), (("q1", 4, 5), {}), ((), {"q": "q1", "answer": 4}),
                         (("q1",), {"qid": "q2"})]:
        out = shown(check, *args, **kwargs)
        assert out.startswith('Usage: check("q1", answer)') and out.count("\n") == 1, out
    assert shown(check, question="q1", answer=4).startswith("q1: correct.")
    assert "reveal() is for written answers" in shown(reveal, "q1", 4)
    bad_check, _ = start("77")
    assert "Run the first code cell" in shown(bad_check, "q1", 4)


def test_long_input_is_never_echoed_in_full(fx):
    check, _ = fx
    long = "x" * 10_000
    for qid in ("q1", "q2"):
        out = shown(check, qid, long)
        assert len(out) < 600 and "x" * 100 not in out


def test_order_feedback(fx):
    check, _ = fx
    assert "reverse order" in shown(check, "q2", ["c", "b", "a"])
    assert "1 of 3 items are in the right place" in shown(check, "q2", ["a", "c", "b"])
    assert shown(check, "q2", ("A", '"b"', "(c)")).startswith("q2: correct.")  # tuple, case, quotes, brackets
    assert shown(check, "q2", np.array(["a", "b", "c"])).startswith("q2: correct.")


def test_dates_in_every_form():
    es = kinds_set()
    for value in (dt.date(1950, 10, 19), dt.datetime(1950, 10, 19, 8), pd.Timestamp("1950-10-19"),
                  np.datetime64("1950-10-19"), "1950-10-19", "19 October 1950", "October 19, 1950", "19 Oct 1950",
                  "19/10/1950", pd.Series(pd.to_datetime(["1950-10-19"]))):
        assert judge(es, "d", value).status == "correct", value
    fb = judge(es, "d", "10/05/1950")
    assert fb.status == "invalid" and "reads as two different days" in fb.text()
    assert "1951 is not the right year" in judge(es, "d", dt.date(1951, 10, 19)).text()
    assert "the year is right, but not the month" in judge(es, "d", dt.date(1950, 11, 19)).text()
    assert "right month, but not the right day" in judge(es, "d", dt.date(1950, 10, 18)).text()
    assert "produced no value" in judge(es, "d", pd.NaT).text()
    assert judge(es, "d", 1950).status == "invalid"


def test_numbers_from_pandas():
    es = kinds_set()
    delta = pd.Timestamp("1950-10-19") - pd.Timestamp("1950-10-08")
    assert judge(es, "n", delta).status == "correct"  # a Timedelta counts as days
    assert judge(es, "n", np.timedelta64(11, "D")).status == "correct"
    assert ".days" in judge(es, "c", delta).text()  # not a number of days: say how to get one
    for value in (np.int64(13), pd.Series([13]), np.array([13]), (13,), {13}, 13.0, pd.array([13], dtype="Int64")):
        assert judge(es, "c", value).status == "correct", value


def test_numeric_feedback_never_tells_or_invites_halving():
    es = kinds_set()
    for wrong in (12, 14, 26, 6, 1000):
        text = judge(es, "c", wrong).text().lower()
        assert "13" not in text
        for word in ("too high", "too low", "close", "half", "double", "higher", "lower"):
            assert word not in text


def test_names_people_type():
    es = kinds_set()
    for typed in ("Zhou", "zhou enlai", "ZHOU  EN-LAI", "Chou En-lai", "Premier Zhou", "Chou"):
        assert judge(es, "zhou", typed).status == "correct", typed
    for typed in ("Mao", "Mao Tse-tung", "Chairman Mao", "mao zedong", ["Mao"], {"Mao"}, pd.Series(["Mao"])):
        assert judge(es, "mao", typed).status == "correct", typed
    for given in ("Zedong", "Enlai"):
        fb = judge(es, "mao" if given == "Zedong" else "zhou", given)
        assert fb.status == "invalid" and "only part of a name" in fb.text()
    assert judge(es, "mao", "Zhou").status == "not_yet"  # a family name shared by two people, neither the answer
    fb = judge(es, "zhou", "Stallin")
    assert fb.status == "invalid" and "Did you mean 'Stalin" in fb.text()
    for q, answer in (("zhou", "Zhou Enlai"), ("mao", "Mao Zedong")):
        fb = judge(es, q, "Xyzzy Qwerty")
        assert fb.status == "invalid" and answer not in fb.text()
    fb = judge(es, "zhou", "Zhou Enl")  # a misspelling of the answer is not corrected into the answer
    assert "Zhou Enlai" not in fb.text()


def test_choices_people_type():
    es = kinds_set()
    for typed in ("b", "B", "(b)", '"b"', "'b'", ["b"], ("b",), {"b"}, pd.Series(["b"]), "\nb\n"):
        assert judge(es, "one", typed).status == "correct", typed
    assert judge(es, "one", ["a", "b"]).status == "invalid"
    assert "why a" in judge(es, "one", "a").text()
    for typed in (["a", "b"], {"b", "a"}, ("a", "b"), pd.Series(["b", "a"])):
        assert judge(es, "many", typed).status == "correct", typed


def test_wire_round_trip_gives_the_same_verdict():
    es = kinds_set()
    cases = [("d", pd.Timestamp("1950-10-19")), ("d", "19 October 1950"), ("d", np.datetime64("1950-10-18")),
             ("n", pd.Timedelta(days=11)), ("c", np.int64(13)), ("c", pd.Series([12])), ("c", float("nan")),
             ("mao", {"Mao"}), ("many", {"a", "b"}), ("one", pd.Series(["b"])), ("c", object())]
    for qid, value in cases:
        direct = judge(es, qid, value)
        wired = judge(es, qid, from_wire(json.loads(json.dumps(to_wire(value)))))
        assert (direct.status, direct.lines) == (wired.status, wired.lines), (qid, value)
    assert from_wire({"t": "int", "v": "9" * 5000}).__class__.__name__ == "Other"  # a forged giant number


def test_reveal_needs_an_answer_that_engages(fx):
    _, reveal = fx
    for empty in (None, "", "   "):
        assert shown(reveal, "q3", empty).startswith("q3: not answered yet.")
    filler = "words " * 20
    out = shown(reveal, "q3", filler)
    assert "check the form" in out and "Names the order" not in out and "Exemplar" not in out
    out = shown(reveal, "q3", "The first came, and then the second one.")
    assert out.startswith("q3: written answer: compare it with the rubric.")
    for text in ("Excellent: Names the order and dates it.", "Exemplar: \u201cFirst a, then b (1950).\u201d",
                 "Sources: the fixture.", "Good: Names the order.", "Adequate: Names one item.", "Weak: Names none."):
        assert text in out


def test_summary_lists_this_sessions_results(fx):
    check, _ = fx
    shown(check, "q1", 5)
    shown(check, "q1", 4)
    out = shown(summary)
    assert "q1 (look-up): correct" in out and "q2 (chronology):" in out


def test_a_broken_bank_entry_is_a_message_not_a_traceback():
    es = ExerciseSet("98", "98_broken", "Broken", "none.ipynb")
    es.add(NumberQuestion("q1", "tables", HINT, expected=lambda: 1 / 0))
    fb = judge(es, "q1", 3)
    assert fb.status == "invalid" and "could not be checked (ZeroDivisionError)" in fb.text()


# --------------------------------------------------------------------------- the bank


def _single_choices():
    return [q for es in SETS for q in es.questions.values() if isinstance(q, ChoiceQuestion) and not q.multiple]


def test_fair_choices():
    """No letter is right in more than 40 % of single-choice questions; the right option is the
    strictly longest in at most 30 % of them."""
    qs = _single_choices()
    assert len(qs) >= 10
    letters = Counter(next(iter(q.right_letters())) for q in qs)
    assert max(letters.values()) <= 0.4 * len(qs), letters
    longest = 0
    for q in qs:
        right = next(iter(q.right_letters()))
        lengths = {k: len(v[0]) for k, v in q.options.items()}
        if all(lengths[right] > n for k, n in lengths.items() if k != right):
            longest += 1
    assert longest <= 0.3 * len(qs), f"{longest} of {len(qs)} right options are the longest"


def test_every_answer_can_be_computed_and_is_not_empty():
    for es in SETS:
        for q in es.questions.values():
            for attr in ("expected", "accepted"):
                fn = getattr(q, attr, None)
                if callable(fn):
                    assert fn() not in (None, [], set()), f"{es.name} {q.qid}: empty {attr}"


def test_historical_thinking_shape():
    """Each set asks each of the five kinds of historical thinking; recall is at most a quarter; no
    question counts days or dates alone; one source analysis per set; a closing argument last."""
    thinking = [k for k in KINDS if k not in RECALL_KINDS]
    assert len(thinking) == 5
    everything = [q for es in SETS for q in es.questions.values()]
    assert all(q.kind in KINDS for q in everything), sorted({q.kind for q in everything} - set(KINDS))
    assert sum(q.kind in RECALL_KINDS for q in everything) <= 0.25 * len(everything)
    for es in SETS:
        qs = list(es.questions.values())
        missing = [k for k in thinking if not any(q.kind == k for q in qs)]
        assert not missing, f"{es.name} has no {missing} question"
        assert not any(isinstance(q, NumberQuestion) and q.unit == "days" for q in qs), f"{es.name}: a day count"
        assert not any(isinstance(q, DateQuestion) for q in qs), f"{es.name}: a date look-up"
        analysis = [q for q in qs if isinstance(q, WrittenQuestion) and q.passage]
        assert len(analysis) == 1 and analysis[0].kind == "sourcing", es.name
        q = analysis[0]
        assert q.passage and len(q.passage.split()) <= 50 and q.footnote
        assert (q.min_words, q.max_words) == (150, 250)
        if es.set_id >= "03":
            assert any(q.pandas for q in qs), f"{es.name} has no pandas question"
    last = list(SETS[-1].questions.values())[-1]
    assert isinstance(last, WrittenQuestion) and last.min_words >= 300
    assert "conflicts" in (last.hint.table or "")


def test_every_written_question_has_four_levels_with_exemplars():
    written = [(es.name, q) for es in SETS for q in es.questions.values() if isinstance(q, WrittenQuestion)]
    assert len(written) >= 12
    for name, q in written:
        assert tuple(lv.level for lv in q.rubric) == LEVELS, (name, q.qid)
        for lv in q.rubric:
            assert len(lv.description.split()) >= 5 and len(lv.exemplar.split()) >= 5, (name, q.qid, lv.level)
            assert len(lv.exemplar.split()) <= 120, (name, q.qid, lv.level, "an exemplar is short")
            for src in lv.sources:  # each cited source is the paper's footnote or an outside one, marked so
                assert re.fullmatch(r"Chen, fn\. \d+(-\d+)?", src) or "outside the paper" in src \
                    or src.startswith("the "), (name, q.qid, src)
            # an exemplar that cites a footnote names it in its sources
            for fn in re.findall(r"fn\. (\d+)", lv.exemplar):
                assert any(re.search(rf"\b{fn}\b", s) for s in lv.sources), (name, q.qid, lv.level, fn)
        top = q.rubric[0]
        assert top.sources, (name, q.qid, "the excellent exemplar names its sources")


def test_the_rubric_levels_differ_from_each_other():
    for es in SETS:
        for q in es.questions.values():
            if isinstance(q, WrittenQuestion):
                assert len({lv.exemplar for lv in q.rubric}) == 4 and len({lv.description for lv in q.rubric}) == 4


GUIDE = ROOT / "instructor" / "GUIDE.md"


def guide_list() -> list[tuple[str, str, str]]:
    """(set, question, kind) for every row of the guide's list of questions."""
    text = GUIDE.read_text(encoding="utf-8")
    block = text.split("<!-- question list: start -->", 1)[1].split("<!-- question list: end -->", 1)[0]
    return [(m[1], m[2], m[3]) for m in re.finditer(r"^\| (\d\d) \| (q\d+) \| ([a-z-]+) \|", block, flags=re.M)]


def shares_problems(rows: list[tuple[str, str, str]]) -> list[str]:
    """What the list breaks: a set without one of the five kinds, or recall above a quarter."""
    problems = []
    thinking = [k for k in KINDS if k not in RECALL_KINDS]
    for set_id in sorted({r[0] for r in rows}):
        kinds = {k for s, _, k in rows if s == set_id}
        problems += [f"set {set_id} has no {k} question" for k in thinking if k not in kinds]
    recall = sum(k in RECALL_KINDS for _, _, k in rows)
    if not rows or recall > 0.25 * len(rows):
        problems.append(f"recall is {recall} of {len(rows)} questions")
    problems += [f"{s} {q}: unknown kind {k!r}" for s, q, k in rows if k not in KINDS]
    return problems


def test_the_guide_lists_every_question_with_its_kind_and_the_shares_hold():
    rows = guide_list()
    assert rows == [(es.set_id, qid, q.kind) for es in SETS for qid, q in es.questions.items()]
    assert not shares_problems(rows), shares_problems(rows)
    stated = re.search(r"are (\d+) of the (\d+) questions", GUIDE.read_text(encoding="utf-8"))
    assert stated and (int(stated[1]), int(stated[2])) == (sum(k in RECALL_KINDS for *_, k in rows), len(rows))


def test_the_share_check_fails_on_a_broken_list():
    rows = guide_list()
    too_much_recall = [(s, q, "look-up") if i % 3 == 0 else (s, q, k) for i, (s, q, k) in enumerate(rows)]
    assert any("recall" in p for p in shares_problems(too_much_recall))
    no_corroboration = [(s, q, "sourcing" if (s, k) == ("04", "corroboration") else k) for s, q, k in rows]
    assert shares_problems(no_corroboration) == ["set 04 has no corroboration question"]


def _reveal_sentence_places() -> list[Path]:
    return [ROOT / "README.md", GUIDE, *SOLUTIONS, *sorted((ROOT / "exercises").glob("[0-9][0-9]_*_exercises.ipynb"))]


def test_one_sentence_says_what_reveal_shows_in_readme_guide_and_notebooks():
    places = _reveal_sentence_places()
    assert len(places) == 14
    for path in places:
        assert REVEAL_SENTENCE in path.read_text(encoding="utf-8").replace("\\\"", '"'), path.name
        if path.suffix == ".ipynb":  # the sentence sits in the notebook's own text, once
            nb = nbformat.read(path, as_version=4)
            assert sum(REVEAL_SENTENCE in c.source for c in nb.cells if c.cell_type == "markdown") == 1, path.name


def test_reveal_does_what_the_sentence_says():
    """Nothing before the minimum length and key points; then four levels, each with a description,
    an exemplar and its sources; never a mark, and never a model answer."""
    assert "minimum length" in REVEAL_SENTENCE and "four levels" in REVEAL_SENTENCE
    assert "(excellent, good, adequate, weak)" in REVEAL_SENTENCE and "never marks" in REVEAL_SENTENCE
    for es in SETS:
        check, reveal = start(es.set_id)
        for qid, q in es.questions.items():
            if not isinstance(q, WrittenQuestion):
                continue
            terms = " ".join(group[0] for group in q.key_terms)
            short = " ".join([terms] + ["word"] * max(0, q.min_words - len(terms.split()) - 2))
            out = shown(reveal, qid, short)
            assert "Exemplar" not in out and "Excellent" not in out, (es.name, qid)
            enough = " ".join([terms] + ["word"] * q.min_words)
            out = shown(reveal, qid, enough)
            assert out.startswith(f"{qid}: written answer: compare it with the rubric."), out[:200]
            for lv in q.rubric:
                assert f"{lv.level.capitalize()}: {lv.description}" in out
                assert lv.exemplar in out
                assert not lv.sources or "; ".join(lv.sources) in out
            assert out.count("Exemplar:") == 4 and "correct" not in out.split("\n", 1)[0]
            assert "Model answer" not in out


def test_no_question_is_about_the_damage_to_our_copy():
    for path in SOLUTIONS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown" and cell.source.startswith("### Question"):
                low = cell.source.lower()
                for word in ("garbled", "unreadable", "cited_in_extract", "our copy", "extract lacks"):
                    assert word not in low, (path.name, cell.source[:80])
    for es in SETS:
        for q in es.questions.values():
            assert not (q.hint.table == "sources" and "status" in q.hint.extra), (es.name, q.qid)


@pytest.mark.skipif(not PAPER, reason="the paper's text is not beside the project")
def test_passages_are_verbatim_from_the_paper():
    text = " ".join(PAPER[0].read_text(encoding="utf-8").split())
    for es in SETS:
        for q in es.questions.values():
            if isinstance(q, WrittenQuestion) and q.passage:
                assert " ".join(q.passage.split()) in text, f"{es.name} {q.qid}"
                assert f"<sup>{q.footnote}</sup>" in text


def test_hints_link_to_a_heading_and_show_no_row_ids():
    for es in SETS:
        for q in es.questions.values():
            notebook = ROOT / "notebooks" / q.hint.notebook
            body = json.loads(notebook.read_text(encoding="utf-8"))
            headings = {line.lstrip("#").strip() for c in body["cells"] if c["cell_type"] == "markdown"
                        for line in "".join(c["source"]).splitlines() if line.startswith("#")}
            assert q.hint.heading in headings, f"{es.name} {q.qid}: no heading {q.hint.heading!r}"
            assert q.hint.link.startswith(f"../notebooks/{q.hint.notebook}#")
            text = q.hint.text()
            assert not ROW_ID.search(text) and "**" not in text and "#" not in text, text


def test_no_message_shows_row_ids_markdown_or_the_answer():
    """Wrong answers of every form, on every question: no row id, no raw Markdown, and a wrong
    number never meets its right value in the feedback."""
    wrong = [0, 99999, "zzz", ["zzz"], dt.date(1900, 1, 1), "a", ["a", "b"]]
    for es in SETS:
        for qid, q in es.questions.items():
            if isinstance(q, WrittenQuestion):
                continue
            for value in wrong:
                fb = judge(es, qid, value)
                text = fb.text()
                assert not ROW_ID.search(text) and "**" not in text and "##" not in text, (es.name, qid, text)
                if isinstance(q, NumberQuestion) and fb.status != "correct":
                    body = " ".join(fb.lines)
                    assert not re.search(rf"(?<!\d){q.expected()}(?!\d)", body.replace(str(value), "")), (qid, body)


def _right_answer(q):
    if isinstance(q, ChoiceQuestion):
        right = sorted(q.right_letters())
        return right if q.multiple else right[0]
    return q.expected()


def test_every_right_answer_is_correct_and_its_explanation_shows_no_ids():
    for es in SETS:
        for qid, q in es.questions.items():
            if isinstance(q, WrittenQuestion):
                continue
            fb = judge(es, qid, _right_answer(q))
            assert fb.status == "correct", (es.name, qid, fb.text())
            for line in fb.lines:
                assert not ROW_ID.search(line) and "**" not in line and "CONTEXT" not in line, (es.name, qid, line)


def test_name_examples_never_hold_the_answer():
    for es in SETS:
        for qid, q in es.questions.items():
            if isinstance(q, NamesQuestion):
                text = judge(es, qid, "Xyzzy Qwerty").text()
                assert "Examples" in text or "for example" in text
                for name in q.expected():
                    assert name not in text, (es.name, qid, text)


# --------------------------------------------------------------------------- notebooks and student versions


def test_six_solution_notebooks():
    assert [p.stem for p in SOLUTIONS] == NAMES


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_solution_notebook_matches_the_bank(solution):
    nb = nbformat.read(solution, as_version=4)
    es = get_set(solution.stem)
    asked = [c.metadata["yalu"]["question"] for c in nb.cells
             if c.cell_type == "code" and "question" in c.metadata.get("yalu", {})]
    assert asked == list(es.questions), "every question of the bank has one answer cell, in order"
    for qid, q in es.questions.items():
        md = next(c for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("yalu", {}).get("question") == qid)
        code = next(c for c in nb.cells if c.cell_type == "code" and c.metadata.get("yalu", {}).get("question") == qid)
        listed = re.findall(r"^- \*\*([a-z])\*\*: (.*)$", md.source, flags=re.M)
        if isinstance(q, ChoiceQuestion):
            assert listed == [(k, v[0]) for k, v in q.options.items()], f"{qid}: options differ from the bank"
        if getattr(q, "items", None):
            assert listed == list(q.items.items()), f"{qid}: items differ from the bank"
        if isinstance(q, WrittenQuestion) and q.passage:
            assert f"\u201c{q.passage}\u201d (Chen, fn. {q.footnote})" in md.source
        if q.pandas:
            assert "load(" in code.source and "pandas" in md.source
        text = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in code.outputs)
        assert re.search(r": (correct|written answer: compare it with the rubric)\.", text), (qid, text)
        assert f"### Question {list(es.questions).index(qid) + 1} ({q.kind}" in md.source, (qid, md.source[:60])


def test_student_versions_up_to_date():
    res = build(ROOT, check_only=True, out=lambda *a: None)
    stale = [str(p.relative_to(ROOT)) for p in res.stale]
    assert not stale, f"out of date, run `make student-versions`: {stale}"


@pytest.mark.parametrize("solution", SOLUTIONS, ids=lambda p: p.stem)
def test_student_version_has_no_solutions_and_fitting_placeholders(solution):
    nb = nbformat.read(solution, as_version=4)
    student_file = ROOT / "exercises" / solution.name
    text = student_file.read_text(encoding="utf-8")
    _, models, removed = student_version(nb)
    for line in removed:
        for piece in line.splitlines():
            piece = piece.strip()
            if len(piece) > 12 and not piece.startswith("#"):
                assert piece not in text, f"solution text in {student_file.name}: {piece!r}"
    for model in models.values():
        for sentence in re.split(r"(?<=[.!?])\s+", model):
            if len(sentence) > 30:
                assert sentence not in text
    student = nbformat.read(student_file, as_version=4)
    for cell in student.cells:
        if cell.cell_type == "code" and "question" in cell.metadata.get("yalu", {}):
            if "reveal(" in cell.source:
                assert cell.source.startswith('my_answer = """')
            else:
                assert cell.source.startswith("answer = None  # your answer here"), cell.source


def test_strip_solutions_placeholders():
    out, removed = strip_solutions("### BEGIN SOLUTION\nair = load('soviet_air')\nanswer = int(air['x'].max())\n"
                                   "### END SOLUTION\ncheck('q1', answer)")
    assert out == "answer = None  # your answer here\ncheck('q1', answer)" and "air = load('soviet_air')" in removed
    assert strip_solutions('### BEGIN SOLUTION\nanswer = "b"\n### END SOLUTION\ncheck("q5", answer)')[0].startswith(
        "answer = None")
    text, _ = strip_solutions('### BEGIN SOLUTION\nmy_answer = """A long answer."""\n### END SOLUTION\nreveal("q6", my_answer)')
    assert text.startswith('my_answer = """\n\n"""  # write your answer between the triple quotes')
    with pytest.raises(ValueError):
        strip_solutions("### BEGIN SOLUTION\nanswer = 1\n")


def _tiny_repo(tmp_path: Path) -> Path:
    sol = tmp_path / "instructor" / "solutions"
    sol.mkdir(parents=True)
    (tmp_path / "exercises").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "00_start.ipynb").write_text("{}", encoding="utf-8")
    cells = [
        nbformat.v4.new_markdown_cell("# Tiny"),
        nbformat.v4.new_code_cell("### BEGIN SOLUTION\nanswer = 4  # SECRET-NUMBER\n### END SOLUTION\ncheck('q1', answer)",
                                  metadata={"yalu": {"question": "q1"}}),
        nbformat.v4.new_markdown_cell("The model answer: SECRET-MODEL-TEXT.",
                                      metadata={"tags": ["solution"], "yalu": {"question": "q2"}}),
        nbformat.v4.new_code_cell("print('instructor only')", metadata={"tags": ["instructor-only"]}),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), sol / "01_tiny_exercises.ipynb")
    return tmp_path


def test_build_writes_templates_and_never_loses_student_work(tmp_path):
    root = _tiny_repo(tmp_path)
    res = build(root, out=lambda *a: None)
    target = root / "exercises" / "01_tiny_exercises.ipynb"
    assert target in res.written
    text = target.read_text(encoding="utf-8")
    assert "SECRET-NUMBER" not in text and "SECRET-MODEL-TEXT" not in text and "instructor only" not in text
    blob = (root / "src" / "yalu" / "model_answers.json").read_text(encoding="utf-8")
    assert "SECRET-MODEL-TEXT" not in blob
    assert "SECRET-MODEL-TEXT" in model_answers.decode(json.loads(blob)["data"])["01"]["q2"]
    assert build(root, out=lambda *a: None).written == []
    worked = nbformat.read(target, as_version=4)
    worked.cells[1].source = "answer = 5\ncheck('q1', answer)"
    worked.cells[1].outputs = [nbformat.v4.new_output("stream", text="q1: not yet.\n")]
    nbformat.write(worked, target)
    res = build(root, out=lambda *a: None)
    assert res.backups and "answer = 5" in res.backups[0][1].read_text(encoding="utf-8")
    typed = nbformat.read(target, as_version=4)  # typed but never run: no outputs, still work
    typed.cells[1].source = "answer = 6\ncheck('q1', answer)"
    nbformat.write(typed, target)
    res = build(root, out=lambda *a: None)
    assert res.backups and "answer = 6" in res.backups[0][1].read_text(encoding="utf-8")
    assert build(root, out=lambda *a: None).backups == []


def test_fresh_copy_never_replaces(tmp_path):
    root = _tiny_repo(tmp_path)
    build(root, out=lambda *a: None)
    dest = tmp_path / "student"
    dest.mkdir()
    said = []
    first = fresh_copy("01", dest, root=root, out=said.append)
    first.write_text("MY WORK", encoding="utf-8")
    second = fresh_copy("01_tiny_exercises", dest, root=root, out=said.append)
    assert second.name == "01_tiny_exercises-copy2.ipynb" and first.read_text(encoding="utf-8") == "MY WORK"
    assert "already exists" in said[-1]
    with pytest.raises(SystemExit, match="The exercises are: 01_tiny_exercises"):
        fresh_copy("07", dest, root=root, out=said.append)


def test_release_leaves_out_the_instructors_material(tmp_path):
    dest = tmp_path / "release"
    proc = subprocess.run([sys.executable, "-m", "yalu.exercises", "release", str(dest)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    files = [p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()]
    assert "exercises/01_leaning_exercises.ipynb" in files and "data/datapackage.json" in files
    assert "src/yalu/exercises/bank.py" in files and "notebooks/00_start_here.ipynb" in files
    assert not [f for f in files if f.startswith(("instructor/", "tests/", ".git/", ".venv/"))]
    assert "src/yalu/model_answers.json" not in files
    models = model_answers.load()
    for f in files:
        if f.endswith((".ipynb", ".py", ".md", ".json")):
            text = (dest / f).read_text(encoding="utf-8", errors="replace")
            assert not f.endswith(".ipynb") or "### BEGIN SOLUTION" not in text, f
            for per_set in models.values():
                for model in per_set.values():
                    assert model[:60] not in text, f
    again = subprocess.run([sys.executable, "-m", "yalu.exercises", "release", str(dest)], capture_output=True,
                           text=True, timeout=120)
    assert again.returncode != 0 and "not empty" in again.stderr + again.stdout and "Traceback" not in again.stderr


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True, timeout=60)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_release_copies_only_tracked_files(tmp_path):
    root = _tiny_repo(tmp_path / "repo")
    build(root, out=lambda *a: None)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "tiny")
    for stray in ("notebooks/scratch.ipynb", "submissions/anna/01_tiny_exercises.ipynb", "graded/gradebook.csv",
                  "venv2/lib/site.py", "exercises/01_tiny_exercises-mine.ipynb"):
        (root / stray).parent.mkdir(parents=True, exist_ok=True)
        (root / stray).write_text("{}", encoding="utf-8")
    dest = release(tmp_path / "release", root=root, out=lambda *a: None)
    files = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert files == ["exercises/01_tiny_exercises.ipynb", "notebooks/00_start.ipynb"]


def test_release_without_git_says_so(tmp_path, monkeypatch):
    root = _tiny_repo(tmp_path / "repo")
    build(root, out=lambda *a: None)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(SystemExit, match="git is not installed"):
        release(tmp_path / "release", root=root, out=lambda *a: None)
    monkeypatch.undo()
    with pytest.raises(SystemExit, match="not a git checkout"):
        release(tmp_path / "release2", root=root, out=lambda *a: None)


def test_plugins_are_loaded_before_any_thread_sees_them(tmp_path):
    """With -j 2 the grader looks sets up from two threads; the second must not miss a slow plugin."""
    plugin = tmp_path / "slow_plugin.py"
    fixture = Path(__file__).parent / "fixtures" / "fixture_questions.py"
    plugin.write_text("import time\ntime.sleep(1)\n" + fixture.read_text(encoding="utf-8"), encoding="utf-8")
    script = ("import threading\nfrom yalu.exercises.bank import get_set\nerrors = []\n"
              "def look():\n    try:\n        get_set('99')\n    except KeyError as exc:\n        errors.append(exc)\n"
              "threads = [threading.Thread(target=look) for _ in range(2)]\n"
              "[t.start() for t in threads]\n[t.join() for t in threads]\nprint('errors', len(errors))")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "YALU_QUESTION_PLUGINS": str(plugin)})
    assert proc.stdout.strip() == "errors 0", proc.stderr[-2000:]


@pytest.mark.parametrize("path", sorted((ROOT / "instructor" / "solutions").glob("[0-9][0-9]_*.ipynb"))
                         + sorted((ROOT / "exercises").glob("[0-9][0-9]_*_exercises.ipynb")), ids=lambda p: p.name)
def test_questions_have_their_own_section_in_the_outline(path):
    """In JupyterLab's table of contents every question sits under "## Questions", not under
    "## How feedback works"."""
    nb = nbformat.read(path, as_version=4)
    section, seen = None, 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if re.match(r"##\s", line):
                section = line[3:].strip()
            elif line.startswith("### Question"):
                seen += 1
                assert section == "Questions", f"{path.name}: {line!r} is under {section!r}"
    assert seen >= 5
