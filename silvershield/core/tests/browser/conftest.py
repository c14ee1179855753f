"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against pytest-django's
live server.

Playwright cannot download its own browsers on these machines, so the tests launch the system's
/usr/bin/chromium (`./dev test` and .ci/run install it). Every page the browser sees is served by
`live_server`, which needs a transactional database: the data a test builds is committed so that the
server thread can read it (silvershield/core/tests/transactional_flush.py puts the reference data back
after the flush that ends such a test).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM calls
# from the test body ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("SILVERSHIELD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # The machines have a closed network: without these Chromium keeps trying to reach Google's hosts.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# One Playwright and one Chromium per test process. Several apps' conftest.py import these fixtures,
# which registers a session fixture once per conftest; Playwright's sync API cannot be started twice
# in one thread, so every copy hands out the same browser, and the first copy torn down at the end of
# the session closes it.
_SHARED: dict[str, object] = {}


def _shared_browser():
    if "browser" not in _SHARED:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        _SHARED["playwright"] = playwright
        _SHARED["browser"] = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    return _SHARED["browser"]


def _close_shared_browser() -> None:
    browser = _SHARED.pop("browser", None)
    playwright = _SHARED.pop("playwright", None)
    if browser is not None:
        browser.close()
    if playwright is not None:
        playwright.stop()


@pytest.fixture(scope="session")
def chromium_browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk); "
            "`./dev test` installs it when run as root, or deselect them with -m 'not browser'.",
            pytrace=False,
        )
    yield _shared_browser()
    _close_shared_browser()


@pytest.fixture
def plain_static(settings):
    # The live server serves static files from the finders; hashed names need a collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def screenshots(request) -> Path:
    """test-results/<test name>/, where the test saves what the browser showed (gitignored)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    folder = Path(request.config.rootpath) / "test-results" / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Browsing:
    """Opens one browser context per person, each with its own cookies, in Simplified Chinese."""

    def __init__(self, browser, base_url: str, screenshots: Path):
        self.browser = browser
        self.base_url = base_url
        self.screenshots = screenshots
        self.contexts = []
        self.shots = 0

    def new_page(self):
        context = self.browser.new_context(
            base_url=self.base_url, locale="zh-CN", viewport={"width": 1360, "height": 900}
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        return context.new_page()

    def sign_in(self, username: str, password: str):
        """A fresh page signed in through the sign-in form, as a person would."""
        page = self.new_page()
        page.goto("/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        if "/login/" in page.url:
            self.shoot(page, f"sign-in-refused-{username}")
            raise AssertionError(f"{username} could not sign in; see {self.screenshots}")
        return page

    def shoot(self, page, label: str) -> Path:
        self.shots += 1
        path = self.screenshots / f"{self.shots:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(chromium_browser, live_server, plain_static, screenshots) -> Iterator[Browsing]:
    session = Browsing(chromium_browser, live_server.url, screenshots)
    yield session
    session.close()
