"""Suite-wide pytest settings live in pyproject.toml.

nbval runs strictly (stored outputs must match) over the narrative notebooks in notebooks/
and the solution notebooks in instructor/solutions/ (the default ``testpaths``). The student
versions in exercises/ have no answers filled in, so `make test` runs them in a second pass
with nbval's documented lax mode, ``pytest --nbval-lax exercises``: every cell must run
without error, but outputs are not compared.
"""
