"""The course website (`make site`): how long it takes to build, and what its heaviest page weighs.

    .venv/bin/python bench/site_bench.py      (run by bench/run.py as site_build_s and site_page_kb)

site_build_s   `python -m yalu.site build` from a fresh student release to the finished site, against a
               floor: a one-page site with the same settings, extensions and theme, built in the same
               run, interleaved (median of the repeats).
site_page_kb   every page of the built site loaded in Debian's Chromium from 127.0.0.1: the bytes of
               every response it fetched (HTML, scripts, styles, images, fonts, the explorer's data),
               summed per page; the heaviest page with its parts, and the next ones.
"""
from __future__ import annotations

import functools
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def _build_site(out: Path) -> float:
    from yalu.site import build

    t0 = time.perf_counter()
    build(out)
    return time.perf_counter() - t0


def _build_floor(tmp: Path) -> float:
    """A one-page site with the site's own settings (conf.py as yalu.site writes it)."""
    from yalu.site import DEFAULT_HUB, DEFAULT_REPOSITORY, _conf

    src = tmp / "floor-src"
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text(_conf(DEFAULT_REPOSITORY, DEFAULT_HUB), encoding="utf-8")
    for folder in ("_extra", "_templates"):
        (src / folder).mkdir(exist_ok=True)
    (src / "index.md").write_text("# A page\n\nOne paragraph.\n", encoding="utf-8")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-E", str(src), str(tmp / "floor-out")],
                   check=True, capture_output=True)
    return time.perf_counter() - t0


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def page_weights(site: Path) -> list[dict]:
    """Bytes fetched by each page of ``site``, by kind of resource, heaviest first."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.parts[len(site.parts)] != "_static")
    out = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for rel in pages:
                context = browser.new_context(viewport={"width": 1366, "height": 768})
                page = context.new_page()
                parts: dict[str, int] = defaultdict(int)

                def on_response(resp, parts=parts):
                    if not resp.url.startswith(base):
                        return
                    try:
                        parts[resp.request.resource_type] += len(resp.body())
                    except Exception:  # noqa: BLE001 - a response without a body (redirect) weighs nothing
                        pass

                page.on("response", on_response)
                page.goto(f"{base}/{rel}", wait_until="networkidle")
                if rel in ("explorer.html", "october.html"):
                    page.wait_for_selector(".yx[data-ready='1']", timeout=60_000)
                    page.wait_for_timeout(300)
                out.append({"page": rel, "kb": round(sum(parts.values()) / 1024),
                            "parts_kb": {k: round(v / 1024) for k, v in sorted(parts.items())}})
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return sorted(out, key=lambda r: -r["kb"])


def main(argv=None, repeats: int = 1) -> dict:
    with tempfile.TemporaryDirectory(prefix="yalu-site-bench-") as tmp:
        tmp = Path(tmp)
        site_s, floor_s = [], []
        for i in range(repeats):  # interleaved: each site build next to a floor build
            site_s.append(_build_site(tmp / f"site-{i}"))
            floor_s.append(_build_floor(tmp / f"floor-{i}"))
        weights = page_weights(tmp / "site-0")
    res = {
        "site_build_s": {"seconds": round(statistics.median(site_s), 1), "floor_s": round(statistics.median(floor_s), 1),
                         "ratio": round(statistics.median(site_s) / statistics.median(floor_s), 2),
                         "pages": len(weights)},
        "site_page_kb": {"largest": weights[0], "next": [{"page": w["page"], "kb": w["kb"]} for w in weights[1:4]],
                         "median_kb": statistics.median(w["kb"] for w in weights)},
    }
    return res


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=1))
