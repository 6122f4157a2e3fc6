"""The narrative series: each notebook's number, file, title and the phases of the story it tells.

One list for every part that points a reader to a notebook: the explorer's detail panel
("Read on in notebook N") and the exercises' "re-read" hints.

>>> BY_PHASE["decision"].file
'05_the_decision.ipynb'
>>> BY_NUMBER["02"].title
'Notebook 2: The treaty talks'
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Notebook", "NARRATIVE", "BY_NUMBER", "BY_PHASE"]


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
