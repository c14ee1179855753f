"""Reads and rules of inspections (现场检查 / 首次走访): who may record one, who may go on it, which
inspections a person sees, and which were first visits.

The write is `entities.services.record_inspection`. `Inspection.officers` holds the officers who went,
in order (`InspectionOfficer.position`, the leading inspector first, who is also `Inspection.inspector`);
`inspections_visible_to` prefetches them, so `inspection.officer_names` costs no query per row.
"""

from __future__ import annotations

from datetime import date

from django.db.models import BigIntegerField, Exists, OuterRef, Prefetch, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from silvershield.core.models import OrgUnit, OrgUnitKind, Role, User
from silvershield.core.permissions import ENTITY_ROLES
from silvershield.core.queries import bureau_of, reachable_division_codes
from silvershield.entities.models import AlertKind, Entity, GateAlert, Inspection, InspectionOfficer

# Who records an inspection: the officers who go on site (执法人员, 所长) and the registration section
# (登记注册科), whose first-visit flags an inspection resolves.
INSPECTING_ROLES = frozenset({Role.INVESTIGATOR, Role.UNIT_HEAD, Role.REGISTRATION_SECTION})
# Who sees inspections and the hazard ledger: the ledger roles and the registration section.
LEDGER_KEEPING_ROLES = ENTITY_ROLES - {Role.HOTLINE_OPERATOR, Role.AD_MONITOR, Role.PUBLICITY_OFFICER}


def can_record_inspection(user: User, entity: Entity | None = None) -> bool:
    """An officer in an inspecting role whose bureau's jurisdiction covers the entity's division."""
    if not (user.is_authenticated and user.role in INSPECTING_ROLES):
        return False
    return entity is None or entity.division_id in reachable_division_codes(user)


def can_see_inspections(user: User) -> bool:
    return user.is_authenticated and user.role in LEDGER_KEEPING_ROLES


def inspecting_officers(*, entity: Entity, among: User) -> QuerySet[User]:
    """The people who may go on an inspection of `entity`, recorded by `among`: active officers in an
    inspecting role, in the recorder's bureau tree, whose own bureau's jurisdiction covers the entity."""
    bureaus = list(OrgUnit.objects.filter(kind=OrgUnitKind.BUREAU).only("pk", "path", "division_id"))
    covering = [
        b.pk
        for b in bureaus
        if any(d.path.startswith(b.path) for d in bureaus if d.division_id == entity.division_id)
    ]
    return (
        User.objects.filter(
            is_active=True,
            role__in=INSPECTING_ROLES,
            unit__path__startswith=bureau_of(among).path,
            unit__bureau__in=covering,
        )
        .select_related("unit")
        .order_by("unit__path", "full_name")
    )


def first_visit_q() -> Exists:
    """True for an inspection that resolved a first-visit flag (the flag's detail names it)."""
    return Exists(
        # By entity first (its index), so each inspection looks at its own entity's one or two flags.
        GateAlert.objects.filter(entity_id=OuterRef("entity_id"), kind=AlertKind.FIRST_VISIT)
        .annotate(by_inspection=Cast(KeyTextTransform("inspection", "detail"), BigIntegerField()))
        .filter(by_inspection=OuterRef("pk"))
    )


def inspections_visible_to(user: User) -> QuerySet[Inspection]:
    """Inspections of the entities in the person's divisions, newest first, with `is_first_visit` and
    their officers in order (one more query for a page of rows)."""
    base = (
        Inspection.objects.select_related("entity", "entity__division")
        .prefetch_related(
            Prefetch(
                "officer_places",
                queryset=InspectionOfficer.objects.select_related("officer").order_by("position"),
            )
        )
        .annotate(is_first_visit=first_visit_q())
    )
    if not can_see_inspections(user):
        return base.none()
    return base.filter(entity__division_id__in=reachable_division_codes(user)).order_by(
        "-inspected_on", "-id"
    )


def filter_inspections(
    queryset: QuerySet[Inspection],
    *,
    division: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    result: str = "",
    first_visit: bool | None = None,
    entity: int | None = None,
    officer: int | None = None,
) -> QuerySet[Inspection]:
    """The filters of the inspection list, the Excel export and the API; `officer`: one of those who went."""
    if division:
        queryset = queryset.filter(entity__division_id=division)
    if date_from:
        queryset = queryset.filter(inspected_on__gte=date_from)
    if date_to:
        queryset = queryset.filter(inspected_on__lte=date_to)
    if result:
        queryset = queryset.filter(result=result)
    if first_visit is not None:
        queryset = queryset.filter(is_first_visit=first_visit)
    if entity:
        queryset = queryset.filter(entity_id=entity)
    if officer:
        queryset = queryset.filter(officers=officer)
    return queryset
