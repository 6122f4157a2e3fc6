"""The narrative series: each notebook's number, file, title and the phases of the story it tells.

One list for every part that points a reader to a notebook: the explorer's detail panel
("Read on in notebook N") and the exercises' "re-read" hints. :data:`READING_ORDER` is the
order a student reads the whole series in: the start notebook, the background, the pandas
on-ramp, then the six narrative notebooks (the tests check the notebooks' navigation bars,
the start notebook's contents and the README against it).

>>> BY_PHASE["decision"].file
'05_the_decision.ipynb'
>>> BY_NUMBER["02"].title
'Notebook 2: The treaty talks'
>>> READING_ORDER[1:4]
('00a_background.ipynb', '00b_working_with_the_tables.ipynb', '01_leaning_to_one_side.ipynb')
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Notebook", "NARRATIVE", "BY_NUMBER", "BY_PHASE", "START", "BACKGROUND", "ONRAMP", "READING_ORDER"]


@dataclass(frozen=True)
class Notebook:
    number: str  # "01", as in the file name and the exercise set
    file: str  # in notebooks/
    title: str
    phases: tuple[str, ...]  # the values of the data's `phase` column it tells


NARRATIVE = (
    Notebook("01", "01_leaning_to_one_side.ipynb", "Notebook 1: Leaning to one side", ("background", "leaning")),
    Notebook("02", "02_treaty_talks.ipynb", "Notebook 2: The treaty talks", ("treaty",)),
    Notebook("03", "03_korea_1949_1950.ipynb", "Notebook 3: Korea, 1949-1950", ("korea",)),
    Notebook("04", "04_preparing_to_intervene.ipynb", "Notebook 4: Preparing to intervene", ("preparing",)),
    Notebook("05", "05_the_decision.ipynb", "Notebook 5: The decision", ("decision",)),
    Notebook("06", "06_the_evidence.ipynb", "Notebook 6: The evidence", ("historiography",)),
)
BY_NUMBER = {n.number: n for n in NARRATIVE}
BY_PHASE = {phase: n for n in NARRATIVE for phase in n.phases}

START = "00_start_here.ipynb"
BACKGROUND = "00a_background.ipynb"
#: The pandas on-ramp: what the Your-turn tasks use, through the collection's own tables.
ONRAMP = "00b_working_with_the_tables.ipynb"
#: The order a student reads the series in (notebooks/); the timeline explorer stands beside it.
READING_ORDER = (START, BACKGROUND, ONRAMP, *(n.file for n in NARRATIVE))
