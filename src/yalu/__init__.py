"""yalu: shared code for the teaching collection on the Sino-Soviet alliance and
China's entry into the Korean War (1949-1950).

The notebooks load data with :func:`yalu.data.load` and draw timelines with
:mod:`yalu.timeline`; exercises check answers with :func:`yalu.check`.
"""
from yalu.errors import YaluError, show_errors_briefly

__version__ = "0.1.0"
__all__ = ["YaluError", "__version__"]

show_errors_briefly()
