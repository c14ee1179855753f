"""Required words of a regular expression, so the engine runs a regex only on ads that could match it.

`required_literals("re:(?:治疗|根治).{0,6}?(?:糖尿病|癌)")` gives a set of strings at least one of which
occurs in every match ({"治疗", "根治"} or the disease names, whichever is more selective). The engine puts
them in its automaton; an ad without any of them never pays for the regex, and an ad with them pays only
for the stretch of text around them (`max_width`). That is what lets a rulebook with a few dozen regexes
check ~300-character ads at tens of thousands a second (docs/performance.md).
"""

from __future__ import annotations

import re

# The regex parser is private to the re package but stable across 3.11–3.13; if it ever moves or a
# pattern uses something unknown, the pattern simply runs unanchored, on every ad.
try:
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10 and earlier
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}
if hasattr(sre_constants, "POSSESSIVE_REPEAT"):
    _REPEATS.add(sre_constants.POSSESSIVE_REPEAT)
_MAX_CLASS = 64


def _score(candidates: frozenset[str]) -> tuple[int, int]:
    # Longer words are rarer in text; fewer alternatives are fewer false alarms.
    return min(len(word) for word in candidates), -len(candidates)


def _sequence(items) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(candidate: frozenset[str] | None) -> None:
        nonlocal best
        if candidate and (best is None or _score(candidate) > _score(best)):
            best = candidate

    for op, argument in items:
        if op is sre_constants.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            consider(frozenset(["".join(run)]))
            run = []
        consider(_element(op, argument))
    if run:
        consider(frozenset(["".join(run)]))
    return best


def _element(op, argument) -> frozenset[str] | None:
    if op is sre_constants.SUBPATTERN:
        _group, add_flags, _del_flags, pattern = argument
        if add_flags & re.IGNORECASE:
            return None
        return _sequence(pattern.data)
    if op is sre_constants.BRANCH:
        alternatives = [_sequence(alternative.data) for alternative in argument[1]]
        if any(alternative is None for alternative in alternatives):
            return None
        return frozenset().union(*alternatives)
    if op in _REPEATS:
        minimum, _maximum, pattern = argument
        return _sequence(pattern.data) if minimum >= 1 else None
    if op is sre_constants.IN:
        if len(argument) <= _MAX_CLASS and all(item_op is sre_constants.LITERAL for item_op, _ in argument):
            return frozenset(chr(code) for _, code in argument)
        return None
    return None


def required_literals(regex: str) -> frozenset[str] | None:
    """Strings one of which every match of `regex` contains; None when no such set can be told."""
    try:
        parsed = sre_parse.parse(regex)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    return _sequence(parsed.data)


# A regex whose matches can be longer than this is searched over the whole text.
_WINDOW_LIMIT = 200


def max_width(regex: str) -> int | None:
    """The longest match `regex` can make, or None when it is unbounded (\\d+, .*) or cannot be told.

    With it the engine searches only the stretch of text around the words that anchor the regex.
    """
    try:
        _low, high = sre_parse.parse(regex).getwidth()
    except (re.error, RecursionError):
        return None
    return high if high <= _WINDOW_LIMIT else None
