"""Grade a folder of submitted exercise notebooks: ``python -m yalu.grade SUBMISSIONS_DIR``.

Modules: ``submissions`` (which file of each student is graded), ``sandbox`` (one
bubblewrap box per notebook), ``runner`` (the only part that runs inside the box),
``verdict`` (the grader's own verdicts from the answer values) and ``report`` (the CSV
files and the feedback), tied together by ``cli``. This package file imports nothing,
so the runner starts inside the box without the grader's imports.
"""
