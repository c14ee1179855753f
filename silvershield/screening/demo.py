"""Demo step for measure 3 (core/demo_data/measures.py): the screening meetings.

- 红山区: last Monday's meeting, held, with its decisions carried out (leads dispatched to units and officers);
- 红山区 and the city bureau: this week's meeting open with its agenda (the city's shows the 康寿堂 chain as one
  cluster, ready to be sent to the city enforcement bureau as one matter);
- a declared conflict (recusal) and an officer on leave, so recommendations show both.
"""

from __future__ import annotations

from datetime import date, timedelta

from silvershield.core.queries import reachable_units
from silvershield.screening import services
from silvershield.screening.agenda import build_agenda
from silvershield.screening.models import Meeting, Unavailability


def _monday_on_or_before(day: date) -> date:
    return day - timedelta(days=day.weekday())


def run(*, rng, org, entities, frame, today: date) -> None:
    hongshan = org.counties.get("150402")
    if hongshan is None or not hongshan.task_office:
        return
    this_monday = _monday_on_or_before(today)
    last_monday = this_monday - timedelta(days=7)
    task = hongshan.task_office[0]
    chair = hongshan.unit_head or task
    attendees = [p for p in [hongshan.unit_head, *hongshan.legal_officers[:1]] if p is not None]
    for _unit, people in hongshan.handling_units[:1]:
        attendees += people[:1]

    # Recusal and leave, so the recommendations explain both.
    if entities.chain and hongshan.handling_units:
        _unit, people = hongshan.handling_units[0]
        if people:
            services.declare_conflict(
                actor=people[0], officer=people[0], party_name=entities.chain[0].name,
                reason="近亲属在该店任职（演示数据）", valid_from=last_monday - timedelta(days=30),
            )
        if len(people) > 2:
            Unavailability.objects.create(officer=people[-1], start=last_monday, end=this_monday + timedelta(days=4),
                                          reason="参加执法培训")

    # Last Monday: held, decisions carried out.
    held = services.open_meeting(actor=task, held_on=last_monday, chair=chair, attendees=attendees,
                                 outside_attendees="赤峰市消费者协会 观察员")
    agenda = build_agenda(bureau=held.bureau, meeting=held)
    units = set(reachable_units(task).values_list("pk", flat=True))
    decided = 0
    limit = min(6, len(agenda.items) // 2)  # the rest waits for this week's meeting
    for item in agenda.items:
        rec = item.recommendation
        if decided >= limit:
            break
        if rec.unit is None or rec.unit.pk not in units or len(rec.officers) < 2:
            continue
        officers = [o.officer for o in rec.officers if o.officer.unit.path.startswith((rec.unit.bureau or rec.unit).path)][:2]
        if len(officers) < 2:
            continue
        services.record_decision(
            actor=task, lead=item.lead, meeting=held, kind="dispatch", priority=rec.priority,
            category=item.lead.category or "product_sales", handling_unit=rec.unit, verifiers=officers,
            may_become_case=True, reasons="；".join(map(str, rec.reasons)) or "属地管辖", recommendation=rec.as_json(),
        )
        decided += 1
    if decided:
        services.carry_out(actor=task, meeting=held)
    else:
        services.cancel_meeting(actor=task, meeting=held, reason="无待筛查线索")

    # This week: open, the agenda builds itself (the city's shows the chain as one cluster).
    if this_monday > last_monday and not Meeting.objects.filter(bureau=held.bureau, held_on=this_monday).exists():
        services.open_meeting(actor=task, held_on=this_monday, chair=chair, attendees=attendees)
    city = org.city
    if city.task_office:
        city_chair = city.leaders[0] if city.leaders else city.task_office[0]
        services.open_meeting(actor=city.task_office[0], held_on=this_monday, chair=city_chair,
                              attendees=[*city.task_office, *(city.legal_officers[:1])])
