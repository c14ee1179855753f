"""Clusters: leads that share a party, a legal representative, a phone, a payment account, a venue, a
product or an approval number — across divisions.

Keys are extracted from each lead's fields, its linked entity and its text into `LeadKey` rows. The index
is refreshed by `refresh_index()`, which the agenda and the cluster page call before reading: it
re-extracts the open leads that have no `LeadIndexState` yet or whose `updated_at` is later than their
`indexed_at` (so leads bulk-inserted without signals are caught too). `silvershield screening reindex`
rebuilds everything. Clusters are the connected components of leads over shared keys (union-find); a key
shared by more leads than `ScreeningSetting.max_leads_per_key` (a hotline number, a market) is ignored.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from silvershield.leads.models import Lead, LeadState
from silvershield.screening.models import KeyKind, LeadIndexState, LeadKey

OPEN_STATES = (LeadState.RECEIVED, LeadState.REGISTERED, LeadState.SCREENED, LeadState.DISPATCHED, LeadState.VERIFYING)

MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[- ]?(\d{7,8})(?!\d)")
ACCOUNT = re.compile(r"(?:账号|账户|卡号|收款码?|转账至?|汇款至?|银行卡)[^0-9]{0,12}(\d{12,19})(?!\d)")
APPROVAL = re.compile(
    r"(国食健注G\d{8}|国食健字G\d{8}|卫食健字[（(]\d{4}[）)]第?\d{3,4}号?|食健备G\d{12,13}|国药准字[HZSJBTF]\d{8}"
    r"|国械注[准进许]\d{11}|[\u4e00-\u9fa5]械注准\d{11}|[\u4e00-\u9fa5]械备\d{8,9})"
)
PRODUCT = re.compile(r"[“\"「]([^”\"」]{2,20}(?:胶囊|片|口服液|床垫|仪|茶|粉|酒|液|膏|丸|颗粒|贴|鞋|枕|水))[”\"」]")
GENERIC_PHONES = {"12315", "12345", "110", "120"}


def _norm_text(value: str) -> str:
    return re.sub(r"\s+", "", value or "").strip()


def extract_keys(lead: Lead) -> set[tuple[str, str]]:
    """The (kind, value) keys of one lead: from its fields, its linked entity and its text."""
    keys: set[tuple[str, str]] = set()
    text = " ".join(filter(None, [lead.summary, lead.party_name, lead.party_address]))
    if lead.party_entity_id:
        keys.add((KeyKind.ENTITY, str(lead.party_entity_id)))
        entity = lead.party_entity
        if entity.legal_representative:
            keys.add((KeyKind.PERSON, _norm_text(entity.legal_representative)))
        if entity.phone:
            text += " " + entity.phone
        if entity.address:
            keys.add((KeyKind.VENUE, _norm_text(entity.address)[:200]))
    if lead.party_key and len(lead.party_key) >= 2:
        # A trading name alone links leads of one division only: shops of the same name in different
        # counties are linked across divisions by their entity, representative, phone, account or product.
        keys.add((KeyKind.PARTY, f"{lead.division_id}:{lead.party_key}"[:200]))
    if lead.party_address and len(_norm_text(lead.party_address)) >= 6:
        keys.add((KeyKind.VENUE, _norm_text(lead.party_address)[:200]))
    for match in MOBILE.finditer(text):
        keys.add((KeyKind.PHONE, "".join(match.groups())))
    for match in LANDLINE.finditer(text):
        keys.add((KeyKind.PHONE, "".join(match.groups())))
    for match in ACCOUNT.finditer(text):
        keys.add((KeyKind.ACCOUNT, match.group(1)))
    for match in APPROVAL.finditer(text):
        keys.add((KeyKind.APPROVAL, match.group(1).replace("(", "（").replace(")", "）")))
    for match in PRODUCT.finditer(text):
        keys.add((KeyKind.PRODUCT, match.group(1)))
    return {(k, v) for k, v in keys if v and v not in GENERIC_PHONES}


def index_leads(leads) -> int:
    """(Re)write the keys of these leads; returns how many were indexed."""
    leads = list(leads)
    if not leads:
        return 0
    now = timezone.now()
    ids = [lead.pk for lead in leads]
    rows = [LeadKey(lead_id=lead.pk, kind=k, value=v) for lead in leads for k, v in extract_keys(lead)]
    with transaction.atomic():
        LeadKey.objects.filter(lead_id__in=ids).delete()
        LeadKey.objects.bulk_create(rows, batch_size=1000)
        LeadIndexState.objects.filter(lead_id__in=ids).delete()
        LeadIndexState.objects.bulk_create([LeadIndexState(lead_id=i, indexed_at=now) for i in ids], batch_size=1000)
    return len(ids)


def refresh_index(*, chunk: int = 2000) -> int:
    """Index the leads never indexed or changed since; cheap when nothing changed."""
    # Only open leads: clusters are built from them alone, and a lead that reopens is changed, so
    # re-indexed then. Reading closed leads too cost a walk of the whole ledger per agenda (0.5 s at 10^6).
    stale = Lead.objects.filter(
        Q(screening_index__isnull=True) | Q(updated_at__gt=F("screening_index__indexed_at")), state__in=OPEN_STATES
    ).select_related("party_entity").order_by("pk")
    done, after = 0, 0
    while True:
        # Keyset pages: each batch starts where the last ended, so a first index of 10^6 leads reads the
        # table once instead of re-reading the indexed rows before every batch.
        batch = list(stale.filter(pk__gt=after)[:chunk])
        if not batch:
            return done
        done += index_leads(batch)
        after = batch[-1].pk


@dataclass
class Cluster:
    """A connected group of leads over shared keys."""

    lead_ids: list[int]
    keys: list[tuple[str, str]] = field(default_factory=list)  # the keys shared by two or more of its leads
    divisions: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return f"c{min(self.lead_ids)}"

    @property
    def crosses_divisions(self) -> bool:
        return len(self.divisions) > 1


def build_clusters(*, lead_filter: Q | None = None, max_per_key: int | None = None) -> list[Cluster]:
    """Clusters of two or more open leads (all divisions), biggest first."""
    from silvershield.screening.rules import current_setting

    if max_per_key is None:
        max_per_key = current_setting().max_leads_per_key
    rows = LeadKey.objects.filter(lead__state__in=OPEN_STATES)
    if lead_filter is not None:
        rows = rows.filter(lead_filter)
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    divisions: dict[int, str] = {}
    for lead_id, kind, value, division in rows.values_list("lead_id", "kind", "value", "lead__division_id"):
        by_key[(kind, value)].append(lead_id)
        divisions[lead_id] = division
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    shared = {k: ids for k, ids in by_key.items() if 1 < len(set(ids)) <= max_per_key}
    for ids in shared.values():
        first = find(ids[0])
        for other in ids[1:]:
            root = find(other)
            if root != first:
                parent[root] = first
    groups: dict[int, list[int]] = defaultdict(list)
    for lead_id in {i for ids in shared.values() for i in ids}:
        groups[find(lead_id)].append(lead_id)
    clusters: dict[int, Cluster] = {
        root: Cluster(lead_ids=sorted(ids), divisions={divisions[i] for i in ids}) for root, ids in groups.items()
    }
    for k, ids in shared.items():
        clusters[find(ids[0])].keys.append(k)
    result = [c for c in clusters.values() if len(c.lead_ids) > 1]
    for c in result:
        c.keys.sort()
    result.sort(key=lambda c: (-len(c.lead_ids), c.lead_ids[0]))
    return result


def cluster_of(lead_id: int, clusters: list[Cluster]) -> Cluster | None:
    for c in clusters:
        if lead_id in c.lead_ids:
            return c
    return None
