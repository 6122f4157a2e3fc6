"""Exercises with feedback: ``from yalu.exercises import start, summary``.

In an exercise notebook::

    from yalu.exercises import start, summary
    check, reveal = start("01")          # the exercise set for notebook 01

    answer = ["b", "a", "c"]
    check("q1", answer)                  # feedback, never a traceback

    my_answer = \"\"\"Two sources disagree about ...\"\"\"
    reveal("q9", my_answer)              # written answers: the rubric after an attempt

One job per module: ``answers`` (what students type, made plain), ``questions``
(question types and the verdict), ``bank`` (the six sets), ``onramp`` (the pandas on-ramp's
micro-exercises), ``model_answers`` (the stored
model answers), ``session`` (``start``/``summary`` in a notebook) and ``build`` (student
versions, fresh copies, the student release; ``python -m yalu.exercises``).
"""
from yalu.exercises import onramp  # noqa: F401  (registers the on-ramp's micro-exercises, set "00")
from yalu.exercises.session import start, summary

__all__ = ["start", "summary"]
