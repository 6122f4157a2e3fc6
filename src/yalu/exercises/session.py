"""The notebook side: ``check, reveal = start("01")``, then ``check("q1", answer)`` and ``summary()``.

Each check shows its feedback and records the answer *value* (never a verdict) in the
cell's output under the MIME type :data:`ANSWER_MIME`. The grader reads those values
and judges them again in its own process with its own question bank, so nothing a
notebook does to this module can change a grade.

>>> check, reveal = start("01")
>>> check()
Usage: check("q1", answer): the question's name in quotes, then your answer.
"""
from __future__ import annotations

from typing import Any

from yalu.exercises.answers import MAX_TEXT, to_wire
from yalu.exercises.bank import get_set
from yalu.exercises.questions import ATTEMPTED, LABELS, ExerciseSet, Feedback, WrittenQuestion, judge

__all__ = ["start", "summary", "ANSWER_MIME"]

ANSWER_MIME = "application/vnd.yalu.answer+json"

# This session's results, for summary() only (the grader never reads them).
_RESULTS: dict[str, dict[str, str]] = {}
_CURRENT: list[ExerciseSet | None] = [None]


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    return shell if shell is not None and getattr(shell, "kernel", None) is not None else None

def _emit(fb: Feedback, payload: dict) -> None:
    text, rich = fb.text(), fb.html()
    shell = _ipython()
    if shell is None:
        print(text)
        return
    from IPython.display import display

    display({"text/plain": text, "text/html": rich, ANSWER_MIME: payload}, raw=True)

class _Checker:
    """``check(question, answer)`` (or ``reveal``) bound to one exercise set; shows feedback, returns nothing."""

    def __init__(self, es: ExerciseSet, via: str):
        self._es, self._via = es, via

    def _usage(self) -> None:
        example = "my_answer" if self._via == "reveal" else "answer"
        print(f'Usage: {self._via}("q1", {example}): the question\'s name in quotes, then your answer.')

    def __call__(self, *args, **kwargs):
        names = {"qid": 0, "question": 0, "answer": 1, "my_answer": 1}
        if set(kwargs) - set(names) or len(args) + len(kwargs) != 2:
            return self._usage()
        slots = list(args) + [None] * (2 - len(args))
        for key, value in kwargs.items():
            if names[key] < len(args):
                return self._usage()
            slots[names[key]] = value
        qid, answer = slots
        es = self._es
        fb = judge(es, qid, answer, self._via)
        if isinstance(qid, str) and qid.strip().lower() in es.questions:
            _RESULTS.setdefault(es.set_id, {})[fb.qid] = fb.status
        wire = to_wire(answer)
        if wire.get("t") == "str":
            wire["v"] = wire["v"][:MAX_TEXT]
        payload = {"set": es.set_id, "question": qid.strip().lower() if isinstance(qid, str) else None,
                   "answer": wire}
        _emit(fb, payload)
        return None

    def __repr__(self):
        return f"<{self._via} for {self._es.name}>"

class _Unstarted:
    def __call__(self, *args, **kwargs):
        print("Run the first code cell with start(...) again: the exercise name was not recognised.")

def start(name: Any = None):
    """Choose the exercise set for this notebook: ``check, reveal = start("01")``."""
    try:
        es = get_set(name)
    except KeyError as exc:
        print(exc.args[0])
        return _Unstarted(), _Unstarted()
    _CURRENT[0] = es
    return _Checker(es, "check"), _Checker(es, "reveal")

def summary(name: Any = None) -> None:
    """Print what this session has checked in one exercise set (default: the one started last)."""
    try:
        es = _CURRENT[0] if name is None else get_set(name)
    except KeyError as exc:
        print(exc.args[0])
        return
    if es is None:
        print("Nothing checked yet: run the first code cell, then the questions.")
        return
    done = _RESULTS.get(es.set_id, {})
    print(f"{es.title}: your results so far")
    for qid, q in es.questions.items():
        status = done.get(qid)
        label = LABELS.get(status, "not checked yet") if status else "not checked yet"
        if isinstance(q, WrittenQuestion) and status == ATTEMPTED:
            label = "written: compared with the rubric"
        print(f"  {qid} ({q.kind}): {label}")
