"""The browser fixtures of core (Chromium through Playwright against the live server), for this app's
browser tests."""

from silvershield.core.tests.browser.conftest import (  # noqa: F401 - fixtures are found by name
    Browsing,
    browsing,
    chromium_browser,
    plain_static,
    screenshots,
)
