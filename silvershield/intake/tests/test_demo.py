import random
from datetime import date

import pytest

from silvershield.core.audit import verify_chain
from silvershield.core.models import Informant, InformantRole, Role, Station
from silvershield.core.testing import make_person
from silvershield.intake import demo
from silvershield.leads.models import Channel, Lead

pytestmark = pytest.mark.django_db


def test_demo_step_goes_through_the_services(org, personas):
    station = Station.objects.create(code="HS-9", name="站", division_id="150402", bureau=org.hongshan)
    for i in range(4):
        user = make_person(f"info{i}", Role.INFORMANT, org.hongshan)
        Informant.objects.create(name=f"员{i}", role=InformantRole.INFORMANT, station=station, user=user)
    demo.step(rng=random.Random(3), org=org, entities=None, frame=None, today=date.today())
    assert Lead.objects.filter(channel=Channel.HOTLINE).count() == 3
    assert Lead.objects.filter(channel=Channel.REFERRAL).exclude(sender_due_date=None).exists()
    assert Lead.objects.filter(channel=Channel.INFORMANT).count() > 0
    assert verify_chain() == (True, None)
    demo.step(rng=random.Random(3), org=org, entities=None, frame=None, today=date.today())  # idempotent
