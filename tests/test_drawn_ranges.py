"""Every drawn range says what the data's EDTF and the row's wording of the date say (issue 21).

Run against the collection's own data: the overview timeline is drawn, and each mark's first
and last day is checked against the EDTF ``date`` of its row and against the days the row's
``date_text`` names. A vague decade ("late 1940s") is never drawn as the whole decade, and a
row whose wording gives no day is never drawn as one.
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

from yalu.data import edtf_bounds
from yalu.records import records
from yalu.timeline import draw

MONTHS = "January February March April May June July August September October November December".split()
# "6 February 1949", "3-7 October", "7 and 10 July [1950]", "30 January to 6 February 1949"
DAYS = re.compile(r"(\d{1,2})(?:\s*(?:-|and|to)\s*(\d{1,2}))? (" + "|".join(MONTHS) + r")(?: (\d{4}))?")
# Wording that bounds a date by another happening, or leaves it open: its days are not the record's own.
OPEN = re.compile(r"\b(after|before|until|during|overnight|next|later|not dated|day not|undated|immediately|days|"
                  r"accordingly|same|by|relaying|plan|from)\b", re.I)


def named_days(text: str) -> list[pd.Timestamp]:
    """The days a wording names, each with the year it names (or the last year it names)."""
    years = re.findall(r"\b(1[89]\d\d)\b", text)
    out = []
    for d1, d2, month, year in DAYS.findall(text):
        year = year or (years[-1] if years else None)
        if year:
            out += [pd.Timestamp(f"{year}-{MONTHS.index(month) + 1:02d}-{int(d):02d}") for d in (d1, d2) if d]
    return out


def wording_problems(frame: pd.DataFrame) -> list[str]:
    """Drawn ranges that say more, or other, than their row's EDTF and wording."""
    items = []
    for phase in frame["phase"].cat.categories:  # one picture a phase, tall enough to draw every record
        part = frame[frame["phase"] == phase]
        if len(part):
            _, drawing = draw(part, max_rows=len(part))
            assert not drawing.left_out, f"{phase}: {drawing.note}"
            items += drawing.items
    rows = frame.set_index("id")
    problems = []
    for item in items:
        row = rows.loc[item.id]
        edtf, text = str(row["date"]), str(row["date_text"])
        lo, hi = (pd.Timestamp(x) for x in edtf_bounds(edtf))
        if not (lo <= item.start <= item.end <= hi):
            problems.append(f"{item.id}: drawn {item.start:%Y-%m-%d}..{item.end:%Y-%m-%d} outside its EDTF {edtf}")
        # A clause saying who later reported it ('as Stalin tells it to Kim on 8 October') names another day.
        days = named_days(re.split(r",\s+as\b", text)[0])
        if days and not OPEN.search(text) and (item.start, item.end) != (min(days), max(days)):
            problems.append(f"{item.id}: drawn {item.start:%Y-%m-%d}..{item.end:%Y-%m-%d}, the wording {text!r} "
                            f"says {min(days):%Y-%m-%d}..{max(days):%Y-%m-%d}")
        decades = re.findall(r"\b(?:(early|mid|late)[- ])?(1[89]\d)0s\b", text)
        if decades:
            spans = [{"early": (10 * int(d), 10 * int(d) + 4), "mid": (10 * int(d) + 3, 10 * int(d) + 7),
                      "late": (10 * int(d) + 5, 10 * int(d) + 9), "": (10 * int(d), 10 * int(d) + 9)}[q]
                     for q, d in decades]
            if item.start.year < min(a for a, _ in spans) or item.end.year > max(b for _, b in spans):
                problems.append(f"{item.id}: {text!r} drawn as {item.start.year}-{item.end.year}")
        if re.search(r"gives no (day|night)|not say on which", text) and item.shape == "point":
            problems.append(f"{item.id}: the wording gives no day, but it is drawn as one ({item.start:%Y-%m-%d})")
    return problems


def test_every_drawn_range_matches_its_edtf_and_wording():
    frame = records(merged=False)  # every row of the tables, each drawn on its own
    assert len(frame) > 150
    assert wording_problems(frame) == []


def test_a_happening_recorded_in_several_rows_is_drawn_over_all_their_dates():
    rows = records(merged=False).set_index("id")
    merged = records()
    twins = merged[merged["attestations"].map(len) > 1]
    assert len(twins) > 30
    for rec in twins.to_dict("records"):
        bounds = [tuple(pd.Timestamp(x) for x in edtf_bounds(rows.loc[a, "date"])) for a in rec["attestations"]]
        assert (rec["date_start"], rec["date_end"]) == (min(b[0] for b in bounds), max(b[1] for b in bounds)), rec["id"]


@pytest.mark.parametrize("rid, start, end", [
    ("ev_ctx_mikoyan_xibaipo", "1949-01-30", "1949-02-06"),   # the records run to 6 February, not 7
    ("ev_mao_sleeps", "1950-10-18", "1950-10-19"),            # no night given: a range, not 18 October
    ("ev_stalin_on_zhou", "1949-12-16", "1950-01-02"),        # during Mao's stay in Moscow, not from 1 December
    ("com_stalin_reply_on_zhou", "1949-12-16", "1950-01-02"),
    ("ev_two_camps_view", "1947-01-01", "1949-12-31"),        # "by the late 1940s", not the whole decade
])
def test_the_four_ranges_of_issue_21(rid, start, end):
    frame = records(start="1940-01-01", merged=False)
    _, drawing = draw(frame[frame["id"] == rid])
    (item,) = drawing.items
    assert (item.start, item.end) == (pd.Timestamp(start), pd.Timestamp(end))
    assert item.shape == "bar"


@pytest.mark.parametrize("rid, date, text, message", [
    ("ev_ctx_mikoyan_xibaipo", "1949-01-30/1949-02-07", None, "says 1949-01-30..1949-02-06"),
    ("ev_mao_sleeps", "1950-10-18", "[after the order; the paper gives no night]", "gives no day"),
    ("ev_two_camps_view", "194X", None, "drawn as 1940-1949"),
])
def test_the_check_fails_on_the_old_ranges(rid, date, text, message):
    frame = records(start="1940-01-01", merged=False)
    i = frame.index[frame["id"] == rid][0]
    lo, hi = edtf_bounds(date)
    frame.loc[i, ["date", "date_start", "date_end"]] = [date, pd.Timestamp(lo), pd.Timestamp(hi)]
    if text:
        frame.loc[i, "date_text"] = text
    problems = wording_problems(frame)
    assert len(problems) == 1 and message in problems[0], problems
