"""The JupyterLab server of `make lab` speaks the legacy kernel websocket protocol.

jupyter/jupyter_server_config.json sets ``ZMQChannelsWebsocketConnection.kernel_ws_protocol``
to "" to keep away a jupyter_server race that can blow the server up to 3.4 GB on a kernel
restart (docs/server-websocket.md). `make lab`/`make test` copy it to the venv's
etc/jupyter/, and these tests start a server the way `make lab` does
(:func:`yalu.serve.lab_command`), open a kernel's channels websocket offering the v1
subprotocol as JupyterLab does, and look at what the server chose. The control runs a
server that reads no config file and must see v1, so the check can fail.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "jupyter" / "jupyter_server_config.json"
INSTALLED = Path(sys.prefix, "etc", "jupyter", "jupyter_server_config.json")


def _repro():
    spec = importlib.util.spec_from_file_location("ws_blowup_repro", ROOT / "tools" / "ws_blowup_repro.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


repro = _repro()


def test_shipped_config_selects_the_legacy_protocol():
    config = json.loads(SHIPPED.read_text())
    assert config == {"ZMQChannelsWebsocketConnection": {"kernel_ws_protocol": ""}}


def test_the_venv_has_the_shipped_config():
    if not INSTALLED.is_file():
        pytest.fail(f"{INSTALLED} is missing: run `make lab` or `make test` to install it", pytrace=False)
    assert json.loads(INSTALLED.read_text()) == json.loads(SHIPPED.read_text()), (
        f"{INSTALLED} differs from {SHIPPED.relative_to(ROOT)}: run `make lab` to copy it again")


def test_make_lab_server_negotiates_the_legacy_protocol():
    with repro.running_lab() as server:
        assert repro.negotiated_subprotocol(server) is None


def test_without_config_files_the_server_would_pick_v1():
    # JUPYTER_NO_CONFIG: the server reads no config file at all, so jupyter_server's own
    # default applies. If this ever sees the legacy protocol, the check above proves nothing.
    with repro.running_lab(env={"JUPYTER_NO_CONFIG": "1"}) as server:
        assert repro.negotiated_subprotocol(server) == repro.V1
