"""The explorer with no kernel: a static host for the anywidget ``render`` contract, and the two
projector pages of the site (``explorer.html`` and ``october.html``).

The pages load the explorer's own ES module (``yalu/static/explorer.js``, copied byte for byte)
through ``host.js``, a stand-in for a widget manager's models, and feed it the explorer's own
payload (:func:`yalu.explorer.payload`) and the view :func:`yalu.explorer.explore` opens on. The
October page shows :func:`yalu.calendar.october_calendar` as the notebooks do. Nothing here
searches, filters or draws records: that is all in ``explorer.js``.
"""
from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

from yalu.explorer import STATIC, VIS_CSS, VIS_FILE, VIS_VERSION, explore, payload

__all__ = ["HOST_JS", "ASSETS", "site_payload", "write"]

HOST_JS = Path(__file__).with_name("host.js")
ASSETS = "_yalu"  # the folder of the site the pages load their scripts and data from

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{assets}/explorer.css">
<link rel="stylesheet" href="{assets}/projector.css">
</head>
<body>
<header class="pj-head">
<h1>{title}</h1>
<nav aria-label="Site"><a href="index.html">Back to the course</a>{other}</nav>
</header>
<main class="pj-main">
{before}
<h2 class="{heading_class}">{heading}</h2>
<div id="explorer" class="pj-explorer"></div>
<noscript><p>The explorer needs JavaScript. The notebooks show the same records as a picture and a list.</p></noscript>
</main>
<script type="module">
import {{ mount }} from "./{assets}/host.js";
mount(document.getElementById("explorer"), {view}, "{assets}").catch((err) => {{
  document.getElementById("explorer").textContent = "The explorer could not start: " + err.message;
  console.error(err);
}});
</script>
</body>
</html>
"""

CSS = """/* The projector pages: full-screen, large type, readable at 1024x768. */
html, body { margin: 0; background: #fff; color: #111; font-family: system-ui, sans-serif; }
body { font-size: 17px; line-height: 1.35; }
.pj-head { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between;
  gap: 0.2em 1em; padding: 0.3em 0.8em; border-bottom: 1px solid #bbb; }
.pj-head h1 { font-size: 1.3em; margin: 0; }
.pj-head nav a { color: #0b57a4; margin-left: 1em; }
.pj-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.pj-h2 { font-size: 1.15em; margin: 0.6em 0 0.2em; }
.pj-main { padding: 0.3em 0.8em; }
.pj-explorer .yx { font-size: 16px; height: calc(100vh - 4.2em); min-height: 560px; }
.pj-october .pj-explorer .yx { height: 600px; }
.pj-calendar img { width: auto; height: auto; max-width: min(100%, 1000px) !important;
                  max-height: calc(100vh - 80px); }  /* the whole calendar on one projector screen */
.pj-calendar .yalu-key { font-size: 1em; max-width: none !important; }
.pj-calendar .yalu-key ol { columns: 2; column-gap: 2em; }
@media print { .pj-explorer { display: none; } }
"""


def site_payload() -> dict:
    """The explorer's payload, with each record's "Read on" link pointing at the site's page of
    its notebook rather than at the ``.ipynb`` file beside it (the only difference)."""
    data = payload()
    for item in [*data["records"], *data["claims"]]:
        if item.get("notebook"):
            item["notebook"] = "notebooks/" + item["notebook"].removesuffix(".ipynb") + ".html"
    return data


def _page(title: str, view: dict, before: str = "", other: str = "", heading: str = "The timeline explorer") -> str:
    return PAGE.format(title=html.escape(title), assets=ASSETS, view=json.dumps(view), before=before, other=other,
                       heading=html.escape(heading), heading_class="pj-hidden" if not before else "pj-h2")


def write(dest: Path) -> list[Path]:
    """Write the projector pages and their assets into ``dest`` (the site's root); returns the pages."""
    from yalu.calendar import october_calendar

    dest = Path(dest)
    assets = dest / ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    for src in (STATIC / "explorer.js", STATIC / "explorer.css", VIS_FILE, VIS_CSS, HOST_JS):
        shutil.copyfile(src, assets / src.name)
    for lic in STATIC.glob("vis-timeline-LICENSE*"):
        shutil.copyfile(lic, assets / lic.name)
    (assets / "projector.css").write_text(CSS, encoding="utf-8")
    (assets / "explorer-data.json").write_text(
        json.dumps({"version": VIS_VERSION, "payload": site_payload()}, ensure_ascii=False, separators=(",", ":")),
        encoding="utf-8")
    explorer = dest / "explorer.html"
    explorer.write_text(_page("Timeline explorer, 1949-1950", explore().view,
                              other='<a href="october.html">October 1950 calendar</a>'), encoding="utf-8")
    calendar = october_calendar()
    october = dest / "october.html"
    before = f'<section class="pj-calendar" aria-label="Calendar">{calendar.html()}</section>'
    page = _page("October 1950, day by day", explore(start="1950-10-01", end="1950-10-19").view, before,
                 other='<a href="explorer.html">Timeline explorer</a>',
                 heading="The same days on the timeline explorer")
    october.write_text(page.replace('<main class="pj-main">', '<main class="pj-main pj-october">'), encoding="utf-8")
    return [explorer, october]
