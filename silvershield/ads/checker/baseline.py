"""The plain baseline the benchmark compares against: each rule's patterns searched in turn with `re`.

It finds the same hits as the engine (literal phrases become escaped regexes on the same normal form) and
makes the same decisions on them, so the two give identical findings and only the matching differs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from silvershield.ads.checker.engine import CONTEXT, EXCEPTION, TRIGGER, CompiledRulebook, _Hits, _Program
from silvershield.ads.checker.spec import RuleSpec
from silvershield.ads.checker.text import normalise


def _compiled(pattern: str) -> re.Pattern[str]:
    if pattern.startswith("re:"):
        return re.compile(pattern[3:])
    return re.compile(re.escape(normalise(pattern)))


class RegexBaselineRulebook(CompiledRulebook):
    """CompiledRulebook with the automaton replaced by one `re` search per pattern per rule."""

    def __init__(self, *, rules: Iterable[RuleSpec], on: date, version: str = "") -> None:
        super().__init__(rules=rules, on=on, version=version)
        self._searches: dict[int, list[tuple[int, int, re.Pattern[str]]]] = {}
        for program in self._programs.values():
            self._searches[id(program)] = [
                (slot, role, _compiled(pattern))
                for slot, rule in enumerate(program.rules)
                for role, patterns in (
                    (TRIGGER, rule.patterns),
                    (CONTEXT, rule.context_patterns),
                    (EXCEPTION, rule.exception_patterns),
                )
                for pattern in patterns
            ]

    def _collect(self, program: _Program, norm: str) -> _Hits:
        triggers: dict[int, list[tuple[int, int]]] = {}
        contexts: dict[int, list[tuple[int, int]]] = {}
        exceptions: dict[int, list[tuple[int, int]]] = {}
        for slot, role, regex in self._searches[id(program)]:
            for match in regex.finditer(norm):
                if match.end() > match.start():
                    target = triggers if role == TRIGGER else contexts if role == CONTEXT else exceptions
                    target.setdefault(slot, []).append(match.span())
        return triggers, contexts, exceptions
