"""The agenda of a screening meeting, built live from the ledger (never typed in).

On it: every registered (or screened but not yet dispatched) lead in the bureau's reach that has no
decision elsewhere, flagged when its clock runs out within the window; the open leads further on whose
clocks run out soon (for attention); and the clusters with a lead in reach. Grouped by category group and
division, each lead with its recommendation (rules.Recommender) and its decision if one is recorded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from silvershield.core.models import OrgUnit
from silvershield.core.workdays import add_working_days
from silvershield.leads.models import Lead, LeadState
from silvershield.screening.clusters import Cluster, build_clusters, refresh_index
from silvershield.screening.models import Decision, KeyKind, Meeting
from silvershield.screening.rules import GROUP_LABELS, GROUPS, Recommendation, Recommender

TO_DECIDE = (LeadState.REGISTERED, LeadState.SCREENED)
FURTHER_ON = (LeadState.DISPATCHED, LeadState.VERIFYING)
KEY_LABELS = dict(KeyKind.choices)
SECRET_FIELDS = ("reporter_name", "reporter_phone", "reporter_id_number", "reporter_address")


@dataclass
class Item:
    lead: Lead
    group: str
    due_soon: bool
    recommendation: Recommendation
    decision: Decision | None = None
    cluster: Cluster | None = None


@dataclass
class ClusterView:
    cluster: Cluster
    leads: list[Lead]  # those in reach
    others: int  # leads of the cluster outside the bureau's reach (counted, not shown)
    undecided: int

    @property
    def keys_display(self) -> list[str]:
        return [f"{KEY_LABELS.get(k, k)}：{v.split(':', 1)[-1] if k == KeyKind.PARTY else v}"
                for k, v in self.cluster.keys if k != KeyKind.ENTITY]

    @property
    def division_count(self) -> int:
        return len(self.cluster.divisions)


@dataclass
class Agenda:
    bureau: OrgUnit
    day: date
    window_days: int
    due_by: date
    items: list[Item] = field(default_factory=list)
    clocks: list[Lead] = field(default_factory=list)
    clusters: list[ClusterView] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, str, list[tuple[str, list[Item]]]]]:
        by_group: dict[str, dict[str, list[Item]]] = defaultdict(lambda: defaultdict(list))
        for item in self.items:
            by_group[item.group][item.lead.division.name].append(item)
        return [
            (key, GROUP_LABELS[key], sorted(by_group[key].items()))
            for key, _label in GROUPS
            if key in by_group
        ]

    @property
    def undecided(self) -> list[Item]:
        return [i for i in self.items if i.decision is None]

    @property
    def decided(self) -> list[Item]:
        return [i for i in self.items if i.decision is not None]


def build_agenda(*, bureau: OrgUnit, meeting: Meeting | None = None, day: date | None = None,
                 window_days: int | None = None, refresh: bool = True) -> Agenda:
    day = day or (meeting.held_on if meeting else timezone.localdate())
    recommender = Recommender(day=day)
    if window_days is None:
        window_days = meeting.due_window_days if meeting else recommender.setting.due_window_days
    due_by = add_working_days(day, window_days).due
    if refresh:
        refresh_index()
    in_reach = Q(bureau__path__startswith=bureau.path)
    not_decided_elsewhere = Q(screening_decisions__isnull=True)
    if meeting is not None:
        not_decided_elsewhere |= Q(screening_decisions__meeting=meeting)
    leads = list(
        Lead.objects.filter(in_reach, state__in=TO_DECIDE)
        .filter(not_decided_elsewhere)
        .select_related("division")
        .defer(*SECRET_FIELDS)
        .order_by("received_date", "id")
    )
    recommender.load_entity_divisions({lead.party_entity_id for lead in leads if lead.party_entity_id})
    decisions = {
        d.lead_id: d
        for d in Decision.objects.filter(lead_id__in=[lead.pk for lead in leads])
        .select_related("handling_unit", "merged_into", "decided_by", "matter")
        .prefetch_related("verifiers")
    } if meeting is not None else {}
    clusters = build_clusters()
    by_lead = {lead_id: c for c in clusters for lead_id in c.lead_ids}
    agenda = Agenda(bureau=bureau, day=day, window_days=window_days, due_by=due_by)
    for lead in leads:
        cluster = by_lead.get(lead.pk)
        rec = recommender.recommend(lead, cluster=cluster)
        agenda.items.append(
            Item(
                lead=lead,
                group=rec.group,
                due_soon=bool(lead.due_date and day <= lead.due_date <= due_by),  # overdue has its own badge
                recommendation=rec,
                decision=decisions.get(lead.pk),
                cluster=cluster,
            )
        )
    agenda.clocks = list(
        Lead.objects.filter(in_reach, state__in=FURTHER_ON, due_date__lte=due_by)
        .select_related("division", "handling_unit")
        .defer(*SECRET_FIELDS)
        .order_by("due_date", "id")[:200]
    )
    agenda_ids = {i.lead.pk for i in agenda.items}
    wanted = [c for c in clusters if len(c.lead_ids) > 1]
    cluster_lead_ids = {i for c in wanted for i in c.lead_ids}
    reachable = {lead.pk: lead for lead in leads if lead.pk in cluster_lead_ids}
    reachable.update(
        (lead.pk, lead)
        for lead in Lead.objects.filter(in_reach, pk__in=cluster_lead_ids - set(reachable))
        .select_related("division", "handling_unit").defer(*SECRET_FIELDS)
    )
    for c in wanted:
        mine = [reachable[i] for i in c.lead_ids if i in reachable]
        if not mine:
            continue
        agenda.clusters.append(
            ClusterView(
                cluster=c, leads=mine, others=len(c.lead_ids) - len(mine),
                undecided=sum(1 for i in c.lead_ids if i in agenda_ids),
            )
        )
    return agenda


def find_cluster_view(*, bureau: OrgUnit, key: str) -> ClusterView | None:
    refresh_index()
    for c in build_clusters():
        if c.key == key:
            leads = list(
                Lead.objects.filter(bureau__path__startswith=bureau.path, pk__in=c.lead_ids).select_related(
                    "division", "handling_unit", "party_entity"
                )
            )
            if not leads:
                return None
            undecided = Lead.objects.filter(pk__in=[lead.pk for lead in leads], state__in=TO_DECIDE, screening_decisions__isnull=True).count()
            return ClusterView(cluster=c, leads=leads, others=len(c.lead_ids) - len(leads), undecided=undecided)
    return None
