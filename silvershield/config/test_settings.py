"""Settings for the test suite: the production settings with an in-process cache, so parallel test
workers do not share rate-limit or sign-in counters through a file or Redis."""

from silvershield.config.settings import *  # noqa: F401,F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Nothing remembered between requests (core/memo.py): tests change data and expect to see it at once.
API_TOKEN_MEMO_SECONDS = 0
PROCESS_MEMO_SECONDS = 0
