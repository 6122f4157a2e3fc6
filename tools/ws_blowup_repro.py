"""Reproduce the kernel-websocket blow-up of jupyter_server, with the workaround off and on.

    .venv/bin/python tools/ws_blowup_repro.py [--mode off|on|both] [--frames N]

What it does, on loopback only, against a JupyterLab started the way ``make lab`` starts it
(:func:`yalu.serve.lab_command`):

1. starts a kernel through the REST API and opens its channels websocket (connection A)
   offering the v1 subprotocol, as JupyterLab does;
2. while a thread keeps sending ``execute_request`` frames on A without reading (frames in
   flight), opens a second websocket B with the *same* session id, as JupyterLab does when
   it reconnects after "Restart Kernel";
3. the server closes A as a stale connection; A's frames that still arrive reach the
   closed handler, which no longer knows its subprotocol and decodes a v1 frame as a
   legacy one: ``struct.error: unpack requires a buffer of 402653184 bytes`` after
   building a 100-million-item ``struct`` format (several GB, kept in ``struct``'s cache).

It reports, per mode, the negotiated subprotocol, whether the server logged "Replacing
stale connection" and the ``struct.error``, the longest wait of a ``GET /api/status`` polled
every 100 ms (the server's event loop blocked), and the server's resident memory (psutil)
before, at its peak and at the end. ``off`` forces the protocol jupyter_server picks by
default (v1); ``on`` uses the shipped ``jupyter/jupyter_server_config.json`` (legacy).
The exit status is 1 only if the workaround is on and the blow-up still happens. If
``off`` no longer blows up, the installed jupyter_server may have fixed the race: see
docs/server-websocket.md before removing the workaround.

:func:`running_lab` and :func:`negotiated_subprotocol` are also used by
tests/test_server_config.py and bench/server_stress.py.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import psutil
import websocket
from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

from yalu.serve import running_lab  # noqa: F401  (used by the test and the stress bench too)

ROOT = Path(__file__).resolve().parents[1]

V1 = "v1.kernel.websocket.jupyter.org"
CONFIG = ROOT / "jupyter" / "jupyter_server_config.json"
FORCE_V1 = f"--ZMQChannelsWebsocketConnection.kernel_ws_protocol={V1}"
STRUCT_ERROR = "unpack requires a buffer of 402653184 bytes"
# Kill the server rather than let it eat the shared machine if it grows past this.
RSS_CEILING_MB = 8000


def start_kernel(server: dict) -> str:
    """Start a python3 kernel through the REST API and return its id."""
    req = urllib.request.Request(f"{server['base']}/api/kernels?token={server['token']}", method="POST",
                                 data=b'{"name": "python3"}', headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return json.load(resp)["id"]


def open_channels(server: dict, kernel_id: str, session_id: str, timeout: float = 30) -> websocket.WebSocket:
    """Open the kernel's channels websocket offering the v1 subprotocol, as JupyterLab does.

    The offer goes in a plain header: websocket-client's own ``subprotocols=`` refuses a
    server that picks none, which is exactly the answer we want to be able to see.
    """
    url = (f"ws://127.0.0.1:{server['port']}/api/kernels/{kernel_id}/channels"
           f"?session_id={session_id}&token={server['token']}")
    return websocket.create_connection(url, header=[f"Sec-WebSocket-Protocol: {V1}"], timeout=timeout)


def subprotocol_of(ws: websocket.WebSocket) -> str | None:
    """The subprotocol the server chose for ``ws`` (None: the legacy protocol)."""
    return (ws.getheaders() or {}).get("sec-websocket-protocol")


def negotiated_subprotocol(server: dict) -> str | None:
    """Start a kernel, open its channels offering v1, return what the server chose."""
    kernel_id = start_kernel(server)
    ws = open_channels(server, kernel_id, uuid.uuid4().hex)
    try:
        return subprotocol_of(ws)
    finally:
        ws.close()


def execute_frame(protocol: str | None, session_id: str, code: str = "1+1") -> bytes | str:
    """One ``execute_request`` from the browser, in the framing of ``protocol``."""
    header = {"msg_id": uuid.uuid4().hex, "msg_type": "execute_request", "session": session_id,
              "username": "repro", "date": "2026-01-01T00:00:00.000000Z", "version": "5.4"}
    content = {"code": code, "silent": False, "store_history": False, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True}
    if protocol == V1:
        parts = [json.dumps(p).encode() for p in (header, {}, {}, content)]
        return serialize_msg_to_ws_v1(parts, "shell")
    return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                       "channel": "shell", "buffers": []})


class _RssWatch(threading.Thread):
    """Sample one process's resident memory every 50 ms; kill it above RSS_CEILING_MB."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.peak_mb = 0.0
        self.last_mb = 0.0
        self.killed = False
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            try:
                self.last_mb = self.proc.memory_info().rss / 2**20
            except psutil.Error:
                return
            self.peak_mb = max(self.peak_mb, self.last_mb)
            if self.last_mb > RSS_CEILING_MB:
                self.proc.kill()
                self.killed = True
                return
            self._halt.wait(0.05)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


class _StatusPinger(threading.Thread):
    """Call GET /api/status every 100 ms; the longest wait is how long the event loop was blocked."""

    def __init__(self, server: dict):
        super().__init__(daemon=True)
        self.url = f"{server['base']}/api/status?token={server['token']}"
        self.longest = 0.0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            t0 = time.monotonic()
            try:
                urllib.request.urlopen(self.url, timeout=120).read()
            except OSError:
                pass
            self.longest = max(self.longest, time.monotonic() - t0)
            self._halt.wait(0.1)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=130)


def reproduce(mode: str, frames: int = 200, settle: float = 1.0) -> dict:
    """Drive the stale-session race once against a fresh server; return what was seen.

    ``mode`` is "off" (the protocol jupyter_server picks by default, v1) or "on" (the
    shipped config file, legacy). ``frames`` bounds how many frames connection A sends.
    """
    cfg_dir = tempfile.mkdtemp(prefix="yalu-ws-cfg-")
    try:
        if mode == "off":
            extra, env = (FORCE_V1,), None
        else:
            shutil.copy(CONFIG, Path(cfg_dir, "jupyter_server_config.json"))
            extra, env = (), {"JUPYTER_CONFIG_PATH": cfg_dir}
        return _race(extra, env, mode, frames, settle)
    finally:
        shutil.rmtree(cfg_dir, ignore_errors=True)


def _race(extra: tuple[str, ...], env: dict | None, mode: str, frames: int, settle: float) -> dict:
    with running_lab(*extra, env=env) as server:
        watch = _RssWatch(server["proc"].pid)
        kernel_id = start_kernel(server)
        session_id = uuid.uuid4().hex
        first = open_channels(server, kernel_id, session_id)
        protocol = subprotocol_of(first)
        time.sleep(1.0)  # let the kernel_info handshake and the first status messages pass
        baseline = psutil.Process(server["proc"].pid).memory_info().rss / 2**20
        watch.start()
        sent, send_errors = [0], []
        reconnected = threading.Event()

        def flood() -> None:
            # A's frames keep going out while B replaces A, and for a moment after.
            for _ in range(frames):
                try:
                    frame = execute_frame(protocol, session_id)
                    if isinstance(frame, bytes):
                        first.send_binary(frame)
                    else:
                        first.send(frame)
                    sent[0] += 1
                except Exception as exc:  # the server may have dropped A by now
                    send_errors.append(type(exc).__name__)
                    return
                time.sleep(0.002 if not reconnected.is_set() else 0.01)

        pinger = _StatusPinger(server)
        pinger.start()
        sender = threading.Thread(target=flood, daemon=True)
        sender.start()
        time.sleep(0.05)
        second = open_channels(server, kernel_id, session_id)  # the reconnect, same session
        reconnected.set()
        sender.join(timeout=30)
        time.sleep(settle)
        # A last status call returns only once the event loop is free again.
        urllib.request.urlopen(f"{server['base']}/api/status?token={server['token']}", timeout=120)
        pinger.stop()
        watch.stop()
        end = psutil.Process(server["proc"].pid).memory_info().rss / 2**20 if not watch.killed else None
        for ws in (first, second):
            with contextlib.suppress(Exception):
                ws.close(timeout=2)
        log = server["log"].read_text(errors="replace")
    return {
        "mode": mode,
        "negotiated": protocol or "legacy",
        "frames_sent_on_old_socket": sent[0],
        "send_errors": send_errors,
        "stale_replaced": "Replacing stale connection" in log,
        "struct_error": STRUCT_ERROR in log,
        "longest_status_call_s": round(pinger.longest, 2),
        "rss_before_mb": round(baseline, 1),
        "rss_peak_mb": round(max(watch.peak_mb, end or 0.0), 1),
        "rss_end_mb": None if end is None else round(end, 1),
        "killed_at_ceiling": watch.killed,
        "log_excerpt": _excerpt(log),
    }


def _excerpt(log: str, limit: int = 40) -> list[str]:
    """The server log from "Replacing stale connection" to the first struct.error, at most ``limit`` lines."""
    lines = log.splitlines()
    start = next((i for i, line in enumerate(lines) if "Replacing stale connection" in line), None)
    if start is None:
        return []
    end = next((i for i in range(start, len(lines)) if "struct.error" in lines[i]), start)
    return lines[start:end + 1][:limit]


def main(argv: list[str] | None = None) -> int:
    if threading.current_thread() is threading.main_thread():  # run the clean-up on `timeout` or kill
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=["off", "on", "both"], default="both",
                        help="workaround off (v1, the default of jupyter_server), on (legacy), or both")
    parser.add_argument("--frames", type=int, default=200, help="frames sent on the old socket (default 200)")
    parser.add_argument("--show-log", action="store_true",
                        help="print the server log from the stale-connection warning to the struct.error")
    args = parser.parse_args([] if argv is None else argv)  # main() from another script: defaults
    modes = ["off", "on"] if args.mode == "both" else [args.mode]
    status = 0
    for mode in modes:
        r = reproduce(mode, frames=args.frames)
        excerpt = r.pop("log_excerpt")
        print(json.dumps(r))
        if args.show_log:
            print("\n".join("    " + line for line in excerpt))
        blew_up = r["struct_error"] or r["rss_peak_mb"] > 300
        if mode == "off":
            print("workaround off: " + ("blow-up reproduced" if blew_up else
                  "no blow-up: this jupyter_server may have fixed the race (see docs/server-websocket.md)"))
        else:
            print("workaround on: " + ("BLOW-UP, the workaround does not help" if blew_up else "no blow-up"))
            status = 1 if blew_up else status
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
