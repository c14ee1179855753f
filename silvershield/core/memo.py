"""Short-lived per-process memory for what every API request reads and almost never changes: the
token's owner, the divisions a bureau reaches, the duplicate rule in force.

Each gunicorn worker keeps its own copy for a few seconds (`PROCESS_MEMO_SECONDS`, default 30; the
token's owner `API_TOKEN_MEMO_SECONDS`, default 5), so a change — a revoked token, a new county bureau,
an edited rule — reaches every worker within that time. Tests set both to 0 (nothing is remembered);
`forget_all()` empties every memo at once.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import wraps
from time import monotonic
from typing import Any, TypeVar

from django.conf import settings

F = TypeVar("F", bound=Callable[..., Any])
_MEMOS: list[dict[Hashable, tuple[float, Any]]] = []
MAX_ENTRIES = 10_000


def memo_for(setting: str = "PROCESS_MEMO_SECONDS", default: float = 30) -> Callable[[F], F]:
    """Remember `fn(*args)` (hashable positional arguments) for the seconds the setting names."""

    def decorate(fn: F) -> F:
        store: dict[Hashable, tuple[float, Any]] = {}
        _MEMOS.append(store)

        @wraps(fn)
        def wrapper(*args: Hashable) -> Any:
            seconds = getattr(settings, setting, default)
            if seconds <= 0:
                return fn(*args)
            now = monotonic()
            hit = store.get(args)
            if hit is not None and hit[0] > now:
                return hit[1]
            value = fn(*args)
            if len(store) >= MAX_ENTRIES:
                store.clear()
            store[args] = (now + seconds, value)
            return value

        wrapper.forget = store.clear  # type: ignore[attr-defined]
        wrapper.forget_key = lambda *args: store.pop(args, None)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def forget_all() -> None:
    for store in _MEMOS:
        store.clear()
