"""Question types, their feedback, and :func:`judge`, the one place an answer gets a verdict.

A question turns a plain answer (see :mod:`yalu.exercises.answers`) into a
:class:`Feedback`: ``correct``, ``not_yet`` (with where to reread), ``not_answered``,
``invalid`` (the form is wrong: the message says which form is expected) or
``attempted`` (a written answer, reviewed by the student against a rubric and by the
instructor). No message states the accepted answer.

>>> q = NumberQuestion("q1", "look-up", Reread("01_leaning_to_one_side.ipynb", "4. Air aid"),
...                    expected=lambda: 4, unit="items")
>>> es = ExerciseSet("98", "98_demo", "Demo", "none.ipynb"); _ = es.add(q)
>>> judge(es, "q1", 4).status, judge(es, "q1", 5).status, judge(es, "q1", "some").status
('correct', 'not_yet', 'invalid')
"""
from __future__ import annotations

import datetime as _dt
import difflib
import html
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from yalu.errors import YaluError
from yalu.exercises.answers import (
    Invalid,
    as_date,
    as_int,
    as_letter,
    as_letters,
    brief,
    is_placeholder,
    name_key,
    plain,
    split_names,
    strip_title,
    type_name,
)

__all__ = [
    "CORRECT", "NOT_YET", "NOT_ANSWERED", "INVALID", "ATTEMPTED", "LABELS", "Feedback", "Reread", "Question",
    "NumberQuestion", "DateQuestion", "OrderQuestion", "ChoiceQuestion", "NamesQuestion", "WrittenQuestion",
    "ExerciseSet", "judge", "Level", "LEVELS", "KINDS", "RECALL_KINDS", "REVEAL_SENTENCE",
]

# What a question asks the student to do. The five kinds of historical thinking, then the two
# kinds of recall (the guide lists every question with its kind; a test keeps recall at most a quarter).
KINDS = {
    "sourcing": "who made this record, when, for whom, and what could they know?",
    "corroboration": "does a document or another source confirm, shift or contradict the paper's account?",
    "contextualisation": "what could Mao, Stalin or Kim know on a given day?",
    "causation": "weigh causes, with evidence from the tables",
    "interpretation": "which reading of the events does this evidence support or strain?",
    "chronology": "the order of events, where the order is the argument",
    "look-up": "a fact read from the tables",
}
RECALL_KINDS = ("chronology", "look-up")
LEVELS = ("excellent", "good", "adequate", "weak")

# The one sentence that says what reveal() shows; README, the instructor guide and every exercise
# notebook carry it word for word (tests/test_exercises.py keeps them equal and checks the behaviour).
REVEAL_SENTENCE = ("`reveal(\"q8\", my_answer)` shows nothing until your written answer reaches the question's "
                   "minimum length and touches enough of its key points; then it shows the rubric's four levels "
                   "(excellent, good, adequate, weak), each with a description, a short exemplar answer and the "
                   "sources that exemplar rests on, and it never marks your answer.")

CORRECT, NOT_YET, NOT_ANSWERED, INVALID, ATTEMPTED = "correct", "not_yet", "not_answered", "invalid", "attempted"
LABELS = {
    CORRECT: "correct",
    NOT_YET: "not yet",
    NOT_ANSWERED: "not answered yet",
    INVALID: "check the form of your answer",
    ATTEMPTED: "written answer: compare it with the rubric",
}


@dataclass(frozen=True)
class Reread:
    """Where to reread: a heading of a narrative notebook, and perhaps a table."""

    notebook: str  # "01_leaning_to_one_side.ipynb"
    heading: str  # the heading text without the leading #'s: "3. Liu Shaoqi in Moscow"
    table: str | None = None
    extra: str = ""

    @property
    def link(self) -> str:
        """A link relative to exercises/: JupyterLab gives each heading the id of its text, spaces as '-'."""
        anchor = urllib.parse.quote(self.heading.replace(" ", "-"), safe=".-_~,'()")
        return f"../notebooks/{self.notebook}#{anchor}"

    def text(self) -> str:
        out = f"Reread \u201c{self.heading}\u201d in {self.notebook}"
        if self.table:
            out += f" and the table {self.table}"
        return out + (f" ({self.extra})" if self.extra else "") + "."

    def html(self) -> str:
        out = (f'Reread <a href="{html.escape(self.link)}">\u201c{html.escape(self.heading)}\u201d</a> in '
               f"{html.escape(self.notebook)}")
        if self.table:
            out += f" and the table <code>{html.escape(self.table)}</code>"
        return out + (f" ({html.escape(self.extra)})" if self.extra else "") + "."


@dataclass
class Feedback:
    """The outcome of one check: a result and the lines shown to the student."""

    qid: str
    status: str
    lines: list[str] = field(default_factory=list)
    hint: Reread | None = None

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    def _show_hint(self) -> bool:
        return self.hint is not None and self.status in (NOT_YET, INVALID)

    def text(self) -> str:
        body = [f"{self.qid}: {LABELS.get(self.status, self.status)}."] + [f"  {ln}" for ln in self.lines]
        if self._show_hint():
            body.append(f"  Hint: {self.hint.text()}")
        return "\n".join(body)

    def html(self) -> str:
        head = f"<b>{html.escape(self.qid)}: {html.escape(LABELS.get(self.status, self.status))}.</b>"
        items = [html.escape(ln) if ln else "&nbsp;" for ln in self.lines]
        if self._show_hint():
            items.append("Hint: " + self.hint.html())
        body = "".join(f"<div style='margin-left:1.5em'>{x}</div>" for x in items)
        return f"<div class='yalu-feedback'>{head}{body}</div>"

    def __str__(self) -> str:
        return self.text()


def _text(explain, value) -> str:
    return explain(value) if callable(explain) else (explain or "")


@dataclass
class Question:
    """One question. Subclasses implement :meth:`evaluate` (plain answer -> Feedback)."""

    qid: str
    kind: str  # one of KINDS
    hint: Reread
    pandas: bool = False  # answered with pandas code on the tables

    def evaluate(self, answer: Any) -> Feedback:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def fb(self, status: str, *lines: str) -> Feedback:
        return Feedback(self.qid, status, [ln for ln in lines if ln], self.hint)


@dataclass
class NumberQuestion(Question):
    """A whole number computed from the data (a count, a number of days).

    ``misses`` maps a likely wrong number to the misconception behind it.
    """

    expected: Callable[[], int] = None
    unit: str = ""
    explain: Callable[[int], str] | str = ""
    misses: Callable[[], dict[int, str]] | None = None

    def evaluate(self, answer):
        value = as_int(answer, self.unit)
        want = int(self.expected())
        if value == want:
            return self.fb(CORRECT, _text(self.explain, want))
        known = (self.misses() if self.misses else {}).get(value)
        if known:
            return self.fb(NOT_YET, known)
        what = f"{value} {self.unit}".strip() if abs(value) < 10**9 else "That number"
        return self.fb(NOT_YET, f"{what} is not what the table gives. Check which rows you counted or "
                                "subtracted, and the condition you filtered on.")


@dataclass
class DateQuestion(Question):
    """A single day computed from the data."""

    expected: Callable[[], _dt.date] = None
    explain: Callable[[_dt.date], str] | str = ""

    def evaluate(self, answer):
        value = as_date(answer)
        want = self.expected()
        if value == want:
            return self.fb(CORRECT, _text(self.explain, want))
        shown = f"{value.day} {value:%B %Y}"
        if value.year != want.year:
            return self.fb(NOT_YET, f"{shown}: {value.year} is not the right year.")
        if value.month != want.month:
            return self.fb(NOT_YET, f"{shown}: the year is right, but not the month.")
        return self.fb(NOT_YET, f"{shown}: the right month, but not the right day.")


@dataclass
class OrderQuestion(Question):
    """Put lettered items in order; the order is computed from the data (e.g. by date)."""

    items: dict[str, str] = field(default_factory=dict)  # letter -> label (shown in the notebook)
    expected: Callable[[], list[str]] = None
    explain: Callable[[list[str]], str] | str = ""

    def evaluate(self, answer):
        letters = as_letters(answer, self.items, "the order", ordered=True)
        dupes = sorted({x for x in letters if letters.count(x) > 1})
        if dupes:
            raise Invalid(f"{', '.join(repr(d) for d in dupes)} appears more than once; use each letter once.")
        missing = [x for x in self.items if x not in letters]
        if missing:
            raise Invalid(f"Put all {len(self.items)} items in order; missing: {', '.join(repr(m) for m in missing)}.")
        want = list(self.expected())
        if letters == want:
            return self.fb(CORRECT, _text(self.explain, want))
        if letters == want[::-1]:
            return self.fb(NOT_YET, "Your list is in reverse order: put the earliest first.")
        right = sum(a == b for a, b in zip(letters, want, strict=True))
        return self.fb(NOT_YET, f"{right} of {len(want)} items are in the right place.")


@dataclass
class ChoiceQuestion(Question):
    """Pick one option (or several, with ``multiple=True``).

    ``options`` maps a letter to (the option as shown, the explanation shown after it
    is picked). ``accepted`` is the set of right letters (for ``multiple``: the exact
    set to pick), possibly computed from the data.
    """

    options: dict[str, tuple[str, str]] = field(default_factory=dict)
    accepted: Callable[[], set[str]] | set[str] = field(default_factory=set)
    multiple: bool = False
    explain: str = ""

    def right_letters(self) -> set[str]:
        return set(self.accepted() if callable(self.accepted) else self.accepted)

    def evaluate(self, answer):
        letters = list(self.options)
        want = self.right_letters()
        if self.multiple:
            picked = set(as_letters(answer, letters, "your choices", ordered=False))
            if picked == want:
                return self.fb(CORRECT, *[f"({x}) {self.options[x][1]}" for x in sorted(want)], self.explain)
            lines = [f"({x}) should not be picked: {self.options[x][1]}" for x in sorted(picked - want)]
            missed = len(want - picked)
            if missed:
                lines.append(f"{missed} right option{'s are' if missed > 1 else ' is'} still missing.")
            return self.fb(NOT_YET, *lines)
        if isinstance(answer, (list, set)) and len(answer) > 1:
            raise Invalid("Pick one letter, e.g. answer = 'b', not several.")
        letter = as_letter(answer, letters)
        why = self.options[letter][1]
        if letter in want:
            return self.fb(CORRECT, why, self.explain)
        return self.fb(NOT_YET, f"({letter}) {why}")


@dataclass
class NamesQuestion(Question):
    """Name one or more things from a vocabulary (people, aircraft types...).

    ``vocabulary`` returns {canonical name: [accepted spellings]}; a spelling shared
    by several names (a family name such as "Zhou") counts for the one the answer
    needs. ``expected`` returns the canonical names that make the answer right; with
    ``ordered=True`` they must come in that order.
    """

    vocabulary: Callable[[], dict[str, list[str]]] = None
    expected: Callable[[], list[str]] = None
    what: str = "name"
    ordered: bool = False
    explain: Callable[[list[str]], str] | str = ""

    def _lookup(self, vocab) -> dict[str, list[str]]:
        lookup: dict[str, list[str]] = {}
        self._display: dict[str, str] = {}
        for canon, spellings in vocab.items():
            for s in [canon, *spellings]:
                key = name_key(s)
                self._display.setdefault(key, s)
                if key and canon not in lookup.setdefault(key, []):
                    lookup[key].append(canon)
        return lookup

    @property
    def whats(self) -> str:
        return "people" if self.what == "person" else f"{self.what}s"

    def _hits(self, item: str, lookup) -> list[str]:
        """The names ``item`` may stand for: as typed, or by its family name after initials or a given name
        ('V. M. Molotov', 'Vyacheslav Molotov')."""
        hits = lookup.get(name_key(item), [])
        words = strip_title(item).split()
        if not hits and len(words) >= 2 and all(re.fullmatch(r"[a-z'-]+", w) for w in words):
            hits = lookup.get(name_key(words[-1]), [])
        return hits

    def _resolve(self, item: Any, lookup, want: list[str]) -> str:
        if not isinstance(item, str):
            raise Invalid(f"Give each {self.what} as text in quotes; {brief(item)} is {type_name(item)}.")
        key = name_key(item)
        hits = self._hits(item, lookup)
        if len(hits) == 1:
            return hits[0]
        if hits:
            needed = [h for h in hits if h in want]
            if len(needed) == 1:
                return needed[0]
            if not needed:  # a family name shared by several people, none of them the answer
                return item.strip()
            raise Invalid(f"{brief(item)} fits more than one {self.what}; give the full name.")
        if len(key) >= 3 and any(k.endswith(key) and k != key for k in lookup):
            if self.what == "person":
                raise Invalid(f"{brief(item)} is only part of a name: give the family name or the full name.")
            raise Invalid(f"{brief(item)} is only part of the name of an {self.what}: give it in full, as the table "
                          "writes it.")
        close = difflib.get_close_matches(key, list(lookup), n=1, cutoff=0.8)
        if close and not set(lookup[close[0]]) & set(want):
            raise Invalid(f"{brief(item)} is not one of the {self.whats} we know. Did you mean "
                          f"'{self._display.get(close[0], lookup[close[0]][0])}'?")
        if close:
            raise Invalid(f"{brief(item)} is not one of the {self.whats} we know: check the spelling.")
        examples = [c for c in lookup_canon(lookup) if c not in want][:4]
        shown = ", ".join(repr(c) for c in examples)
        how = "a family name or a full name" if self.what == "person" else f"the {self.what}"
        raise Invalid(f"{brief(item)} is not one of the {self.whats} we know. Give {how} as the tables write it "
                      f"(for example {shown}); several go in a list, e.g. ['...', '...'].")

    def evaluate(self, answer):
        want = list(self.expected())
        lookup = self._lookup(self.vocabulary())
        items = [answer] if isinstance(answer, str) else answer
        if isinstance(items, (set, frozenset)) and not self.ordered:
            items = sorted(items, key=str)
        if not isinstance(items, list):
            raise Invalid(f"Give the {self.what}(s) as text in quotes, e.g. ['...']; you gave {type_name(answer)}.")
        items = [part for x in items
                 for part in (split_names(x) if isinstance(x, str) and name_key(x) not in lookup else [x])]
        if not items:
            raise Invalid(f"Your list is empty; put at least one {self.what} in it.")
        names = [self._resolve(x, lookup, want) for x in items]
        if self.ordered:
            if names == want:
                return self.fb(CORRECT, _text(self.explain, want))
            if sorted(names) == sorted(want):
                return self.fb(NOT_YET, "You have the right ones, but not in the right order.")
            return self.fb(NOT_YET, f"{len(set(names) & set(want))} of your {len(names)} are right.")
        got, need = set(names), set(want)
        if got == need:
            return self.fb(CORRECT, _text(self.explain, want))
        lines = []
        extra = sorted(got - need)
        if extra:
            lines.append(f"Not part of the answer: {', '.join(extra)}.")
        missing = len(need - got)
        if missing:
            lines.append(f"{missing} more {self.whats + ' are' if missing > 1 else self.what + ' is'} missing.")
        return self.fb(NOT_YET, *lines)


def lookup_canon(lookup: dict[str, list[str]]) -> list[str]:
    seen: list[str] = []
    for canons in lookup.values():
        for c in canons:
            if c not in seen:
                seen.append(c)
    return seen


@dataclass(frozen=True)
class Level:
    """One quality level of a written answer's rubric: what an answer at this level does, a short
    exemplar written for the level, and where each fact of the exemplar comes from (the paper's
    footnotes, or an outside source by its public title, marked as outside the paper)."""

    level: str  # one of LEVELS
    description: str
    exemplar: str
    sources: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        out = [f"{self.level.capitalize()}: {self.description}", f"    Exemplar: \u201c{self.exemplar}\u201d"]
        if self.sources:
            out.append(f"    Sources: {'; '.join(self.sources)}.")
        return out


def rubric(*levels: tuple) -> tuple[Level, ...]:
    """Four levels in the order of LEVELS, each given as (description, exemplar, sources)."""
    if len(levels) != len(LEVELS):
        raise ValueError(f"a rubric has {len(LEVELS)} levels: {', '.join(LEVELS)}")
    return tuple(Level(name, d, e, tuple(s)) for name, (d, e, s) in zip(LEVELS, levels, strict=True))


@dataclass
class WrittenQuestion(Question):
    """A written answer: a passage to analyse (or a capstone prompt), a length, key terms and a rubric.

    ``key_terms`` are groups of alternatives (``("two camps", "camp")``); the answer
    must use words from at least ``min_terms`` groups before the rubric's four levels
    (:data:`LEVELS`, each with a description and an exemplar) are shown. The computer never
    marks it right: the grader lists it "for review" with its rubric.
    """

    min_words: int = 150
    max_words: int = 250
    key_terms: tuple[tuple[str, ...], ...] = ()
    min_terms: int = 2
    rubric: tuple[Level, ...] = ()
    passage: str = ""  # the quoted passage of the paper (source analysis), verbatim
    footnote: int | None = None

    def terms_used(self, text: str) -> int:
        low = " " + re.sub(r"\s+", " ", text.lower()) + " "
        return sum(any(alt.lower() in low for alt in group) for group in self.key_terms)

    def evaluate(self, answer):
        if not isinstance(answer, str):
            raise Invalid(f'Write your answer as text between the triple quotes ("""..."""); you gave '
                          f"{type_name(answer)}.")
        words = len(answer.split())
        if words < self.min_words:
            raise Invalid(f"Your answer has {words} word{'s' if words != 1 else ''}; write at least "
                          f"{self.min_words} before you compare it with the rubric.")
        used = self.terms_used(answer)
        if used < self.min_terms:
            raise Invalid(f"Your answer does not yet engage with the task: use the passage and the tables, and "
                          f"name the people, documents and dates the question asks about ({used} of the "
                          f"{self.min_terms} key points the rubric looks for are there).")
        lines = [f"{words} words. Find the level whose description fits your answer best, then compare your "
                 "answer with that level's exemplar and the one above it."]
        if words > self.max_words:
            lines.append(f"Your answer is longer than {self.max_words} words: shorten it to the strongest points.")
        for level in self.rubric:
            lines += level.lines()
        return self.fb(ATTEMPTED, *lines)


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


def judge(es: ExerciseSet, qid: Any, answer: Any, via: str = "check") -> Feedback:
    """The verdict on one answer; never raises. ``answer`` may be anything a student typed."""
    if not isinstance(qid, str) or qid.strip().lower() not in es.questions:
        known = ", ".join(es.questions)
        return Feedback(brief(qid), INVALID, [f"There is no question {brief(qid)} in this exercise; the questions are "
                                              f"{known}."])
    q = es.questions[qid.strip().lower()]
    written = isinstance(q, WrittenQuestion)
    if not written and via == "reveal":
        return Feedback(q.qid, INVALID, [f"{q.qid} is checked with check({q.qid!r}, answer); reveal() is for "
                                         "written answers."])
    try:
        value = plain(answer)
        if is_placeholder(value):
            what = "your answer" if not written else "your own answer"
            return Feedback(q.qid, NOT_ANSWERED, [f"Replace the placeholder with {what}, then run this cell again."])
        return q.evaluate(value)
    except Invalid as exc:
        return Feedback(q.qid, INVALID, [str(exc)], q.hint)
    except YaluError as exc:
        return Feedback(q.qid, INVALID, [f"This answer cannot be checked now: the data could not be loaded ({exc})."])
    except Exception as exc:  # a broken bank entry: say so, never a traceback
        return Feedback(q.qid, INVALID, [f"This answer could not be checked ({type(exc).__name__}). Tell your "
                                         "instructor."])
