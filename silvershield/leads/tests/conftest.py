"""The browser fixtures of core/tests/browser/conftest.py, for the leads' own browser tests."""

from silvershield.core.tests.browser.conftest import (  # noqa: F401  (fixtures, found by name)
    browsing,
    chromium_browser,
    plain_static,
    screenshots,
)
