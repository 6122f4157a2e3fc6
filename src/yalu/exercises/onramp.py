"""The micro-exercises of the pandas on-ramp (``notebooks/00b_working_with_the_tables.ipynb``).

Six short questions, one for each tool the on-ramp teaches (a DataFrame, a filter, explode and
merge, groupby, crosstab, Timedelta), checked with ``check()`` like the exercise sets. Every
expected answer is computed from the tables when a check runs. The set's id is "00" (the
notebook's number; ``start("00b")`` finds it), its solution notebook is
``instructor/solutions/00b_working_with_the_tables.ipynb``, and the notebook students get is
built from it into ``notebooks/`` (``python -m yalu.exercises build``).

>>> from yalu.exercises.bank import get_set
>>> get_set("00b").name
'00b_working_with_the_tables'
"""
from __future__ import annotations

from yalu.course import ONRAMP
from yalu.data import load
from yalu.exercises.bank import people_vocabulary, register
from yalu.exercises.questions import ExerciseSet, NamesQuestion, NumberQuestion, Reread

__all__ = ["ONRAMP_SET"]

ONRAMP_SET = register(ExerciseSet("00", ONRAMP.removesuffix(".ipynb"), "Working with the tables: micro-exercises",
                                  ONRAMP))


def _reread(heading: str, table: str | None = None, extra: str = "") -> Reread:
    return Reread(ONRAMP, heading, table, extra)


def _decision_messages():
    messages = load("communications")
    return messages[messages["phase"] == "decision"]


def _events_rows() -> int:
    return len(load("events"))


def _cables_and_telegrams() -> int:
    decision = _decision_messages()
    return int(decision["kind"].isin(["cable", "telegram"]).sum())


def _top_sender() -> list[str]:
    senders = _decision_messages().explode("sender")
    named = senders.merge(load("people"), left_on="sender", right_on="id")
    counts = named["name"].value_counts()
    top = counts[counts == counts.max()]
    if len(top) != 1:
        raise ValueError("two senders share the first place, so the answer is not defined")
    return [top.index[0]]


def _requested() -> int:
    return int(load("soviet_air").groupby("status", observed=True).size()["requested"])


def _documents_in_decision() -> int:
    import pandas as pd

    claims = load("claims")
    return int(pd.crosstab(claims["phase"], claims["claimant_kind"]).loc["decision", "document"])


def _mao_span_days() -> int:
    mao = _decision_messages()
    mao = mao[mao["sender"].apply(lambda senders: "mao_zedong" in senders)]
    return int((mao["date_start"].max() - mao["date_start"].min()).days)


ONRAMP_SET.add(NumberQuestion(
    "q1", "pandas", _reread("1. A table is a DataFrame", "events"),
    expected=_events_rows, unit="rows",
    explain="len() and .shape count the rows of a table: every row of events is one dated event with its source.",
))
ONRAMP_SET.add(NumberQuestion(
    "q2", "pandas", _reread("2. Choosing rows with a filter", "communications",
                            "keep the decision phase, then the kinds 'cable' and 'telegram'"),
    expected=_cables_and_telegrams, unit="records",
    explain="Two conditions, one after the other: the phase, then the kind with .isin(). Meetings and "
            "conversations are left out, so this counts only what was sent in writing.",
))
ONRAMP_SET.add(NamesQuestion(
    "q3", "pandas", _reread("3. Lists of people: explode and merge", "communications",
                            "explode the senders, merge them with people, count the names"),
    vocabulary=people_vocabulary, expected=_top_sender, what="person",
    explain="Mao sends more of the records of 1-19 October than anyone else. Keep that in mind in notebook 5: "
            "much of what we read about the decision comes from his messages.",
))
ONRAMP_SET.add(NumberQuestion(
    "q4", "pandas", _reread("4. Counting with value_counts and groupby", "soviet_air",
                            "group by status and count the rows"),
    expected=_requested, unit="rows",
    explain="groupby('status').size() gives one count per status. The requests are all Chinese requests of 1949: the "
            "table knows more about what China asked for than about what arrived.",
))
ONRAMP_SET.add(NumberQuestion(
    "q5", "pandas", _reread("5. Two columns at once: crosstab", "claims",
                            "the row 'decision' and the column 'document'"),
    expected=_documents_in_decision, unit="claims",
    explain="One cell of the crosstab: the claims of the decision phase that cite a document of the time (a cable or "
            "a message) rather than a historian's reading.",
))
ONRAMP_SET.add(NumberQuestion(
    "q6", "pandas", _reread("6. Dates and time differences", "communications",
                            "the latest minus the earliest date_start of Mao's records"),
    expected=_mao_span_days, unit="days",
    explain="Subtracting two dates gives a Timedelta; .days turns it into a whole number of days.",
))
