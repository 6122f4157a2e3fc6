"""yalu: shared code for the teaching collection on the Sino-Soviet alliance and
China's entry into the Korean War (1949-1950).

Data flows one way through the modules: ``course`` (the list of narrative notebooks),
``paths`` and ``data`` (the sourced tables),
``citations`` and ``records`` (dated records with their sources), then the views:
``tables.show`` (a table to read), ``timeline.picture``, ``calendar.october_calendar``,
``maps.theatre_map``, ``charts`` and ``explorer.explore``; ``exercises`` and ``grade``
check answers. ``serve`` starts JupyterLab.
"""
from yalu.errors import YaluError, show_errors_briefly

__version__ = "0.2.0"
__all__ = ["YaluError", "__version__"]

show_errors_briefly()
