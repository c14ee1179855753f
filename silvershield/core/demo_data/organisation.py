"""The Chifeng organisation: bureaus, departments, institutes, stations, people, experts and the linkage team.

Sizes are Chifeng's own (DOMAIN.md Part A): 232 consumer-association stations, 70+ informants, 15
outside experts, a linkage team of 1 commander, 13 deputy commanders and 110 linkage officers. Every
bureau gets one well-known demo account per role (`city_legal`, `hongshan_investigator`, …) that the
demo command prints; every account shares the demo password, hashed once (hashing hundreds of accounts
one by one with Argon2 would take a minute).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from silvershield.core.demo_data.names import landline_phone, mobile_phone, person_name
from silvershield.core.demo_data.places import (
    CITY_BUREAU_NAME,
    CITY_CODE,
    CITY_SHORT_NAME,
    COUNTIES,
    County,
    institute_groups,
    town_stem,
)
from silvershield.core.models import (
    Division,
    Expert,
    Informant,
    InformantRole,
    LinkageMember,
    LinkageRole,
    OrgUnit,
    OrgUnitKind,
    Role,
    Speciality,
    Station,
    User,
)

DEMO_PASSWORD = "Demo-2026-silver"

# The part of a demo username after the bureau: city_legal, hongshan_unit_head, …
ROLE_SLUGS: dict[str, str] = {
    Role.LEGAL_OFFICER: "legal",
    Role.TASK_OFFICE: "task_office",
    Role.INVESTIGATOR: "investigator",
    Role.UNIT_HEAD: "unit_head",
    Role.REVIEWER: "reviewer",
    Role.LEADER: "leader",
    Role.HOTLINE_OPERATOR: "hotline",
    Role.INFORMANT: "informant",
    Role.AD_MONITOR: "ad_monitor",
    Role.REGISTRATION_SECTION: "registration",
    Role.PUBLICITY_OFFICER: "publicity",
    Role.EXPERT: "expert",
    Role.SYSTEM_ADMIN: "sysadmin",
    Role.SECURITY_ADMIN: "secadmin",
    Role.AUDIT_ADMIN: "auditadmin",
}
# Outside experts sit on the city's panel and the three administrators serve the whole deployment, so a
# county bureau has every role but these four (a county superuser would see every county in /admin/).
CITY_ONLY_ROLES = frozenset({Role.EXPERT, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

_CITY_DEPARTMENTS = (
    ("ZF", "赤峰市市场监督管理局执法稽查局（综合行政执法支队）", OrgUnitKind.ENFORCEMENT),
    ("FZ", "赤峰市市场监督管理局法制科", OrgUnitKind.LEGAL),
    ("GG", "赤峰市市场监督管理局广告监管科", OrgUnitKind.ADVERTISING),
    ("XB", "赤峰市市场监督管理局消费者权益保护科（12315）", OrgUnitKind.CONSUMER_PROTECTION),
    ("DJ", "赤峰市市场监督管理局登记注册科", OrgUnitKind.REGISTRATION),
    ("ZB", "赤峰市打击整治养老诈骗工作专班", OrgUnitKind.TASK_OFFICE),
)

_EXPERTS = (
    ("赤峰学院政法学院", "行政法", "教授"),
    ("赤峰学院政法学院", "经济法", "副教授"),
    ("内蒙古民族大学法学院", "刑法", "教授"),
    ("内蒙古昭乌达律师事务所", "行政诉讼", "律师"),
    ("内蒙古红山律师事务所", "消费者权益保护法", "律师"),
    ("内蒙古松州律师事务所", "民商法", "律师"),
    ("内蒙古玉龙律师事务所", "广告法", "律师"),
    ("内蒙古契丹律师事务所", "食品安全法", "律师"),
    ("赤峰市中级人民法院行政审判庭", "行政审判", "法官"),
    ("赤峰市人民检察院公益诉讼检察部", "公益诉讼", "检察官"),
    ("红山区人民法院", "刑事审判", "法官"),
    ("赤峰市公安局经济犯罪侦查支队", "经济犯罪侦查", "警官"),
    ("赤峰市司法局行政执法协调监督科", "行政执法监督", "科长"),
    ("赤峰市卫生健康委员会法规科", "卫生法", "科长"),
    ("赤峰市医疗保障局法规科", "医疗保障法规", "科长"),
)


@dataclass
class BureauStaff:
    """The people of one bureau the lead and case generators act as."""

    bureau: OrgUnit
    slug: str
    county: County | None
    legal_officers: list[User] = field(default_factory=list)
    task_office: list[User] = field(default_factory=list)
    unit_head: User | None = None
    reviewers: list[User] = field(default_factory=list)
    hotline: list[User] = field(default_factory=list)
    informants: list[User] = field(default_factory=list)
    leaders: list[User] = field(default_factory=list)
    # Units that take dispatched leads, each with its credentialed investigators (two or more).
    handling_units: list[tuple[OrgUnit, list[User]]] = field(default_factory=list)
    demo_investigator: User | None = None


@dataclass
class Organisation:
    city: BureauStaff
    counties: dict[str, BureauStaff]
    people: int = 0

    @property
    def bureaus(self) -> list[BureauStaff]:
        return [self.city, *self.counties.values()]


class _People:
    """Collects accounts to create in one bulk insert, with deterministic names and numbers."""

    def __init__(self, rng: random.Random, password_hash: str) -> None:
        self.rng = rng
        self.password_hash = password_hash
        self.users: list[User] = []
        self.credential_seq = 0

    def add(self, username: str, role: str, unit: OrgUnit, **extra: object) -> User:
        credential = ""
        specialities: list[str] = []
        if role == Role.INVESTIGATOR:
            self.credential_seq += 1
            credential = f"{unit.division_id}{self.rng.randrange(2012, 2025)}{self.credential_seq:04d}"
            specialities = self.rng.sample(list(Speciality.values), k=self.rng.choice((1, 2, 2, 3)))
        elif role in {Role.REVIEWER, Role.LEGAL_OFFICER}:
            specialities = [Speciality.LAW]
        user = User(
            username=username,
            password=self.password_hash,
            role=role,
            unit=unit,
            full_name=person_name(self.rng),
            credential_number=credential,
            specialities=specialities,
            phone=mobile_phone(self.rng),
            email=f"{username}@demo.invalid",
            is_staff=role == Role.SYSTEM_ADMIN,
            is_superuser=role == Role.SYSTEM_ADMIN,
        )
        for key, value in extra.items():
            setattr(user, key, value)
        self.users.append(user)
        return user


def _unit(
    code: str, name: str, kind: str, division: Division, parent: OrgUnit | None, short: str = ""
) -> OrgUnit:
    # OrgUnit.save computes the path and the bureau, so units are created one by one (there are ~100).
    return OrgUnit.objects.create(
        code=code, name=name, short_name=short, kind=kind, parent=parent, division=division
    )


def _station_name(rng: random.Random, county: County, kind: str, town: str, used: set[str]) -> str:
    stem = town_stem(town)
    for _ in range(20):
        if kind == "community":
            place = (
                f"{stem}{rng.choice('东西南北中新')}村"
                if town.endswith(("镇", "乡", "苏木"))
                else f"{rng.choice(_COMMUNITY_WORDS)}社区"
            )
            name = f"{county.name}{town}{place}消费维权服务站"
        elif kind == "elderly_university":
            name = rng.choice((f"{county.name}老年大学消费维权联络点", f"{town}老年学校消费维权联络点"))
        elif kind == "pharmacy":
            name = f"{rng.choice(_PHARMACIES)}（{stem}店）消费维权服务点"
        elif kind == "supermarket":
            name = f"{rng.choice(_SUPERMARKETS)}（{stem}店）消费维权服务点"
        else:
            name = f"{stem}{rng.choice(('农贸市场', '综合市场', '早市', '蔬菜批发市场'))}消费维权服务站"
        if name not in used:
            used.add(name)
            return name
    name = f"{county.name}{town}消费维权服务点{len(used)}"
    used.add(name)
    return name


_COMMUNITY_WORDS = (
    "幸福",
    "和平",
    "新华",
    "长青",
    "昭乌达",
    "锦绣",
    "团结",
    "光明",
    "民主",
    "兴安",
    "富康",
    "丽景",
    "康乐",
    "建设",
    "友谊",
    "龙泉",
    "清河",
    "北斗",
    "西拉沐沦",
    "园林",
    "惠民",
    "松州",
)
_PHARMACIES = (
    "仁和堂大药房",
    "百姓大药房",
    "康宁大药房",
    "同济堂药店",
    "济民大药房",
    "天顺药店",
    "益民大药房",
)
_SUPERMARKETS = ("利民超市", "惠民生活超市", "百佳超市", "万家福超市", "金鼎购物中心", "邻家便民超市")
_STATION_KINDS = (
    ("community", 45),
    ("elderly_university", 8),
    ("pharmacy", 20),
    ("supermarket", 15),
    ("farm_market", 12),
)


def build_organisation(*, rng: random.Random) -> Organisation:
    """Create the whole organisation and its people; returns the staff the generators act as."""
    password_hash = make_password(DEMO_PASSWORD)
    people = _People(rng, password_hash)
    city_division = Division.objects.get(code=CITY_CODE)
    city = _unit(CITY_CODE, CITY_BUREAU_NAME, OrgUnitKind.BUREAU, city_division, None, CITY_SHORT_NAME)
    departments = {
        key: _unit(f"{CITY_CODE}-{key}", name, kind, city_division, city)
        for key, name, kind in _CITY_DEPARTMENTS
    }
    org = Organisation(city=BureauStaff(bureau=city, slug="city", county=None), counties={})
    _city_people(org.city, departments, people)
    for county in COUNTIES:
        division = Division.objects.get(code=county.code)
        bureau = _unit(county.code, county.bureau_name, OrgUnitKind.BUREAU, division, city, county.short_name)
        staff = BureauStaff(bureau=bureau, slug=county.slug, county=county)
        org.counties[county.code] = staff
        enforcement = _unit(
            f"{county.code}-ZF",
            f"{county.name}市场监管综合行政执法大队",
            OrgUnitKind.ENFORCEMENT,
            division,
            bureau,
        )
        institutes = [
            _unit(
                f"{county.code}-S{i + 1:02d}",
                f"{county.name}{town_stem(towns[0])}市场监管所",
                OrgUnitKind.INSTITUTE,
                division,
                bureau,
            )
            for i, towns in enumerate(institute_groups(county))
        ]
        _county_people(staff, enforcement, institutes, people)
    User.objects.bulk_create(people.users, batch_size=500)
    _stations_and_informants(org, people)
    _experts(org, people)
    _linkage_roster(org)
    org.people = User.objects.count()
    return org


def _city_people(staff: BureauStaff, departments: dict[str, OrgUnit], people: _People) -> None:
    city = staff.bureau
    leader = people.add("city_leader", Role.LEADER, city)
    deputies = [people.add(f"city_leader_{i:02d}", Role.LEADER, city) for i in (2, 3)]
    staff.leaders = [leader, *deputies]
    staff.legal_officers = [
        people.add("city_legal", Role.LEGAL_OFFICER, departments["FZ"]),
        people.add("city_legal_02", Role.LEGAL_OFFICER, departments["FZ"]),
    ]
    staff.reviewers = [
        people.add("city_reviewer", Role.REVIEWER, departments["FZ"]),
        people.add("city_reviewer_02", Role.REVIEWER, departments["FZ"]),
    ]
    staff.task_office = [
        people.add("city_task_office", Role.TASK_OFFICE, departments["ZB"]),
        people.add("city_task_office_02", Role.TASK_OFFICE, departments["ZB"]),
    ]
    # The head of the enforcement bureau approves the city's own cases; a head placed on the city bureau
    # itself would head every county's units too (heads_handling_unit goes by path).
    staff.unit_head = people.add("city_unit_head", Role.UNIT_HEAD, departments["ZF"])
    investigators = [people.add("city_investigator", Role.INVESTIGATOR, departments["ZF"])]
    investigators += [
        people.add(f"city_investigator_{i:02d}", Role.INVESTIGATOR, departments["ZF"]) for i in range(2, 17)
    ]
    staff.handling_units = [(departments["ZF"], investigators)]
    staff.demo_investigator = investigators[0]
    staff.hotline = [
        people.add("city_hotline", Role.HOTLINE_OPERATOR, departments["XB"]),
        people.add("city_hotline_02", Role.HOTLINE_OPERATOR, departments["XB"]),
    ]
    people.add("city_ad_monitor", Role.AD_MONITOR, departments["GG"])
    people.add("city_ad_monitor_02", Role.AD_MONITOR, departments["GG"])
    people.add("city_registration", Role.REGISTRATION_SECTION, departments["DJ"])
    people.add("city_publicity", Role.PUBLICITY_OFFICER, departments["XB"])
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        people.add(f"city_{ROLE_SLUGS[role]}", role, city)


def _county_people(
    staff: BureauStaff, enforcement: OrgUnit, institutes: list[OrgUnit], people: _People
) -> None:
    bureau, slug, rng = staff.bureau, staff.slug, people.rng
    staff.leaders = [people.add(f"{slug}_leader", Role.LEADER, bureau)]
    staff.legal_officers = [
        people.add(f"{slug}_legal", Role.LEGAL_OFFICER, bureau),
        people.add(f"{slug}_legal_02", Role.LEGAL_OFFICER, bureau),
    ]
    staff.task_office = [people.add(f"{slug}_task_office", Role.TASK_OFFICE, bureau)]
    staff.unit_head = people.add(f"{slug}_unit_head", Role.UNIT_HEAD, bureau)
    staff.reviewers = [people.add(f"{slug}_reviewer", Role.REVIEWER, bureau)]
    staff.hotline = [people.add(f"{slug}_hotline", Role.HOTLINE_OPERATOR, bureau)]
    for role in (Role.AD_MONITOR, Role.REGISTRATION_SECTION, Role.PUBLICITY_OFFICER):
        people.add(f"{slug}_{ROLE_SLUGS[role]}", role, bureau)
    n = 1
    units = [*institutes, enforcement]
    for unit in units:
        people.add(f"{slug}_head_{unit.code[-3:].lower().lstrip('-')}", Role.UNIT_HEAD, unit)
        investigators = []
        for _ in range(4 if unit is enforcement else rng.choice((2, 3, 3))):
            investigators.append(
                people.add(
                    f"{slug}_investigator" if n == 1 else f"{slug}_investigator_{n:02d}",
                    Role.INVESTIGATOR,
                    unit,
                )
            )
            n += 1
        staff.handling_units.append((unit, investigators))
    staff.demo_investigator = staff.handling_units[0][1][0]


def _stations_and_informants(org: Organisation, people: _People) -> None:
    rng = people.rng
    stations: list[Station] = []
    used: set[str] = set()
    kinds = [k for k, weight in _STATION_KINDS for _ in range(weight)]
    for staff in org.counties.values():
        county = staff.county
        assert county is not None
        for i in range(county.stations):
            town = county.towns[i % len(county.towns)] if i < len(county.towns) else rng.choice(county.towns)
            kind = "elderly_university" if i == 0 else rng.choice(kinds)
            road = rng.choice(county.roads)
            stations.append(
                Station(
                    code=f"XB{county.code}{i + 1:03d}",
                    name=_station_name(rng, county, kind, town, used),
                    division_id=county.code,
                    bureau=staff.bureau,
                    venue_kind=kind,
                    address=f"赤峰市{county.name}{town}{road}{rng.randrange(1, 400)}号",
                )
            )
    Station.objects.bulk_create(stations)
    by_county: dict[str, list[Station]] = {}
    for station in Station.objects.order_by("code"):
        by_county.setdefault(station.division_id, []).append(station)
    roles = [InformantRole.INFORMANT] * 4 + [InformantRole.LIAISON] * 3 + [InformantRole.COLLABORATOR] * 3
    informants: list[tuple[Informant, User]] = []
    # Six or seven per county, placed where the elderly gather (Chifeng: 70+): 76 in all.
    for index, staff in enumerate(org.counties.values()):
        county_stations = by_county[staff.bureau.division_id]
        chosen = [county_stations[0], *rng.sample(county_stations[1:], k=5 + (index % 3 == 0))]
        for n, station in enumerate(chosen, start=1):
            username = f"{staff.slug}_informant" if n == 1 else f"{staff.slug}_informant_{n:02d}"
            user = people.add(username, Role.INFORMANT, staff.bureau)
            informant = Informant(
                name=user.full_name,
                role=roles[(index + n) % len(roles)],
                station=station,
                area=station.address.split("区", 1)[-1][:40],
                phone=user.phone,
            )
            informants.append((informant, user))
            staff.informants.append(user)
    city_station = by_county["150402"][0]
    user = people.add("city_informant", Role.INFORMANT, org.city.bureau)
    informants.append(
        (
            Informant(
                name=user.full_name,
                role=InformantRole.LIAISON,
                station=city_station,
                area="赤峰市老年大学",
                phone=user.phone,
            ),
            user,
        )
    )
    org.city.informants.append(user)
    new_users = [u for _i, u in informants]
    User.objects.bulk_create(new_users)
    saved = {u.username: u for u in User.objects.filter(username__in=[u.username for u in new_users])}
    for informant, user in informants:
        informant.user = saved[user.username]
    Informant.objects.bulk_create([i for i, _u in informants])
    for staff in org.bureaus:
        staff.informants = [saved[u.username] for u in staff.informants]


def _experts(org: Organisation, people: _People) -> None:
    users = []
    for n, (affiliation, field_name, title) in enumerate(_EXPERTS, start=1):
        username = "city_expert" if n == 1 else f"expert_{n:02d}"
        users.append(
            (
                people.add(username, Role.EXPERT, org.city.bureau, phone=landline_phone(people.rng)),
                affiliation,
                f"{field_name}（{title}）",
            )
        )
    User.objects.bulk_create([u for u, _a, _f in users])
    saved = {u.username: u for u in User.objects.filter(role=Role.EXPERT)}
    Expert.objects.bulk_create(
        Expert(name=u.full_name, affiliation=a, field=f, user=saved[u.username]) for u, a, f in users
    )


def _linkage_roster(org: Organisation) -> None:
    """1 commander (the city's head), 13 deputies (a city deputy and each county's head), 110 officers."""
    members = [
        LinkageMember(person=org.city.leaders[0], role=LinkageRole.COMMANDER),
        LinkageMember(person=org.city.leaders[1], role=LinkageRole.DEPUTY_COMMANDER),
    ]
    members += [
        LinkageMember(person=s.leaders[0], role=LinkageRole.DEPUTY_COMMANDER) for s in org.counties.values()
    ]
    # Officers from every bureau in turn, so each county fields a share of any joint operation.
    pools = [[p for _unit, ps in staff.handling_units for p in ps] for staff in org.bureaus]
    officers: list[User] = []
    depth = 0
    while len(officers) < 110 and depth < max(len(pool) for pool in pools):
        for pool in pools:
            if depth < len(pool) and len(officers) < 110:
                officers.append(pool[depth])
        depth += 1
    members += [LinkageMember(person=p, role=LinkageRole.LINKAGE_OFFICER) for p in officers]
    LinkageMember.objects.bulk_create(members)
