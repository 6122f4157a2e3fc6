"""The course website at 1024x768, a seminar projector: the browser checks of test_site.py at this size.

A file of its own so that pytest-xdist (``--dist loadfile``) runs it beside test_site.py; it builds its
own copy of the site (the module fixture, about 15 s).
"""
from __future__ import annotations

import pytest
import test_site as checks
from test_site import served, site  # noqa: F401 - the module fixtures: the built site and its server

pytestmark = pytest.mark.browser


@pytest.fixture
def reader(browser):
    yield from checks.reader_at(browser, "projector")


def test_every_page_loads_cleanly_offline_and_accessibly(site, served, reader):  # noqa: F811
    checks.test_every_page_loads_cleanly_offline_and_accessibly(site, served, reader)


def test_search_page_finds_a_notebook(served, reader):  # noqa: F811
    checks.test_search_page_finds_a_notebook(served, reader)


def test_explorer_without_a_kernel(served, reader):  # noqa: F811
    checks.test_explorer_without_a_kernel(served, reader)


def test_october_projector_page(served, reader):  # noqa: F811
    checks.test_october_projector_page(served, reader)
