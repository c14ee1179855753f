"""Values every page needs: the signed-in person's bureau and which parts of the menu they may open."""

from silvershield.core.permissions import can_see_entities, can_see_ledger


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from silvershield.entities.inspections import can_see_inspections

    return {
        "nav_can_see_ledger": can_see_ledger(user),
        "nav_can_see_entities": can_see_entities(user),
        "nav_can_see_inspections": can_see_inspections(user),
    }
