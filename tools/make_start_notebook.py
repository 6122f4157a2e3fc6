"""Write notebooks/00_start_here.ipynb (prose only; run it with nbconvert to store outputs)."""
import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

INTRO = """# Start here: the Sino-Soviet alliance and China's entry into the Korean War

This collection follows one chapter of Cold War history, from the Chinese Communist Party's
decision in 1949 to "lean to one side" towards the Soviet Union, through the treaty of
February 1950, to the night of 19 October 1950 when Chinese troops crossed the Yalu River
into Korea.

It rests on one source: Chen Jian, "The Sino-Soviet Alliance and China's Entry into the
Korean War", Cold War International History Project Working Paper No. 1 (Washington, D.C.:
Woodrow Wilson International Center for Scholars, June 1992). The copy we work from is an
incomplete extract: some pages and footnotes are missing, and the notebooks say so where it
matters. Every fact in the tables cites the paper's footnote and a short verbatim excerpt;
the few facts from elsewhere cite their public source.

**Who it is for.** Seminar groups (one notebook per session, with discussion questions and
an instructor guide), students on Binder with nothing to install, and readers on their own
who want feedback on their answers."""

HOW = """## How to use a notebook

If you have never used Jupyter before:

- A notebook is a page made of **cells**. Text cells (like this one) explain; **code cells**
  (grey boxes marked `[ ]:`) run Python.
- Click a code cell and press **Shift + Enter** to run it and move to the next one. The
  result appears below the cell. Run the cells in order, from the top.
- **Run ▸ Run All Cells** runs a whole notebook; **Kernel ▸ Restart Kernel** starts it afresh
  if something seems stuck.
- You cannot break anything: the notebooks come with their results already shown, and
  re-running a cell only redraws them.
- In the exercises you type your answer into a code cell and run the check below it.
  **Save often** (Ctrl + S). On Binder your files disappear when the session ends, so use
  **File ▸ Download** to keep your work."""

PATH = """## The reading path

Read the narrative notebooks in order; each ends with discussion questions and a link to
its exercise.

| # | Notebook | What it covers | Exercise |
| --- | --- | --- | --- |
| 1 | [Leaning to one side (1949)](01_leaning_to_one_side.ipynb) | the two-camp view, Mikoyan's visit, Liu Shaoqi in Moscow, air-force aid, the Korean-nationality divisions | [Exercise 1](../exercises/01_leaning_exercises.ipynb) |
| 2 | [The treaty talks (October 1949 - February 1950)](02_treaty_talks.ipynb) | recognition, Mao in Moscow, the Tass interview, Zhou's delegation, the treaty | [Exercise 2](../exercises/02_treaty_exercises.ipynb) |
| 3 | [Korea, 1949 to June 1950](03_korea_1949_1950.ipynb) | Kim's plan, Khrushchev's memoir, Acheson's perimeter, the outbreak | [Exercise 3](../exercises/03_korea_exercises.ipynb) |
| 4 | [Preparing to intervene (June - September 1950)](04_preparing_to_intervene.ipynb) | the Northeastern Border Defense Army, the August Politburo, Inchon, the air umbrella | [Exercise 4](../exercises/04_preparing_exercises.ipynb) |
| 5 | [The decision (1 - 19 October 1950)](05_the_decision.ipynb) | the day-by-day calendar, the Black Sea meeting, halt and go, the crossing | [Exercise 5](../exercises/05_decision_exercises.ipynb) |
| 6 | [The evidence](06_the_evidence.ipynb) | what the paper rests on, what the extract lacks, two versions of one message | [Exercise 6](../exercises/06_evidence_exercises.ipynb) |

Alongside them:

- [Timeline explorer](10_timeline_explorer.ipynb): the whole period on one interactive
  timeline, with filters and the source of every record; good for projecting in class.
- The data behind everything is described in [data/README.md](../data/README.md)."""

TIMELINE = """## The whole story at a glance

The cell below loads the collection's tables and draws them on one timeline. A bar is a
date the paper gives only roughly (a month, a season, a span); a dot is an exact day."""


CODE = """from yalu import timeline

timeline.picture(start="1949-01-01", end="1950-12-31")"""


def main():
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [new_markdown_cell(INTRO), new_markdown_cell(HOW), new_markdown_cell(PATH),
                new_markdown_cell(TIMELINE), new_code_cell(CODE)]
    nbformat.write(nb, "notebooks/00_start_here.ipynb")


if __name__ == "__main__":
    main()
