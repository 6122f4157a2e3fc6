"""``python -m yalu.exercises build | fresh-copy | release``: see :mod:`yalu.exercises.build`."""
import sys

from yalu.exercises.build import main

sys.exit(main())
