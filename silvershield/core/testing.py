"""A small organisation for tests: the Chifeng city bureau and two county bureaus, with personas.

Used by the test suites of every app (conftest.py) — the role that may, the role that may not, and an
outsider from another county who must get 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from silvershield.core.models import Division, OrgUnit, OrgUnitKind, Role, User

PASSWORD = "Silver-Shield-2026"


@dataclass
class Org:
    city: OrgUnit
    city_enforcement: OrgUnit
    hongshan: OrgUnit
    hongshan_institute: OrgUnit
    songshan: OrgUnit


def build_org() -> Org:
    city = OrgUnit.objects.create(
        code="150400", name="赤峰市市场监督管理局", short_name="赤市监", kind=OrgUnitKind.BUREAU,
        division=Division.objects.get(code="150400"),
    )
    city_enforcement = OrgUnit.objects.create(
        code="150400-ZF", name="赤峰市市场监管综合行政执法支队", kind=OrgUnitKind.ENFORCEMENT, parent=city,
        division=city.division,
    )
    hongshan = OrgUnit.objects.create(
        code="150402", name="赤峰市红山区市场监督管理局", short_name="红市监", kind=OrgUnitKind.BUREAU, parent=city,
        division=Division.objects.get(code="150402"),
    )
    hongshan_institute = OrgUnit.objects.create(
        code="150402-S01", name="红山区站前市场监管所", kind=OrgUnitKind.INSTITUTE, parent=hongshan,
        division=hongshan.division,
    )
    songshan = OrgUnit.objects.create(
        code="150404", name="赤峰市松山区市场监督管理局", short_name="松市监", kind=OrgUnitKind.BUREAU, parent=city,
        division=Division.objects.get(code="150404"),
    )
    return Org(city, city_enforcement, hongshan, hongshan_institute, songshan)


def make_person(username: str, role: str, unit: OrgUnit, *, full_name: str = "", credential: str = "") -> User:
    if role == Role.INVESTIGATOR and not credential:
        credential = f"15040{abs(hash(username)) % 10**7:07d}"
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, unit=unit, full_name=full_name or username,
        credential_number=credential, email=f"{username}@example.invalid",
    )


def make_lead(*, bureau: OrgUnit, actor: User, division: str | None = None, **fields):
    from silvershield.leads.services import create_lead

    defaults = dict(
        channel="report",
        received_date=date(2026, 11, 2),
        summary="某保健品店以免费健康讲座为名向老年人推销所谓“降三高”保健食品",
        party_name="赤峰康寿堂保健品店",
        division=bureau.division,
    )
    defaults.update(fields)
    if division:
        defaults["division"] = Division.objects.get(code=division)
    return create_lead(actor=actor, bureau=bureau, **defaults)
