"""One error type for everything a reader can get wrong, shown without a traceback."""


class YaluError(ValueError):
    """A problem the reader can fix (a table name, a date, an edited CSV).

    Its message says what is wrong and what to do; in a notebook it is shown as a
    short message, not a traceback.
    """


def _show_briefly(shell, etype, value, tb, tb_offset=None):
    # One line ("YaluError: ..."), but still an error output: nbval, nbclient and the grader
    # see that the cell failed, as they would for any other exception.
    shell.showtraceback((etype, value, tb), exception_only=True)


def show_errors_briefly():
    """In IPython, show a YaluError as one clear message instead of a traceback."""
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: normal exceptions
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((YaluError,), _show_briefly)
