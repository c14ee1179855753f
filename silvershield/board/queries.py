"""Reads of the wall board (挂图作战), always scoped (core/queries.py via leads/cases queries).

The board is every open item — leads and cases — in columns by stage, each card coloured by its clock:
green; yellow when the rule's number of working days or fewer are left (board.WarningRule, 3 by
default); red when overdue; grey when no clock runs (concluded, decided, awaiting strike-off).

Everything here is built to answer in the same time with 10^6 leads in the database: counts are one
aggregate query per model (grouped by state, colours by conditional counts over the (state, due_date)
index), colours are date comparisons against two boundary dates computed once per request, and each
column shows at most `limit` cards (the rest behind "show more").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silvershield.cases.models import Case, CaseState
from silvershield.cases.queries import cases_visible_to
from silvershield.core.models import Division, User
from silvershield.core.permissions import LEDGER_ROLES
from silvershield.core.workdays import add_working_days, working_days_between
from silvershield.leads.models import Lead, LeadState

L, C = LeadState, CaseState
DEFAULT_WARNING_DAYS = 3  # only when no WarningRule row is in force (the migration loads one)
CARD_LIMIT = 15


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    lead_states: tuple[str, ...] = ()
    case_states: tuple[str, ...] = ()


COLUMNS: list[Column] = [
    Column("registered", _("Registered"), lead_states=(L.REGISTERED,)),
    Column("screened", _("Screened"), lead_states=(L.SCREENED,)),
    Column("dispatched", _("Dispatched"), lead_states=(L.DISPATCHED,)),
    Column("verifying", _("Verifying"), lead_states=(L.VERIFYING,)),
    Column("investigating", _("Case opened, investigating"), case_states=(C.OPENED, C.INVESTIGATING, C.SUSPENDED)),
    Column("review", _("Review and notice"), case_states=(C.IN_REVIEW, C.DELIBERATION, C.NOTIFIED)),
    Column("decided", _("Decided, executing"), case_states=(C.DECIDED,)),
    Column("executed", _("Executed, to be closed"), case_states=(C.EXECUTED,)),
    Column("awaiting_strike_off", _("Concluded, awaiting strike-off"), lead_states=(L.CONCLUDED,),
           case_states=(C.CLOSED,)),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
BOARD_LEAD_STATES = tuple(s for c in COLUMNS for s in c.lead_states)
BOARD_CASE_STATES = tuple(s for c in COLUMNS for s in c.case_states)
# The clocks that run: a lead's verification clock until concluded, a case's decision clock until decided.
CLOCK_LEAD_STATES = (L.REGISTERED, L.SCREENED, L.DISPATCHED, L.VERIFYING)
CLOCK_CASE_STATES = (C.OPENED, C.INVESTIGATING, C.SUSPENDED, C.IN_REVIEW, C.DELIBERATION, C.NOTIFIED)
COLOURS = ("red", "yellow", "green", "grey")
COLOUR_LABELS = {
    "red": _("overdue"),
    "yellow": _("due soon"),
    "green": _("on time"),
    "grey": _("no running clock"),
}


def warning_days(on: date) -> int:
    from silvershield.board.models import WarningRule

    rule = (
        WarningRule.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .order_by("-effective_from")
        .first()
    )
    return rule.warning_working_days if rule else DEFAULT_WARNING_DAYS


@dataclass(frozen=True)
class Clock:
    """The two boundary dates of a day's colours: due < today is red; today ≤ due < green_from is yellow."""

    today: date
    warning_days: int
    green_from: date
    _left: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def working_days_left(self, due: date) -> int:
        if due not in self._left:
            self._left[due] = working_days_between(self.today, due)
        return self._left[due]

    @classmethod
    def on(cls, today: date | None = None) -> Clock:
        today = today or timezone.localdate()
        days = warning_days(today)
        # A due date d has ≤ N working days left exactly when d comes before the (N+1)th working day.
        return cls(today=today, warning_days=days, green_from=add_working_days(today, days + 1).due)

    def colour(self, due: date | None, running: bool) -> str:
        if not running or due is None:
            return "grey"
        if due < self.today:
            return "red"
        if due < self.green_from:
            return "yellow"
        return "green"

    def q(self, colour: str, clock_states: tuple[str, ...]) -> Q:
        running = Q(state__in=clock_states, due_date__isnull=False)
        if colour == "red":
            return running & Q(due_date__lt=self.today)
        if colour == "yellow":
            return running & Q(due_date__gte=self.today, due_date__lt=self.green_from)
        if colour == "green":
            return running & Q(due_date__gte=self.green_from)
        return ~running


# --- scope -------------------------------------------------------------------------------------------


def can_see_board(user: User) -> bool:
    return user.is_authenticated and user.role in LEDGER_ROLES


def _reaches_everything(user: User) -> bool:
    """True for a ledger role (not an investigator) at the root bureau: every bureau is within reach.

    Then the scope filter (a join on the bureau's path) can be left out — it would keep every row — and the
    counts stay on the (state, due_date) index instead of visiting 10^5 rows for their bureau.
    """
    from silvershield.core.models import OrgUnit, Role
    from silvershield.core.queries import bureau_of

    cached = getattr(user, "_board_reaches_everything", None)
    if cached is not None:
        return cached
    if not can_see_board(user) or user.role == Role.INVESTIGATOR:
        answer = False
    else:
        bureau = bureau_of(user)
        answer = bureau.parent_id is None and not OrgUnit.objects.exclude(path__startswith=bureau.path).exists()
    user._board_reaches_everything = answer  # for this request: the User object lives as long as it
    return answer


def board_leads(user: User) -> QuerySet[Lead]:
    """The leads on `user`'s board: leads_visible_to(user), without its joins (the board reads few columns)."""
    from silvershield.leads.queries import leads_visible_to

    base = Lead.objects.all() if _reaches_everything(user) else leads_visible_to(user).select_related(None)
    return base.filter(state__in=BOARD_LEAD_STATES)


def board_cases(user: User) -> QuerySet[Case]:
    base = Case.objects.all() if _reaches_everything(user) else cases_visible_to(user).select_related(None)
    return base.filter(state__in=BOARD_CASE_STATES)


# --- filters -----------------------------------------------------------------------------------------


@dataclass
class BoardFilter:
    unit: int | None = None
    division: str = ""
    category: str = ""
    officer: int | None = None
    colour: str = ""
    channel: str = ""

    def as_query(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def filter_leads(qs: QuerySet[Lead], f: BoardFilter, clock: Clock) -> QuerySet[Lead]:
    if f.unit:
        qs = qs.filter(handling_unit_id=f.unit)
    if f.division:
        qs = qs.filter(division_id=f.division)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.officer:
        through = Lead.assignees.through
        qs = qs.filter(Exists(through.objects.filter(lead_id=OuterRef("pk"), user_id=f.officer)))
    if f.colour:
        qs = qs.filter(clock.q(f.colour, CLOCK_LEAD_STATES))
    return qs


def filter_cases(qs: QuerySet[Case], f: BoardFilter, clock: Clock) -> QuerySet[Case]:
    if f.unit:
        qs = qs.filter(handling_unit_id=f.unit)
    if f.division:
        qs = qs.filter(division_id=f.division)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.channel:
        qs = qs.filter(Exists(Lead.objects.filter(case_id=OuterRef("pk"), channel=f.channel)))
    if f.officer:
        through = Case.officers.through
        qs = qs.filter(Exists(through.objects.filter(case_id=OuterRef("pk"), user_id=f.officer)))
    if f.colour:
        qs = qs.filter(clock.q(f.colour, CLOCK_CASE_STATES))
    return qs


# --- counts ------------------------------------------------------------------------------------------


def _counts_by_state(qs, clock: Clock, clock_states, board_states) -> dict[str, dict[str, int]]:
    """{state: {total, red, yellow, green, grey}} in two grouped queries over the (state, due_date) index:
    colours only where a clock runs (few rows), plain counts for the rest (concluded: 10^5 rows). The rest
    are named (`board_states` without `clock_states`), not excluded: PostgreSQL reads "IN (…) AND NOT IN
    (…)" by scanning the whole table (200 ms at 10^6 leads) but an index-only scan serves "= 'concluded'"."""
    running = set(clock_states)
    others = [s for s in board_states if s not in running]
    aggregates = {c: Count("id", filter=clock.q(c, clock_states)) for c in ("red", "yellow", "green")}
    out = {}
    for row in qs.filter(state__in=clock_states).order_by().values("state").annotate(total=Count("id"), **aggregates):
        row["grey"] = row["total"] - row["red"] - row["yellow"] - row["green"]
        out[row["state"]] = row
    # COUNT(*), not COUNT(id): the index holds state but not id, so counting ids reads every row's heap page.
    for row in qs.filter(state__in=others).order_by().values("state").annotate(total=Count("*")):
        out[row["state"]] = {**row, "red": 0, "yellow": 0, "green": 0, "grey": row["total"]}
    return out


@dataclass
class Card:
    kind: str  # "lead" | "case"
    pk: int
    number: str
    party: str
    category: str
    division: str
    unit: str
    officers: list[str]
    due: date | None
    colour: str
    left: int | None  # working days left (yellow cards), None otherwise
    priority: str
    priority_label: str
    state_label: str
    due_text: str = ""

    @property
    def url(self) -> str:
        return f"{_url_prefix(self.kind + 's:detail')}{self.pk}/"

    @property
    def strike_off_url(self) -> str:
        return f"{_url_prefix('board')}{self.kind}/{self.pk}/strike-off/"


@lru_cache(maxsize=8)
def _url_prefix(name: str) -> str:
    """/leads/, /cases/, /board/ — reversed once, so 200 cards do not each reverse a URL."""
    from django.urls import reverse

    if name == "board":
        return reverse("board:board")
    return reverse(name, args=[0])[: -len("0/")]


@dataclass
class ColumnView:
    column: Column
    total: int = 0
    colours: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLOURS, 0))
    cards: list[Card] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.column.key

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.cards))


@dataclass
class Board:
    clock: Clock
    filter: BoardFilter
    columns: list[ColumnView]

    @property
    def total(self) -> int:
        return sum(c.total for c in self.columns)

    @property
    def colours(self) -> dict[str, int]:
        return {k: sum(c.colours[k] for c in self.columns) for k in COLOURS}


def _division_names() -> dict[str, str]:
    return dict(Division.objects.values_list("code", "name"))


def _people():
    return User.objects.only("id", "full_name", "username")


def _lead_cards(qs: QuerySet[Lead], clock: Clock, names: dict[str, str]) -> list[Card]:
    from silvershield.leads.models import FraudCategory, Priority

    rows = list(
        qs.select_related("handling_unit")
        .only("id", "number", "party_name", "category", "division_id", "handling_unit__name", "due_date",
              "state", "priority")
        .prefetch_related(Prefetch("assignees", queryset=_people()))
    )
    return [
        _card("lead", r, clock, names, FraudCategory, Priority, [p.display_name for p in r.assignees.all()],
              r.state in CLOCK_LEAD_STATES, r.get_state_display())
        for r in rows
    ]


def _case_cards(qs: QuerySet[Case], clock: Clock, names: dict[str, str]) -> list[Card]:
    from silvershield.leads.models import FraudCategory

    rows = list(
        qs.select_related("handling_unit")
        .only("id", "number", "party_name", "category", "division_id", "handling_unit__name", "due_date", "state")
        .prefetch_related(Prefetch("officers", queryset=_people()))
    )
    return [
        _card("case", r, clock, names, FraudCategory, None, [p.display_name for p in r.officers.all()],
              r.state in CLOCK_CASE_STATES, r.get_state_display())
        for r in rows
    ]


def _card(kind, r, clock, names, categories, priorities, officers, running, state_label) -> Card:
    colour = clock.colour(r.due_date, running)
    left = clock.working_days_left(r.due_date) if colour == "yellow" else None
    priority = getattr(r, "priority", "normal") if priorities else "normal"
    return Card(
        due_text=_due_text(colour, r.due_date, left, state_label),
        kind=kind, pk=r.pk, number=r.number or f"#{r.pk}", party=r.party_name,
        category=str(categories(r.category).label) if r.category in categories.values else "",
        division=names.get(r.division_id, ""), unit=r.handling_unit.name if r.handling_unit_id else "",
        officers=officers, due=r.due_date, colour=colour, left=left, priority=priority,
        priority_label=str(priorities(priority).label) if priorities and priority != "normal" else "",
        state_label=str(state_label),
    )


def _due_text(colour: str, due: date | None, left: int | None, state_label) -> str:
    """The card's last line, written once in Python rather than by template tags for 100+ cards."""
    from django.utils.translation import gettext, ngettext

    from silvershield.core.templatetags.silvershield_tags import cn_date

    if colour == "red":
        return f"{gettext('overdue')} · {cn_date(due)}"
    if colour == "yellow":
        note = gettext("due today") if left == 0 else ngettext(
            "%(n)s working day left", "%(n)s working days left", left or 0) % {"n": left}
        return f"{note} · {cn_date(due)}"
    if colour == "green":
        return f"{gettext('due')} {cn_date(due)}"
    return str(state_label)


def _ordered(qs, column: Column, model: str):
    """Most urgent first: by due date (the (state, due_date) index), so a column of 10^5 items costs a
    page, not a sort; awaiting strike-off, the earliest due has waited longest."""
    return qs.order_by("due_date", "id")


def column_cards(
    user: User, f: BoardFilter, column: Column, *, clock: Clock, offset: int = 0, limit: int = CARD_LIMIT,
    names: dict[str, str] | None = None, n_leads: int | None = None,
) -> list[Card]:
    """Cards of one column, most urgent first; lead cards before case cards where a column has both."""
    names = names if names is not None else _division_names()
    cards: list[Card] = []
    if column.lead_states:
        qs = filter_leads(board_leads(user).filter(state__in=column.lead_states), f, clock)
        if column.case_states and n_leads is None:
            n_leads = qs.count()
        cards += _lead_cards(_ordered(qs, column, "lead")[offset: offset + limit], clock, names)
    else:
        n_leads = 0
    if column.case_states and len(cards) < limit:
        case_offset = max(0, offset - (n_leads or 0))
        qs = filter_cases(board_cases(user).filter(state__in=column.case_states), f, clock)
        cards += _case_cards(_ordered(qs, column, "case")[case_offset: case_offset + limit - len(cards)], clock, names)
    return cards


def build_board(user: User, f: BoardFilter, *, clock: Clock | None = None, limit: int = CARD_LIMIT) -> Board:
    clock = clock or Clock.on()
    lead_counts = _counts_by_state(filter_leads(board_leads(user), f, clock), clock, CLOCK_LEAD_STATES, BOARD_LEAD_STATES)
    case_counts = _counts_by_state(filter_cases(board_cases(user), f, clock), clock, CLOCK_CASE_STATES, BOARD_CASE_STATES)
    columns = []
    names = _division_names() if limit else {}
    for column in COLUMNS:
        view = ColumnView(column)
        n_leads = 0
        for state in column.lead_states:
            row = lead_counts.get(state)
            if row:
                n_leads += row["total"]
                view.total += row["total"]
                for colour in COLOURS:
                    view.colours[colour] += row[colour]
        for state in column.case_states:
            row = case_counts.get(state)
            if row:
                view.total += row["total"]
                for colour in COLOURS:
                    view.colours[colour] += row[colour]
        if view.total and limit:
            view.cards = column_cards(user, f, column, clock=clock, limit=limit, names=names, n_leads=n_leads)
        columns.append(view)
    return Board(clock=clock, filter=f, columns=columns)


def red_cards(user: User, f: BoardFilter, *, clock: Clock, limit: int = 40) -> list[Card]:
    """The overdue items, longest overdue first (the big screen's list)."""
    names = _division_names()
    red = BoardFilter(**{**f.__dict__, "colour": "red"})
    leads = filter_leads(board_leads(user), red, clock).order_by("due_date", "id")[:limit]
    cases = filter_cases(board_cases(user), red, clock).order_by("due_date", "id")[:limit]
    cards = _lead_cards(leads, clock, names) + _case_cards(cases, clock, names)
    cards.sort(key=lambda c: (c.due or date.max, c.kind, c.pk))
    return cards[:limit]


def every_item(user: User, f: BoardFilter, *, clock: Clock):
    """Every item on the filtered board, column by column (the whole-board Excel sheet)."""
    for column in COLUMNS:
        if column.lead_states:
            qs = filter_leads(board_leads(user).filter(state__in=column.lead_states), f, clock)
            for lead in _ordered(qs, column, "lead").select_related("division", "handling_unit", "case").prefetch_related("assignees").iterator(chunk_size=500):
                yield column, lead
        if column.case_states:
            qs = filter_cases(board_cases(user).filter(state__in=column.case_states), f, clock)
            for case in _ordered(qs, column, "case").select_related("division", "handling_unit").prefetch_related("officers", "leads").iterator(chunk_size=500):
                yield column, case


# --- the map -----------------------------------------------------------------------------------------

MEASURES = {
    "open": _("Leads in hand"),
    "overdue": _("Overdue items"),
    "risk": _("Higher-risk entities (tiers C and D)"),
}


def risk_tier_field() -> str | None:
    """The entities app's tier field, when it has one (it is being built alongside this app)."""
    from silvershield.entities.models import Entity

    for name in ("risk_tier", "tier"):
        try:
            Entity._meta.get_field(name)
        except Exception:  # noqa: BLE001 - FieldDoesNotExist
            continue
        return name
    return None


def available_measures() -> dict[str, Any]:
    return {k: v for k, v in MEASURES.items() if k != "risk" or risk_tier_field()}


def map_data(user: User, measure: str, *, clock: Clock | None = None) -> dict[str, Any]:
    """The value per county-level division for `measure`, for the 12 divisions of Chifeng.

    Divisions outside the person's reach come with `value: null` and `reachable: false` (drawn grey).
    """
    from silvershield.core.queries import reachable_division_codes

    clock = clock or Clock.on()
    reach = set(reachable_division_codes(user))
    counties = list(Division.objects.filter(level="county", parent_id="150400").order_by("code"))
    # A city person reaches every county; a county bureau its own division.
    values: dict[str, int] = {}
    # Few rows (the items whose clock runs), counted here rather than by GROUP BY: SQLite would otherwise
    # walk the whole division index in order to group, 10^6 entries instead of 10^2.
    if measure == "open":  # leads being handled (Lead.is_open): their verification clock runs
        codes = board_leads(user).filter(state__in=CLOCK_LEAD_STATES).values_list("division_id", flat=True)
        values = dict(Counter(codes))
    elif measure == "overdue":
        codes = list(board_leads(user).filter(clock.q("red", CLOCK_LEAD_STATES)).values_list("division_id", flat=True))
        codes += board_cases(user).filter(clock.q("red", CLOCK_CASE_STATES)).values_list("division_id", flat=True)
        values = dict(Counter(codes))
    elif measure == "risk" and risk_tier_field():
        from silvershield.entities.models import Entity

        tier = risk_tier_field()
        rows = (
            Entity.objects.filter(**{f"{tier}__in": ["C", "D"]}, division_id__in=reach)
            .order_by().values("division_id").annotate(n=Count("id"))
        )
        values = {r["division_id"]: r["n"] for r in rows}
    else:
        raise ValueError(measure)
    city_reach = "150400" in reach
    items = []
    for d in counties:
        reachable = city_reach or d.code in reach
        items.append({
            "code": d.code, "name": d.name,
            "value": values.get(d.code, 0) if reachable else None,
            "reachable": reachable,
        })
    present = [i["value"] for i in items if i["value"] is not None]
    return {
        "measure": measure,
        "label": str(MEASURES[measure]),
        "today": clock.today.isoformat(),
        "max": max(present) if present else 0,
        "total": sum(present),
        "divisions": items,
    }


def gate_alert_count(user: User) -> int | None:
    """Open entity gate alerts (deregistration with open items), when the entities app offers them."""
    for module in ("silvershield.entities.queries", "silvershield.entities.services", "silvershield.entities.gates"):
        try:
            mod = __import__(module, fromlist=["open_gate_alerts"])
        except ImportError:
            continue
        fn = getattr(mod, "open_gate_alerts", None)
        if fn is None:
            continue
        try:
            alerts = fn(user)
            return alerts.count() if hasattr(alerts, "count") and not isinstance(alerts, list) else len(alerts)
        except Exception:  # noqa: BLE001 - a neighbour's work in progress must not take the board down
            return None
    return None
