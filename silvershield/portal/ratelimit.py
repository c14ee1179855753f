"""Rate limits per client address, counted in the shared cache (Redis or the file cache in production, so
every worker process counts together). A fixed window: the first request opens it for `seconds`."""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache
from django.http import HttpRequest

from silvershield.core.signin import client_address
from silvershield.portal.conf import rate_limit

log = logging.getLogger("silvershield.portal")


def _key(bucket: str, address: str) -> str:
    return "portal:rl:%s:%s" % (bucket, hashlib.sha256(address.encode()).hexdigest()[:24])


def over_limit(request: HttpRequest, bucket: str) -> int:
    """Count this request; 0 when allowed, else the seconds to wait (for Retry-After)."""
    limit, window = rate_limit(bucket)
    key = _key(bucket, client_address(request))
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
    if count > limit:
        if count == limit + 1:
            log.warning("portal rate limit %s reached by %s", bucket, client_address(request))
        return window
    return 0
