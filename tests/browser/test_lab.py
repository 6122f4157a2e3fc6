"""JupyterLab, started as `make lab` starts it, opens the start notebook cleanly."""
import pytest

from conftest import ARTIFACTS, open_notebook

pytestmark = pytest.mark.browser


def test_start_notebook_opens_without_dialogs(lab_server, page):
    open_notebook(page, lab_server, "notebooks/00_start_here.ipynb")
    heading = page.locator(".jp-NotebookPanel .jp-RenderedMarkdown h1").first
    heading.wait_for(timeout=30_000)
    assert "Start here" in heading.inner_text()
    # No kernel-selection dialog, no news/update prompt in the way.
    assert page.locator(".jp-Dialog").count() == 0
    assert page.locator(".jp-Notification-Toast").count() == 0
    page.screenshot(path=str(ARTIFACTS / "start-notebook.png"))
