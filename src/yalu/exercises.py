"""Exercises: the question bank, answer checking, and the student versions.

In an exercise notebook::

    from yalu.exercises import start
    check, reveal = start("01")          # the exercise set for notebook 01

    answer = ["b", "a", "c"]
    check("q1", answer)                  # prints feedback, never a traceback

    my_answer = "Two sources disagree about ..."
    reveal("q6", my_answer)              # written answers: model answer after an attempt

Feedback is plain printed text (deterministic, so the solution notebooks can be
tested with strict nbval). Every answer gets one of these results:

``correct``, ``not_yet`` (wrong, with a hint saying what to reread),
``not_answered`` (the placeholder is still there), ``invalid`` (the answer has the
wrong form: a message says what form is expected), ``attempted`` (a written
answer, self-assessed against the model answer).

Expected answers are computed from the data tables (:func:`yalu.data.load`) when
a check runs, never copied into the code.

Command line (``python -m yalu.exercises ...``):

``build [--check]``
    regenerate ``exercises/NN_*.ipynb`` from ``instructor/solutions/NN_*.ipynb``
    (solution regions replaced by placeholders, outputs cleared) and the
    obfuscated model answers in ``src/yalu/model_answers.json``. ``--check``
    writes nothing and exits 1 when something is out of date.
``fresh-copy NAME [DEST]``
    copy a clean student version to DEST (default: the current folder); never
    replaces an existing file: it picks ``NAME-copy2.ipynb`` etc. and says so.
"""
from __future__ import annotations

import ast
import base64
import copy
import datetime as _dt
import difflib
import json
import os
import re
import sys
import textwrap
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

__all__ = ["start", "check", "reveal", "summary", "Feedback", "build", "fresh_copy", "EXERCISE_SETS"]

# --------------------------------------------------------------------------- results

CORRECT, NOT_YET, NOT_ANSWERED, INVALID, ATTEMPTED = "correct", "not_yet", "not_answered", "invalid", "attempted"
_LABELS = {
    CORRECT: "correct",
    NOT_YET: "not yet",
    NOT_ANSWERED: "not answered yet",
    INVALID: "check the form of your answer",
    ATTEMPTED: "attempted (self-assessed)",
}


@dataclass
class Feedback:
    """The outcome of one check: a result and the lines shown to the student."""

    qid: str
    status: str
    lines: list[str] = field(default_factory=list)
    hint: str | None = None

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def text(self) -> str:
        head = f"{self.qid}: {_LABELS.get(self.status, self.status)}."
        body = [head] + [f"  {line}" for line in self.lines]
        if self.hint and self.status in (NOT_YET, INVALID):
            body.append(f"  Hint: {self.hint}")
        return "\n".join(body)

    def __str__(self) -> str:
        return self.text()


class _Invalid(Exception):
    """Raised inside an evaluator when the answer has the wrong form."""


# The last result of every question checked in this Python session, for the grader.
_LOG: dict[str, dict[str, dict]] = {}


def _record(set_id: str, fb: Feedback, detail: str = "") -> None:
    _LOG.setdefault(set_id, {})[fb.qid] = {"status": fb.status, "message": " ".join(fb.lines)[:500], "detail": detail}


def _report_json() -> str:
    """The session's results as JSON (the grader reads this after running a notebook)."""
    return json.dumps(_LOG, sort_keys=True)


# --------------------------------------------------------------------------- answer helpers


def _is_placeholder(answer: Any) -> bool:
    if answer is None or answer is Ellipsis:
        return True
    if isinstance(answer, str) and answer.strip() in ("", "...", "your answer here"):
        return True
    return False


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "True/False"
    if isinstance(value, str):
        return f"text ({value!r})"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a dictionary"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return "a date"
    return f"a {type(value).__name__}"


def _norm(text: str) -> str:
    text = text.strip().lower().replace("_", " ").replace("-", " ")
    text = re.sub(r"[.'\u2019\"]", "", text)
    return re.sub(r"\s+", " ", text)


def _as_letters(answer: Any, options: Iterable[str], what: str) -> list[str]:
    """A list of option letters from a list/tuple of strings; raises _Invalid otherwise."""
    options = list(options)
    if isinstance(answer, str):
        raise _Invalid(
            f"Give {what} as a list of letters, e.g. {options[:3]!r}, not as one piece of text."
        )
    if not isinstance(answer, (list, tuple)):
        raise _Invalid(f"Give {what} as a list of letters, e.g. {options[:3]!r}; you gave {_type_name(answer)}.")
    letters = []
    for item in answer:
        if not isinstance(item, str):
            raise _Invalid(f"Each item should be a letter in quotes, e.g. 'a'; {item!r} is {_type_name(item)}.")
        letter = item.strip().lower()
        if letter not in options:
            raise _Invalid(f"{item!r} is not one of the letters {', '.join(options)}.")
        letters.append(letter)
    return letters


def _as_date(answer: Any) -> _dt.date:
    import pandas as pd

    if isinstance(answer, pd.Timestamp):
        return answer.date()
    if isinstance(answer, _dt.datetime):
        return answer.date()
    if isinstance(answer, _dt.date):
        return answer
    if isinstance(answer, str):
        example = "date(1950, 10, 19)"
        m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*", answer)
        if m:
            example = f"date({int(m[1])}, {int(m[2])}, {int(m[3])})"
        raise _Invalid(
            f"You gave the date as text ({answer!r}). Write it as a date: {example} "
            "(year, month, day; `date` is imported at the top of the notebook)."
        )
    if isinstance(answer, (list, tuple)):
        raise _Invalid("Give one date, e.g. date(1950, 10, 19), not a list.")
    raise _Invalid(f"Give a date, e.g. date(1950, 10, 19); you gave {_type_name(answer)}.")


def _as_int(answer: Any) -> int:
    import numbers

    if isinstance(answer, bool):
        raise _Invalid("Give a whole number, not True/False.")
    if isinstance(answer, numbers.Integral):
        return int(answer)
    if isinstance(answer, numbers.Real):
        if float(answer) == int(answer):
            return int(answer)
        raise _Invalid(f"Give a whole number; {answer!r} has a fraction.")
    if isinstance(answer, str):
        if re.fullmatch(r"\s*-?[\d,]+\s*", answer):
            raise _Invalid(f"You gave the number as text ({answer!r}). Remove the quotes: answer = {answer.strip().replace(',', '')}")
        raise _Invalid(f"Give a whole number (e.g. 12), not text ({answer!r}).")
    if isinstance(answer, (list, tuple)):
        raise _Invalid("Give one whole number, not a list.")
    raise _Invalid(f"Give a whole number; you gave {_type_name(answer)}.")


# --------------------------------------------------------------------------- question kinds


@dataclass
class Question:
    """One question. Subclasses implement :meth:`evaluate` (answer -> Feedback)."""

    qid: str
    kind: str  # chronology | tables | sources | written
    hint: str  # where to reread: a section of a narrative notebook and/or a table

    def evaluate(self, answer: Any) -> Feedback:  # pragma: no cover - abstract
        raise NotImplementedError

    def fb(self, status: str, *lines: str) -> Feedback:
        return Feedback(self.qid, status, [ln for ln in lines if ln], self.hint)


@dataclass
class NumberQuestion(Question):
    """A whole number computed from the data (a count, a number of days)."""

    expected: Callable[[], int] = None
    unit: str = ""
    explain: Callable[[int], str] | str = ""
    near: int = 0  # a closer miss than this gets a "close" message

    def evaluate(self, answer):
        value = _as_int(answer)
        want = int(self.expected())
        if value == want:
            return self.fb(CORRECT, _text(self.explain, want))
        close = " You are close." if self.near and abs(value - want) <= self.near else ""
        side = "too high" if value > want else "too low"
        return self.fb(NOT_YET, f"{value} {self.unit} is {side}.{close}".replace("  ", " "))


@dataclass
class DateQuestion(Question):
    """A single day computed from the data."""

    expected: Callable[[], _dt.date] = None
    explain: Callable[[_dt.date], str] | str = ""

    def evaluate(self, answer):
        value = _as_date(answer)
        want = self.expected()
        if value == want:
            return self.fb(CORRECT, _text(self.explain, want))
        diff = (value - want).days
        where = "later" if diff > 0 else "earlier"
        closeness = "the right month, but not the right day" if (value.year, value.month) == (want.year, want.month) else "not the right month"
        return self.fb(NOT_YET, f"{value:%d %B %Y} is {closeness} (your date is {where} than the one in the table).")


@dataclass
class OrderQuestion(Question):
    """Put lettered items in order; the order is computed from the data (e.g. by date)."""

    items: dict[str, str] = field(default_factory=dict)  # letter -> label (shown in the notebook)
    expected: Callable[[], list[str]] = None  # the letters in the right order
    explain: Callable[[list[str]], str] | str = ""

    def evaluate(self, answer):
        letters = _as_letters(answer, self.items, "the order")
        dupes = sorted({x for x in letters if letters.count(x) > 1})
        if dupes:
            raise _Invalid(f"{', '.join(repr(d) for d in dupes)} appears more than once; use each letter once.")
        missing = [x for x in self.items if x not in letters]
        if missing:
            raise _Invalid(f"Put all {len(self.items)} items in order; missing: {', '.join(repr(m) for m in missing)}.")
        want = list(self.expected())
        if letters == want:
            return self.fb(CORRECT, _text(self.explain, want))
        if letters == want[::-1]:
            return self.fb(NOT_YET, "Your list is in reverse order: put the earliest first.")
        right = sum(a == b for a, b in zip(letters, want))
        first_wrong = next(i for i, (a, b) in enumerate(zip(letters, want)) if a != b)
        return self.fb(
            NOT_YET,
            f"{right} of {len(want)} items are in the right place; the first one out of place is position {first_wrong + 1}.",
        )


@dataclass
class ChoiceQuestion(Question):
    """Pick one option (or several, with ``multiple=True``).

    ``options`` maps a letter to (the option as shown, the explanation shown after
    it is picked). ``accepted`` is the set of letters counted as right (for
    ``multiple``: the exact set to pick), possibly computed from the data.
    """

    options: dict[str, tuple[str, str]] = field(default_factory=dict)
    accepted: Callable[[], set[str]] | set[str] = field(default_factory=set)
    multiple: bool = False
    explain: str = ""

    def _accepted(self) -> set[str]:
        return set(self.accepted() if callable(self.accepted) else self.accepted)

    def evaluate(self, answer):
        letters = list(self.options)
        if self.multiple:
            if isinstance(answer, str) and answer.strip().lower() in letters:
                answer = [answer]
            picked = _as_letters(answer, letters, "your choices")
            picked_set = set(picked)
            want = self._accepted()
            if picked_set == want:
                return self.fb(CORRECT, *[f"({x}) {self.options[x][1]}" for x in sorted(want)], self.explain)
            lines = []
            wrong = sorted(picked_set - want)
            for x in wrong:
                lines.append(f"({x}) should not be picked: {self.options[x][1]}")
            missed = len(want - picked_set)
            if missed:
                lines.append(f"{missed} right option{'s are' if missed > 1 else ' is'} still missing.")
            return self.fb(NOT_YET, *lines)
        if isinstance(answer, (list, tuple)):
            if len(answer) == 1:
                answer = answer[0]
            else:
                raise _Invalid(f"Pick one letter, e.g. answer = {letters[0]!r}, not a list.")
        if not isinstance(answer, str):
            raise _Invalid(f"Give one letter in quotes, e.g. answer = {letters[0]!r}; you gave {_type_name(answer)}.")
        letter = answer.strip().strip("()").lower()
        if letter not in self.options:
            raise _Invalid(f"{answer!r} is not one of the options {', '.join(letters)}; give just the letter, e.g. {letters[0]!r}.")
        why = self.options[letter][1]
        if letter in self._accepted():
            return self.fb(CORRECT, why, self.explain)
        return self.fb(NOT_YET, f"({letter}) {why}")


@dataclass
class NamesQuestion(Question):
    """Name one or more things from a vocabulary (people, aircraft types, units...).

    ``vocabulary`` returns {canonical name: [accepted spellings]}; ``expected``
    returns the set of canonical names that make the answer right. With
    ``ordered=True`` the names must be given in that order (a list).
    """

    vocabulary: Callable[[], dict[str, list[str]]] = None
    expected: Callable[[], list[str]] = None
    what: str = "name"
    ordered: bool = False
    explain: Callable[[list[str]], str] | str = ""

    def _resolve(self, item: Any, vocab: dict[str, list[str]]) -> str:
        if not isinstance(item, str):
            raise _Invalid(f"Give each {self.what} as text in quotes; {item!r} is {_type_name(item)}.")
        key = _norm(item)
        lookup = {}
        for canon, spellings in vocab.items():
            for s in [canon, *spellings]:
                lookup[_norm(s)] = canon
        if key in lookup:
            return lookup[key]
        close = difflib.get_close_matches(key, list(lookup), n=1, cutoff=0.6)
        if close:
            raise _Invalid(f"{item!r} is not one of the {self.what}s we know. Did you mean {lookup[close[0]]!r}?")
        shown = ", ".join(repr(c) for c in list(vocab)[:8])
        raise _Invalid(f"{item!r} is not one of the {self.what}s we know. Examples of accepted {self.what}s: {shown}.")

    def evaluate(self, answer):
        vocab = self.vocabulary()
        items = [answer] if isinstance(answer, str) else answer
        if not isinstance(items, (list, tuple, set)):
            raise _Invalid(f"Give the {self.what}(s) as text in quotes, e.g. [{next(iter(vocab))!r}]; you gave {_type_name(answer)}.")
        if not items:
            raise _Invalid(f"Your list is empty; put at least one {self.what} in it.")
        names = [self._resolve(x, vocab) for x in items]
        want = list(self.expected())
        if self.ordered:
            if names == want:
                return self.fb(CORRECT, _text(self.explain, want))
            if sorted(names) == sorted(want):
                return self.fb(NOT_YET, "You have the right ones, but not in the right order.")
            return self.fb(NOT_YET, f"{len(set(names) & set(want))} of your {len(names)} are right; the answer has {len(want)}.")
        got, need = set(names), set(want)
        if got == need:
            return self.fb(CORRECT, _text(self.explain, want))
        lines = []
        extra = sorted(got - need)
        if extra:
            lines.append(f"Not part of the answer: {', '.join(extra)}.")
        missing = len(need - got)
        if missing:
            lines.append(f"{missing} more {self.what}{'s are' if missing > 1 else ' is'} missing.")
        return self.fb(NOT_YET, *lines)


@dataclass
class WrittenQuestion(Question):
    """A short written answer, self-assessed against a model answer shown after an attempt."""

    min_words: int = 12

    def evaluate(self, answer):
        if not isinstance(answer, str):
            raise _Invalid(f"Write your answer as text between quotes (\"\"\"...\"\"\"); you gave {_type_name(answer)}.")
        words = len(answer.split())
        if words < self.min_words:
            raise _Invalid(
                f"Your answer has {words} word{'s' if words != 1 else ''}; write at least {self.min_words} "
                "(two or three sentences) before you look at the model answer."
            )
        model = _model_answer(_CURRENT_SET_FOR_EVAL[0], self.qid)
        lines = ["Compare your answer with the model answer below. Give yourself credit for each point you made.", ""]
        lines += ["Model answer:"] + [f"  {ln}" if ln else "" for ln in model.splitlines()]
        return Feedback(self.qid, ATTEMPTED, lines, self.hint)


_CURRENT_SET_FOR_EVAL = [""]


def _text(explain, value) -> str:
    return explain(value) if callable(explain) else (explain or "")


# --------------------------------------------------------------------------- exercise sets


@dataclass
class ExerciseSet:
    set_id: str  # "01"
    name: str  # "01_leaning_exercises"
    title: str
    narrative: str  # "01_leaning_to_one_side.ipynb"
    questions: dict[str, Question] = field(default_factory=dict)

    def add(self, q: Question) -> Question:
        if q.qid in self.questions:
            raise ValueError(f"{self.name}: question {q.qid} defined twice")
        self.questions[q.qid] = q
        return q


EXERCISE_SETS: dict[str, ExerciseSet] = {}


def register(es: ExerciseSet) -> ExerciseSet:
    EXERCISE_SETS[es.set_id] = es
    return es


def _load_plugins() -> None:
    """Extra question sets from files named in $YALU_QUESTION_PLUGINS (used by the tests)."""
    import importlib.util

    for i, path in enumerate(p for p in os.environ.get("YALU_QUESTION_PLUGINS", "").split(os.pathsep) if p):
        spec = importlib.util.spec_from_file_location(f"_yalu_plugin_{i}", path)
        if spec and spec.loader:
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)


_BANK_LOADED = [False]


def _ensure_bank() -> None:
    if not _BANK_LOADED[0]:
        _BANK_LOADED[0] = True
        from yalu import question_bank  # noqa: F401  (registers the six sets)

        _load_plugins()


def get_set(name: Any) -> ExerciseSet:
    """The exercise set for "01", "1", 1, "01_leaning_exercises" or "01_leaning_exercises.ipynb"."""
    _ensure_bank()
    key = str(name).strip()
    key = key[:-6] if key.endswith(".ipynb") else key
    m = re.match(r"^(\d+)", key)
    if m:
        key = f"{int(m[1]):02d}"
    if key not in EXERCISE_SETS:
        names = ", ".join(f"{k} ({v.name})" for k, v in sorted(EXERCISE_SETS.items()))
        raise KeyError(f"There is no exercise set {name!r}. The sets are: {names}.")
    return EXERCISE_SETS[key]


# --------------------------------------------------------------------------- check / reveal


def _run(es: ExerciseSet, qid: Any, answer: Any, via: str) -> Feedback:
    if not isinstance(qid, str) or qid.strip().lower() not in es.questions:
        known = ", ".join(es.questions)
        fb = Feedback(str(qid), INVALID, [f"There is no question {qid!r} in {es.name}; the questions are {known}."])
        return fb
    q = es.questions[qid.strip().lower()]
    if isinstance(q, WrittenQuestion) and via == "check":
        via = "reveal"
    if not isinstance(q, WrittenQuestion) and via == "reveal":
        return Feedback(q.qid, INVALID, [f"{q.qid} is checked with check({q.qid!r}, answer); reveal() is for written answers."])
    if _is_placeholder(answer):
        what = "your answer" if not isinstance(q, WrittenQuestion) else "a few sentences"
        fb = Feedback(q.qid, NOT_ANSWERED, [f"Replace the placeholder with {what}, then run this cell again."])
        _record(es.set_id, fb)
        return fb
    _CURRENT_SET_FOR_EVAL[0] = es.set_id
    try:
        fb = q.evaluate(answer)
    except _Invalid as exc:
        fb = Feedback(q.qid, INVALID, [str(exc)], q.hint)
    except Exception as exc:  # data missing or broken: say so, never a traceback
        from yalu.errors import YaluError

        if isinstance(exc, YaluError):
            msg = f"This answer cannot be checked right now because the data could not be loaded: {exc}"
        else:
            msg = f"This answer could not be checked ({type(exc).__name__}: {exc}). Tell your instructor."
        fb = Feedback(q.qid, INVALID, [msg])
        _record(es.set_id, fb, detail="check failed")
        return fb
    detail = f"{len(answer.split())} words" if isinstance(q, WrittenQuestion) and fb.status == ATTEMPTED else ""
    _record(es.set_id, fb, detail)
    return fb


def _show(fb: Feedback) -> None:
    print(fb.text())


class _Checker:
    """``check(qid, answer)`` bound to one exercise set; prints feedback, returns nothing."""

    def __init__(self, es: ExerciseSet, via: str):
        self._es, self._via = es, via

    def __call__(self, qid=None, answer=None, *extra):
        if extra:
            print(f"{self._via}() takes a question and one answer, e.g. {self._via}('q1', answer); "
                  "put several items in one list: ['a', 'b'].")
            return None
        _show(_run(self._es, qid, answer, self._via))
        return None

    def __repr__(self):
        return f"<{self._via} for {self._es.name}>"


def start(name: Any = None):
    """Choose the exercise set for this notebook: ``check, reveal = start("01")``."""
    try:
        es = get_set(name)
    except KeyError as exc:
        print(exc.args[0])
        return _Unstarted(), _Unstarted()
    _LOG.setdefault(es.set_id, {})
    _CURRENT[0] = es
    return _Checker(es, "check"), _Checker(es, "reveal")


class _Unstarted:
    def __call__(self, *args, **kwargs):
        print("Run the first code cell with start(...) again: the exercise name was not recognised.")


_CURRENT: list[ExerciseSet | None] = [None]


def check(qid=None, answer=None, *extra):
    """Check an answer in the exercise set chosen with :func:`start` (or use "01.q3")."""
    return _module_level("check", qid, answer, extra)


def reveal(qid=None, answer=None, *extra):
    """Show the model answer of a written question after a non-empty attempt."""
    return _module_level("reveal", qid, answer, extra)


def _module_level(via, qid, answer, extra):
    es = _CURRENT[0]
    if isinstance(qid, str) and "." in qid:
        prefix, qid = qid.split(".", 1)
        try:
            es = get_set(prefix)
        except KeyError as exc:
            print(exc.args[0])
            return None
    if es is None:
        print("Start with `check, reveal = start('01')` (the number of this exercise notebook), or name the "
              "question in full, e.g. check('01.q1', answer).")
        return None
    return _Checker(es, via)(qid, answer, *extra)


def summary(name: Any = None) -> None:
    """Print the results of this session for one exercise set (default: the current one)."""
    es = _CURRENT[0] if name is None else get_set(name)
    if es is None:
        print("Nothing checked yet.")
        return
    log = _LOG.get(es.set_id, {})
    print(f"{es.title}: your results so far")
    for qid, q in es.questions.items():
        status = log.get(qid, {}).get("status", "not checked yet")
        print(f"  {qid} ({q.kind}): {_LABELS.get(status, status)}")


# --------------------------------------------------------------------------- model answers

MODEL_ANSWERS_FILE = Path(__file__).with_name("model_answers.json")


def _encode(obj: Any) -> str:
    raw = json.dumps(obj, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def _decode(blob: str) -> Any:
    return json.loads(zlib.decompress(base64.b64decode(blob)).decode("utf-8"))


def _model_answers() -> dict:
    try:
        stored = json.loads(MODEL_ANSWERS_FILE.read_text(encoding="utf-8"))
        return _decode(stored["data"])
    except (OSError, ValueError, KeyError, zlib.error):
        return {}


def _model_answer(set_id: str, qid: str) -> str:
    text = _model_answers().get(set_id, {}).get(qid)
    if not text:
        return "(The model answer is not available: ask your instructor to run `make student-versions`.)"
    return text


# --------------------------------------------------------------------------- student versions


def repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "instructor" / "solutions").is_dir() or (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()


BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
SOLUTION_TAG = "solution"
INSTRUCTOR_TAG = "instructor-only"
WRITTEN_PLACEHOLDER = "*The model answer appears when you run `reveal` in the cell above with your own answer.*"


def _cell_meta(cell) -> dict:
    return cell.get("metadata", {}).get("yalu", {}) or {}


def _placeholder_lines(region: list[str], rest: str, indent: str) -> list[str]:
    """Placeholders for a solution region: ``name = None  # your answer here`` for each
    name assigned in the region and used after it; ``""`` for names assigned text."""
    source = textwrap.dedent("\n".join(region))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [f"{indent}# your answer here"]
    assigned: dict[str, bool] = {}
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        for t in targets:
            if isinstance(t, ast.Name):
                is_text = isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                assigned[t.id] = is_text
    used = {n.id for n in ast.walk(ast.parse(rest)) if isinstance(n, ast.Name)} if rest.strip() else set()
    lines = []
    for name, is_text in assigned.items():
        if name in used:
            if is_text:
                lines += [f'{indent}{name} = """', "", f'"""  # write your answer between the triple quotes']
            else:
                lines.append(f"{indent}{name} = None  # your answer here")
    return lines or [f"{indent}# your answer here"]


def strip_solutions(source: str) -> tuple[str, list[str]]:
    """(student source, the solution lines removed) for one code cell."""
    lines = source.splitlines()
    out, removed, region, indent, in_region = [], [], [], "", False
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(BEGIN):
            if in_region:
                raise ValueError(f"nested {BEGIN}")
            in_region, region, indent = True, [], line[: len(line) - len(line.lstrip())]
            continue
        if stripped.startswith(END):
            if not in_region:
                raise ValueError(f"{END} without {BEGIN}")
            rest = "\n".join(lines[i + 1:])
            try:
                ast.parse(textwrap.dedent(rest))
            except SyntaxError:
                rest = ""
            out.extend(_placeholder_lines(region, textwrap.dedent(rest), indent))
            removed.extend(region)
            in_region = False
            continue
        (region if in_region else out).append(line)
    if in_region:
        raise ValueError(f"{BEGIN} without {END}")
    return "\n".join(out), removed


def student_version(nb) -> tuple[Any, dict[str, str], list[str]]:
    """(student notebook, {qid: model answer markdown}, solution texts) for a solution notebook."""
    import nbformat

    nb = copy.deepcopy(nb)
    models: dict[str, str] = {}
    removed_all: list[str] = []
    cells = []
    for cell in nb.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if INSTRUCTOR_TAG in tags:
            removed_all.append(cell.source)
            continue
        if cell.cell_type == "markdown" and SOLUTION_TAG in tags:
            qid = _cell_meta(cell).get("question")
            if qid:
                models[qid] = cell.source.strip()
            removed_all.append(cell.source)
            cell.source = WRITTEN_PLACEHOLDER
            cell.metadata["tags"] = [t for t in tags if t != SOLUTION_TAG]
            if not cell.metadata["tags"]:
                del cell.metadata["tags"]
        elif cell.cell_type == "code":
            cell.source, removed = strip_solutions(cell.source)
            removed_all.extend(removed)
            cell.outputs = []
            cell.execution_count = None
            for key in ("execution", "collapsed", "scrolled"):
                cell.metadata.pop(key, None)
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    nb.metadata.setdefault("yalu", {})["student_version"] = True
    nbformat.validate(nb)
    return nb, models, removed_all


def _dumps(nb) -> str:
    import nbformat

    return nbformat.writes(nb) + "\n"


@dataclass
class BuildResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    stale: list[Path] = field(default_factory=list)
    backups: list[tuple[Path, Path]] = field(default_factory=list)


def _was_used(path: Path) -> bool:
    """True if a notebook on disk looks like someone worked in it (ran cells)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    for cell in data.get("cells", []):
        if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count")):
            return True
    return False


def build(root: Path | None = None, check_only: bool = False, out=print) -> BuildResult:
    """Regenerate the student versions and the model answers; see the module docstring."""
    import nbformat

    root = Path(root) if root else repo_root()
    sol_dir, ex_dir = root / "instructor" / "solutions", root / "exercises"
    result = BuildResult()
    models: dict[str, dict[str, str]] = {}
    solutions = sorted(p for p in sol_dir.glob("[0-9][0-9]_*.ipynb"))
    if not solutions:
        out(f"No solution notebooks in {sol_dir}.")
    targets: dict[Path, str] = {}
    for sol in solutions:
        nb = nbformat.read(sol, as_version=4)
        student, model, _ = student_version(nb)
        models[sol.name[:2]] = model
        targets[ex_dir / sol.name] = _dumps(student)
    model_file = root / "src" / "yalu" / MODEL_ANSWERS_FILE.name
    blob = json.dumps({"format": "zlib+base64 JSON; decode with yalu.exercises._decode",
                       "data": _encode(models)}, indent=1) + "\n"
    targets[model_file] = blob
    for path, text in targets.items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            result.unchanged.append(path)
            continue
        result.stale.append(path)
        if check_only:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if current is not None and path.suffix == ".ipynb" and _was_used(path):
            backup = _free_name(path.with_name(path.stem + "-backup.ipynb"))
            os.replace(path, backup)
            result.backups.append((path, backup))
            out(f"{path.relative_to(root)} had been run (it has outputs); kept it as {backup.relative_to(root)}.")
        path.write_text(text, encoding="utf-8")
        result.written.append(path)
    if check_only:
        for p in result.stale:
            out(f"out of date: {p.relative_to(root)}")
        if not result.stale:
            out("Student versions are up to date.")
    else:
        for p in result.written:
            out(f"wrote {p.relative_to(root)}")
        out(f"{len(result.written)} written, {len(result.unchanged)} already up to date.")
    return result


# --------------------------------------------------------------------------- fresh copies


def _free_name(path: Path) -> Path:
    if not path.exists():
        return path
    stem = re.sub(r"-copy\d+$", "", path.stem)
    n = 2
    while True:
        cand = path.with_name(f"{stem}-copy{n}{path.suffix}")
        if not cand.exists():
            return cand
        n += 1


def fresh_copy(name: str, dest: str | Path | None = None, root: Path | None = None, out=print) -> Path:
    """Copy the student version of exercise NAME to DEST without ever replacing a file.

    DEST may be a folder (default: the current folder) or a file name. If the file
    exists, the copy gets the next free name ``NAME-copy2.ipynb``, ``-copy3`` ...
    """
    root = Path(root) if root else repo_root()
    ex_dir = root / "exercises"
    key = Path(str(name)).name
    key = key[:-6] if key.endswith(".ipynb") else key
    templates = sorted(p for p in ex_dir.glob("[0-9][0-9]_*.ipynb") if re.fullmatch(r"\d\d_[a-z0-9_]+", p.stem))
    if key.isdigit():
        matches = [p for p in templates if p.stem[:2] == key.zfill(2)]
    else:
        matches = [p for p in templates if p.stem == key] or [p for p in templates if p.stem.startswith(key)]
    if len(matches) != 1:
        names = ", ".join(p.stem for p in templates)
        raise SystemExit(f"No single exercise matches {name!r}. The exercises are: {names or '(none built yet)'}.")
    source = matches[0]
    dest = Path(dest) if dest else Path.cwd()
    target = dest / source.name if (dest.is_dir() or str(dest).endswith(os.sep)) else dest
    if target.suffix != ".ipynb":
        target = target.with_suffix(".ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    data = source.read_bytes()
    wanted = target
    while True:
        target = _free_name(target)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:  # created meanwhile: try the next name
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        break
    if target != wanted:
        out(f"{wanted} already exists, so it was left alone; your fresh copy is {target}")
    else:
        out(f"Your fresh copy is {target}")
    return target


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m yalu.exercises", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="regenerate exercises/*.ipynb from instructor/solutions/*.ipynb")
    b.add_argument("--check", action="store_true", help="write nothing; exit 1 if anything is out of date")
    b.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    f = sub.add_parser("fresh-copy", help="a clean copy of one exercise; never replaces a file")
    f.add_argument("name", help="e.g. 01 or 01_leaning_exercises")
    f.add_argument("dest", nargs="?", default=None, help="folder or file name (default: current folder)")
    f.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cmd == "build":
        res = build(args.root, check_only=args.check)
        return 1 if (args.check and res.stale) else 0
    fresh_copy(args.name, args.dest, root=args.root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
