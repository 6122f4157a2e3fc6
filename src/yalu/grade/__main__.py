"""``python -m yalu.grade``: see :mod:`yalu.grade.cli`."""
import sys

from yalu.grade.cli import main

sys.exit(main())
