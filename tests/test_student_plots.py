"""A student's own plots display inline after the notebooks' imports (nothing switches the backend).

Runs in a real kernel, as a notebook does: it imports every yalu module a notebook uses, then draws
with pandas and with pyplot, and checks that each produced an ``image/png`` display.
"""
from __future__ import annotations

import queue

import pytest
from jupyter_client.manager import start_new_kernel

IMPORTS = """
from yalu.data import load
from yalu.tables import show
from yalu import calendar, charts, maps, records, timeline
from yalu.timeline import picture
from yalu.calendar import october_calendar
from yalu.explorer import explore
from yalu.exercises import start, summary
timeline.picture(phase="decision", kind="event")
explore(phase="decision")
"""


def _run(kc, code: str, timeout: float = 120) -> list[dict]:
    msg_id = kc.execute(code)
    outputs = []
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=timeout)
        except queue.Empty:
            pytest.fail(f"the kernel did not finish {code!r} in {timeout} s")
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind in ("display_data", "execute_result", "error", "stream"):
            outputs.append(msg)
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            return outputs


def _pngs(outputs) -> int:
    return sum("image/png" in m["content"].get("data", {}) for m in outputs)


@pytest.fixture(scope="module")
def kernel():
    km, kc = start_new_kernel(kernel_name="python3")
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_a_students_plots_display_after_the_imports(kernel):
    out = _run(kernel, IMPORTS)
    assert not [m for m in out if m["msg_type"] == "error"], out
    out = _run(kernel, "import matplotlib; print(matplotlib.get_backend())")
    assert "inline" in "".join(m["content"].get("text", "") for m in out).lower()
    out = _run(kernel, "import pandas as pd\npd.Series([1, 3, 2]).plot();")
    assert _pngs(out) == 1, "df.plot() showed nothing"
    out = _run(kernel, "import matplotlib.pyplot as plt\nplt.plot([1, 2], [2, 1]); plt.show()")
    assert _pngs(out) == 1, "plt.plot(); plt.show() showed nothing"


def test_the_check_would_see_a_swallowed_plot(kernel):
    out = _run(kernel, "import matplotlib.pyplot as plt\nplt.switch_backend('agg')\nplt.plot([1, 2]); plt.show()")
    assert _pngs(out) == 0
    _run(kernel, "plt.switch_backend('module://matplotlib_inline.backend_inline')")


def test_a_yalu_error_is_one_line_and_still_an_error_output(kernel):
    out = _run(kernel, "from yalu.data import load\nload('evnts')")
    errors = [m["content"] for m in out if m["msg_type"] == "error"]
    assert len(errors) == 1, out
    err = errors[0]
    assert err["ename"] == "YaluError" and "no table called 'evnts'" in err["evalue"]
    shown = "\n".join(err["traceback"])
    assert "Traceback" not in shown and len(err["traceback"]) <= 2, shown
