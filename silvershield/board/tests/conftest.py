"""The browser fixtures of core/tests/browser (Chromium via Playwright against the live server)."""

from silvershield.core.tests.browser.conftest import (  # noqa: F401
    browsing,
    chromium_browser,
    plain_static,
    screenshots,
)
