"""Reads of market entities, scoped to the divisions the person's bureau reaches."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from silvershield.core.models import User
from silvershield.core.permissions import can_see_entities
from silvershield.core.queries import reachable_division_codes
from silvershield.entities.models import Entity


def entities_visible_to(user: User) -> QuerySet[Entity]:
    base = Entity.objects.select_related("division", "risk")
    if not can_see_entities(user):
        return base.none()
    return base.filter(division_id__in=reachable_division_codes(user))


def entity_divisions_visible_to(user: User) -> tuple[str, ...]:
    """The division codes whose entities the person may see (the scope of `entities_visible_to`), for
    look-ups that write their own SQL (entities/linking.py)."""
    return tuple(reachable_division_codes(user)) if can_see_entities(user) else ()


def get_entity_for_user(user: User, pk: int) -> Entity:
    return get_object_or_404(entities_visible_to(user), pk=pk)


def search_entities(queryset: QuerySet[Entity], text: str) -> QuerySet[Entity]:
    """By name, credit code, legal representative or pinyin initials (e.g. "cfskj" for 赤峰顺康…)."""
    text = (text or "").strip()
    if not text:
        return queryset
    q = Q(name__icontains=text) | Q(uscc__icontains=text.upper()) | Q(legal_representative__icontains=text)
    if text.isascii() and text.isalpha():
        q |= Q(name_initials__contains=text.lower())
    return queryset.filter(q)
