"""The checker: every literal phrase of every rule in one Aho-Corasick automaton, a few compiled regexes
for what a list of phrases cannot say (approval-number formats, percentages of returns, testimonials),
then the context checks on each hit.

Per product type the engine keeps its own automaton holding only the rules that apply to that type, so a
drug ad never pays for the food rules and no hit has to be filtered by type afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import ahocorasick

from silvershield.ads.checker.anchors import max_width, required_literals
from silvershield.ads.checker.spec import PRODUCT_TYPES, PROHIBITED, REGEX_PREFIX, RuleSpec, Violation
from silvershield.ads.checker.text import ANY_QUOTE, WARNING, is_negated, is_reported_quotation, normalise

# Roles a pattern plays for its rule.
TRIGGER = 0  # prohibited: a place the rule fires; required: evidence that what is required is there
CONTEXT = 1  # the rule only applies when one of these occurs somewhere in the ad
EXCEPTION = 2  # a hit lying inside one of these is not a violation (e.g. 辅助降血糖 for a health food)
ANCHOR = 3  # a word every match of regex number `slot` contains: only then is that regex run


def compile_pattern(pattern: str) -> re.Pattern[str] | None:
    """The compiled regex for a "re:" pattern, None for a literal phrase; raises re.error on a bad regex."""
    if pattern.startswith(REGEX_PREFIX):
        return re.compile(pattern[len(REGEX_PREFIX) :])
    return None


@dataclass(slots=True)
class _Program:
    """What the engine runs for one product type."""

    rules: list[RuleSpec]
    automaton: ahocorasick.Automaton | None
    # (rule slot, role, compiled regex, anchored, widest match or None): an anchored regex runs only when
    # its words occur, and only around them when its matches are of bounded width
    regexes: list[tuple[int, int, re.Pattern[str], bool, int | None]]
    has_context: list[bool]
    unanchored: tuple[int, ...]
    required_slots: list[int]


def _build_program(rules: list[RuleSpec]) -> _Program:
    phrases: dict[str, list[tuple[int, int, int]]] = {}
    regexes: list[tuple[int, int, re.Pattern[str], bool, int | None]] = []
    for slot, rule in enumerate(rules):
        for role, patterns in (
            (TRIGGER, rule.patterns),
            (CONTEXT, rule.context_patterns),
            (EXCEPTION, rule.exception_patterns),
        ):
            for pattern in patterns:
                compiled = compile_pattern(pattern)
                if compiled is not None:
                    anchors = required_literals(compiled.pattern)
                    for word in anchors or ():
                        phrases.setdefault(word, []).append((len(regexes), ANCHOR, len(word)))
                    width = max_width(compiled.pattern) if anchors else None
                    regexes.append((slot, role, compiled, anchors is not None, width))
                    continue
                phrase = normalise(pattern)
                if phrase:
                    phrases.setdefault(phrase, []).append((slot, role, len(phrase)))
    automaton = None
    if phrases:
        automaton = ahocorasick.Automaton()
        for phrase, entries in phrases.items():
            # (length, regexes it anchors, rules it triggers, rules it is context for, rules it excuses):
            # grouped by role once here so the per-hit loop does no dispatching.
            by_role = tuple(
                tuple(slot for slot, entry_role, _ in entries if entry_role == role)
                for role in (ANCHOR, TRIGGER, CONTEXT, EXCEPTION)
            )
            automaton.add_word(phrase, (len(phrase), *by_role))
        automaton.make_automaton()
    return _Program(
        rules=rules,
        automaton=automaton,
        regexes=regexes,
        has_context=[bool(rule.context_patterns) for rule in rules],
        unanchored=tuple(index for index, entry in enumerate(regexes) if not entry[3]),
        required_slots=[slot for slot, rule in enumerate(rules) if rule.kind != PROHIBITED],
    )


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching hits of one rule ("根治" in "彻底根治"; "保本"+"保息") make one finding."""
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:
            if end > last_end:
                merged[-1] = (last_start, end)
        else:
            merged.append((start, end))
    return merged


class _AdText:
    """One ad's normal form and what the context checks need to know about it as a whole."""

    __slots__ = ("text", "quoted", "warned")

    def __init__(self, text: str) -> None:
        self.text = text
        # Most ads have neither quotation marks nor warning words; knowing that spares a search per hit.
        self.quoted = ANY_QUOTE.search(text) is not None
        self.warned = WARNING.search(text) is not None


def _stands(rule: RuleSpec, ad: _AdText, start: int, end: int) -> bool:
    """Whether a hit is the ad's own statement: not denied, not someone else's claim in quotation marks."""
    if rule.negation_applies and is_negated(ad.text, start, warned=ad.warned):
        return False
    return not (ad.quoted and rule.quotation_applies and is_reported_quotation(ad.text, start, end))


def _context_holds(rule: RuleSpec, ad: _AdText, spans: list[tuple[int, int]] | None) -> bool:
    """The ad is of the kind the rule is for: a context word occurs as the ad's own statement.

    An anti-fraud notice that warns of "'高额回报'的承诺" is not an investment ad.
    """
    return bool(spans) and any(_stands(rule, ad, start, end) for start, end in spans)


class CompiledRulebook:
    """A rulebook ready to check ads: the rules in force on one day, compiled per product type.

    `version` names the rule versions it was built from, so a finding can say which rulebook made it.
    """

    def __init__(self, *, rules: Iterable[RuleSpec], on: date, version: str = "") -> None:
        self.on = on
        self.rules = tuple(rule for rule in rules if rule.enabled and rule.in_force_on(on))
        self.version = version
        self._programs = {
            product_type: _build_program([rule for rule in self.rules if rule.applies_to(product_type)])
            for product_type in PRODUCT_TYPES
        }

    def check(self, *, text: str, product_type: str) -> list[Violation]:
        """The violations in one ad, ordered by where they start; KeyError for an unknown product type."""
        program = self._programs[product_type]
        norm = normalise(text)
        hits = self._collect(program, norm)
        return _decide(program, text, norm, hits)

    def _collect(self, program: _Program, norm: str) -> _Hits:
        """Every place a pattern of an applicable rule occurs: one pass of the automaton, then the regexes."""
        triggers: dict[int, list[tuple[int, int]]] = {}
        contexts: dict[int, list[tuple[int, int]]] = {}
        exceptions: dict[int, list[tuple[int, int]]] = {}
        # regex index → [first anchor start, last anchor end]
        anchored: dict[int, list[int]] = {}
        if program.automaton is not None:
            for end, (
                length,
                anchors,
                trigger_slots,
                context_slots,
                exception_slots,
            ) in program.automaton.iter(norm):
                end += 1
                start = end - length
                for index in anchors:
                    around = anchored.get(index)
                    if around is None:
                        anchored[index] = [start, end]
                    else:
                        around[1] = end
                for slot in trigger_slots:
                    triggers.setdefault(slot, []).append((start, end))
                for slot in context_slots:
                    contexts.setdefault(slot, []).append((start, end))
                for slot in exception_slots:
                    exceptions.setdefault(slot, []).append((start, end))
        regexes = program.regexes
        size = len(norm)
        postponed: list[tuple[int, re.Pattern[str], int, int]] = []
        for index in (*program.unanchored, *anchored):
            slot, role, regex, _, width = regexes[index]
            low, high = 0, size
            if width is not None:
                # Every match contains an anchor word, so none starts before the first one minus the widest
                # match, or ends after the last one plus it; 8 more characters for look-ahead like (?!\d).
                first, last = anchored[index]
                low, high = max(0, first - width), min(size, last + width + 8)
            if role == EXCEPTION:
                # An exception matters only for a rule that has a hit to excuse.
                postponed.append((slot, regex, low, high))
                continue
            found = [m.span() for m in regex.finditer(norm, low, high) if m.end() > m.start()]
            if found:
                (triggers if role == TRIGGER else contexts).setdefault(slot, []).extend(found)
        for slot, regex, low, high in postponed:
            if slot in triggers:
                found = [m.span() for m in regex.finditer(norm, low, high) if m.end() > m.start()]
                if found:
                    exceptions.setdefault(slot, []).extend(found)
        return triggers, contexts, exceptions


_Hits = tuple[
    dict[int, list[tuple[int, int]]], dict[int, list[tuple[int, int]]], dict[int, list[tuple[int, int]]]
]


def _decide(program: _Program, text: str, norm: str, hits: _Hits) -> list[Violation]:
    """Turn the hits into findings: context, exceptions, negation and quotation, then required wording."""
    triggers, contexts, exceptions = hits
    violations: list[Violation] = []
    if not triggers and not program.required_slots:
        return violations
    ad = _AdText(norm)
    rules = program.rules
    for slot in program.required_slots:
        rule = rules[slot]
        if slot in triggers or (
            program.has_context[slot] and not _context_holds(rule, ad, contexts.get(slot))
        ):
            continue
        # The whole ad is the span: what is wrong is that the wording is nowhere in it.
        violations.append(
            Violation(
                rule.article,
                0,
                len(text),
                rule.explanation.replace("{match}", ""),
                rule.severity,
                rule.code,
                rule.version,
            )
        )
    for slot, spans in triggers.items():
        rule = rules[slot]
        if rule.kind != PROHIBITED:
            continue
        if program.has_context[slot] and not _context_holds(rule, ad, contexts.get(slot)):
            continue
        covering = exceptions.get(slot)
        if covering:
            # Before merging: two valid numbers side by side must not merge into one that no exception covers.
            spans = [
                (start, end) for start, end in spans if not any(s <= start and end <= e for s, e in covering)
            ]
            if not spans:
                continue
        for start, end in _merge(spans):
            if not _stands(rule, ad, start, end):
                continue
            violations.append(
                Violation(
                    rule.article,
                    start,
                    end,
                    rule.explanation.replace("{match}", text[start:end]),
                    rule.severity,
                    rule.code,
                    rule.version,
                )
            )
    violations.sort(key=lambda v: (v.start, v.end, v.article))
    return violations
