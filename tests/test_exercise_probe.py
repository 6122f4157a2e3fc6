"""A probe of every question of the six sets with the answers students produce.

For each question: wrong, empty, odd-typed and hostile values (numpy 0-d and masked arrays,
huge integers, infinities, very long strings, objects whose methods fail) must give a one-line
message and never a traceback, echo no more than a short excerpt, and get the same verdict in
the grader (after the wire format) as in the notebook; the natural right forms a student types
("b, c, e", "a and b", "c.", "14 days", "250,000", "Molotov and Mikoyan", a printed Timestamp)
must be accepted; no hint or message on an answer that is not right names the answer.

Run ``python tests/test_exercise_probe.py`` for the counts.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from yalu.exercises import start
from yalu.exercises.answers import MAX_SHORT, from_wire, to_wire
from yalu.exercises.bank import get_set
from yalu.exercises.questions import (
    ChoiceQuestion,
    DateQuestion,
    NamesQuestion,
    NumberQuestion,
    OrderQuestion,
    WrittenQuestion,
    judge,
)

SET_IDS = ["01", "02", "03", "04", "05", "06"]
LONG = "x" * 1_000_000
DIGITS = "1" * 1_000_000


class _Nasty:
    """An object whose every method fails."""

    def __eq__(self, other):
        raise RuntimeError("eq")

    def __hash__(self):
        raise RuntimeError("hash")

    def __repr__(self):
        raise RuntimeError("repr")

    def __len__(self):
        raise RuntimeError("len")

    def __iter__(self):
        raise RuntimeError("iter")


class _NastyInt(int):
    def __int__(self):
        raise RuntimeError("int")

    def __repr__(self):
        raise RuntimeError("repr")


def _loop():
    a = []
    a.append(a)
    return a


def hostile_values():
    """(label, value) pairs: wrong, empty, odd-typed and hostile; none is a right answer to any question."""
    return [
        ("None", None), ("Ellipsis", ...), ("empty text", ""), ("spaces", "   "), ("placeholder", "your answer here"),
        ("zero", 0), ("minus one", -1), ("10**5000", 10**5000), ("-10**5000", -(10**5000)), ("inf", float("inf")),
        ("-inf", float("-inf")), ("nan", float("nan")), ("1e308", 1e308), ("np inf", np.float64("inf")),
        ("np int max", np.int64(2**63 - 1)), ("0-d array", np.array(-7)), ("0-d str array", np.array("zz")),
        ("empty array", np.array([])), ("2-d array", np.array([[1, 2], [3, 4]])), ("masked", np.ma.masked),
        ("masked array", np.ma.masked_array([1, 2], mask=[0, 1])), ("masked 0-d", np.ma.masked_array(5, mask=True)),
        ("NaT", pd.NaT), ("NA", pd.NA), ("empty Series", pd.Series([], dtype=float)),
        ("long Series", pd.Series(range(20_000))), ("DataFrame", pd.DataFrame({"a": [1], "b": [2]})),
        ("empty DataFrame", pd.DataFrame()), ("1 MB text", LONG), ("1 MB digits", DIGITS),
        ("1 MB letters", "a, " * 300_000), ("object", object()), ("function", lambda: 0), ("dict", {"a": 1}),
        ("nested", [[[]]]), ("self-containing list", _loop()), ("bytes", b"b"), ("complex", 1 + 2j), ("True", True),
        ("ambiguous date", "12/10/1950"), ("bad Timestamp text", "Timestamp('1950-13-45')"), ("brackets", "[" * 1000),
        ("half list", "['q'"), ("30 February", "1950-02-30"), ("NUL", "\x00"), ("emoji", "\U0001F642"),
        ("date.max", dt.date.max), ("Timestamp.max", pd.Timestamp.max), ("Timedelta.max", pd.Timedelta.max),
        ("huge Decimal", Decimal("1e5000")), ("Fraction", Fraction(1, 3)), ("bad date call", "date(1950, 10, 99)"),
        ("nasty object", _Nasty()), ("nasty int", _NastyInt(3)), ("letters not options", ["q", "z"]),
        ("unknown name", "Xyzzy Qwerty"), ("a date long ago", dt.date(1066, 10, 14)), ("huge list", list(range(50_000))),
    ]


def _fmt_day(d: dt.date) -> str:
    return f"{d.day} {d:%B}"


def natural_forms(q):
    """The forms of the right answer that students type; [] for written answers."""
    if isinstance(q, NumberQuestion):
        n = int(q.expected())
        forms = [n, str(n), f" {n} ", float(n), np.int64(n), np.array(n), np.array([n]), pd.Series([n]),
                 np.ma.masked_array([n]), f"{n}.0"]
        if q.unit:
            forms.append(f"{n} {q.unit}")
        if n >= 1000:
            forms += [f"{n:,}", f"{n:,} {q.unit}".strip(), f"more than {n:,}"]
        if q.unit == "days":
            forms += [pd.Timedelta(days=n), np.timedelta64(n, "D"), f"{n} day" if n == 1 else f"{n} days"]
        return forms
    if isinstance(q, DateQuestion):
        d = q.expected()
        ts = pd.Timestamp(d)
        forms = [d, dt.datetime(d.year, d.month, d.day), ts, str(ts), repr(ts), ts.isoformat(), d.isoformat(),
                 f"{d.day} {d:%B %Y}", f"{d:%B} {d.day}, {d.year}", f"{d.day} {d:%b} {d.year}", np.datetime64(d),
                 pd.Series([ts]), f"date({d.year}, {d.month}, {d.day})", f"{d.day}th {d:%B %Y}"]
        if d.day > 12:  # unambiguous day/month forms
            forms += [f"{d.day}/{d.month}/{d.year}", f"{d.month}/{d.day}/{d.year}", f"{d.day}.{d.month}.{d.year}"]
        return forms
    if isinstance(q, OrderQuestion):
        want = list(q.expected())
        return [want, tuple(want), ", ".join(want), " ".join(want), ",".join(want), str(want), repr(tuple(want)),
                [w.upper() for w in want], " -> ".join(want), np.array(want), pd.Series(want)]
    if isinstance(q, ChoiceQuestion):
        want = sorted(q.right_letters())
        if not q.multiple:
            x = want[0]
            return [x, x.upper(), f"{x}.", f"({x})", f"{x})", f"'{x}'", [x], {x}, f"option {x}", f" {x} \n"]
        return [want, set(want), tuple(want), want[::-1], ", ".join(want), " and ".join(want), " ".join(want),
                str(want), " & ".join(w.upper() for w in want), pd.Series(want)]
    if isinstance(q, NamesQuestion):
        want = list(q.expected())
        forms = [want, " and ".join(want), ", ".join(want), str(want), [w.upper() for w in want]]
        if not q.ordered:
            forms += [set(want), " and ".join(want[::-1])]
        if len(want) == 1:
            forms.append(want[0])
        extra = {"Molotov": ["V. M. Molotov", "Vyacheslav Molotov", "Molotov"],
                 "Anastas Mikoyan": ["A. I. Mikoyan", "Anastas Mikoyan", "Mikoyan"],
                 "Yak fighters": ["fighters", "Yaks"], "heavy bombers": ["bombers", "heavy bomber"]}
        if all(w in extra for w in want):
            for i in range(3):
                forms.append(" and ".join(extra[w][i % len(extra[w])] for w in want))
        return forms
    return []


def answer_texts(q) -> list[str]:
    """Ways a message could state the answer of ``q``."""
    if isinstance(q, NumberQuestion):
        n = int(q.expected())
        return [f" {n} ", f" {n}.", f"{n:,}", f"({n})", f" {n},"] if n >= 10 else []
    if isinstance(q, DateQuestion):
        return [_fmt_day(q.expected())]
    if isinstance(q, NamesQuestion):
        return list(q.expected())
    return []


def shown(fn, *args) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        result = fn(*args)
    assert result is None
    return buf.getvalue()


def probe():
    """Run the probe; return the counts and the list of problems found."""
    counts = {"questions": 0, "answers": 0, "tracebacks": 0, "long echoes": 0, "grader disagrees": 0,
              "right forms": 0, "right forms refused": 0, "answer named": 0, "hostile accepted": 0,
              "wrong choices": 0, "rubric shown early": 0}
    problems: list[str] = []
    for set_id in SET_IDS:
        es = get_set(set_id)
        check, reveal = start(set_id)
        for qid, q in es.questions.items():
            counts["questions"] += 1
            fn = reveal if isinstance(q, WrittenQuestion) else check
            named = answer_texts(q)
            hint_text = q.hint.text()
            for text in named:
                if text.strip(" .,()") and text in f" {hint_text} ":
                    counts["answer named"] += 1
                    problems.append(f"{set_id} {qid}: the hint names the answer ({text!r})")
            for label, value in hostile_values():
                counts["answers"] += 1
                try:
                    out = shown(fn, qid, value)
                except Exception as exc:  # noqa: BLE001 - the probe counts every escape
                    counts["tracebacks"] += 1
                    problems.append(f"{set_id} {qid} {label}: {type(exc).__name__}: {exc}"[:300])
                    continue
                if len(out) > 1500 or "x" * 60 in out or "1" * 60 in out or "a, " * 30 in out:
                    counts["long echoes"] += 1
                    problems.append(f"{set_id} {qid} {label}: echoes {len(out)} characters")
                if out.split("\n", 1)[0].endswith(": correct."):
                    counts["hostile accepted"] += 1
                    problems.append(f"{set_id} {qid} {label}: accepted")
                if isinstance(q, WrittenQuestion) and ("Exemplar" in out or "Excellent:" in out):
                    counts["rubric shown early"] += 1
                    problems.append(f"{set_id} {qid} {label}: the rubric is shown for an answer that does not count")
                for text in named:
                    if text in out and text.strip(" .,()") not in str(value)[:MAX_SHORT]:  # not the student's own text
                        counts["answer named"] += 1
                        problems.append(f"{set_id} {qid} {label}: the message names the answer ({text!r})")
                direct = judge(es, qid, value, "reveal" if fn is reveal else "check")
                wired = judge(es, qid, from_wire(json.loads(json.dumps(to_wire(value)))),
                              "reveal" if fn is reveal else "check")
                if (direct.status, direct.lines) != (wired.status, wired.lines):
                    counts["grader disagrees"] += 1
                    problems.append(f"{set_id} {qid} {label}: {direct.status} here, {wired.status} in the grader")
            for value in natural_forms(q):
                counts["answers"] += 1
                counts["right forms"] += 1
                try:
                    out = shown(fn, qid, value)
                except Exception as exc:  # noqa: BLE001
                    counts["tracebacks"] += 1
                    problems.append(f"{set_id} {qid} {value!r}: {type(exc).__name__}: {exc}"[:300])
                    continue
                wired = judge(es, qid, from_wire(json.loads(json.dumps(to_wire(value)))))
                if not out.split("\n", 1)[0].endswith(": correct.") or not wired.correct:
                    counts["right forms refused"] += 1
                    problems.append(f"{set_id} {qid} {value!r} refused: {out.strip()[:200]}")
            if isinstance(q, ChoiceQuestion):  # every wrong option: its feedback never names the right one
                right = q.right_letters()
                for x in (x for x in q.options if x not in right):
                    counts["answers"] += 1
                    counts["wrong choices"] += 1
                    out = shown(fn, qid, [x] if q.multiple else x)
                    named_here = [q.options[r][0] for r in right if q.options[r][0] in out]
                    named_here += [f"({r})" for r in right if f"({r})" in out]
                    if named_here or out.split("\n", 1)[0].endswith(": correct."):
                        counts["answer named"] += 1
                        problems.append(f"{set_id} {qid} wrong option {x!r}: names the answer {named_here}")
    return counts, problems


@pytest.fixture(scope="module")
def probed():
    return probe()


def test_the_probe_covers_every_question(probed):
    counts, _ = probed
    assert counts["questions"] == sum(len(get_set(s).questions) for s in SET_IDS)
    assert counts["right forms"] >= 5 * sum(not isinstance(q, WrittenQuestion)
                                            for s in SET_IDS for q in get_set(s).questions.values())


def test_every_wrong_option_is_tried(probed):
    counts, _ = probed
    assert counts["wrong choices"] == sum(len(q.options) - len(q.right_letters()) for s in SET_IDS
                                          for q in get_set(s).questions.values() if isinstance(q, ChoiceQuestion))


def test_the_probe_sees_a_wrong_option_that_names_the_answer(monkeypatch):
    """Control: an explanation that states the right option is caught."""
    es = get_set("05")
    q = es.questions["q3"]
    right = next(iter(q.right_letters()))
    wrong = next(x for x in q.options if x != right)
    broken = dict(q.options)
    broken[wrong] = (q.options[wrong][0], f"No: the answer is ({right}), {q.options[right][0]}.")
    monkeypatch.setattr(q, "options", broken)
    counts, problems = probe()
    assert counts["answer named"] >= 1 and any("05 q3 wrong option" in p for p in problems)


@pytest.mark.parametrize("what", ["tracebacks", "long echoes", "grader disagrees", "right forms refused",
                                  "answer named", "hostile accepted", "rubric shown early"])
def test_probe_finds_nothing(probed, what):
    counts, problems = probed
    assert counts[what] == 0, "\n".join(problems[:30])


if __name__ == "__main__":
    found, issues = probe()
    print("\n".join(issues[:200]))
    print(json.dumps(found, indent=1))
    sys.exit(1 if issues else 0)
