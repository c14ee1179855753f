"""Inspections (现场检查 / 首次走访): the service, the recording page, the list with its filters and Excel
export, and the API — an officer of the covering jurisdiction records, everyone else gets 403 or 404."""

from datetime import timedelta
from importlib import import_module
from io import BytesIO

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from silvershield.core.audit import events_for
from silvershield.core.errors import DomainError, PermissionDenied
from silvershield.core.identifiers import uscc_check_character
from silvershield.core.models import Role
from silvershield.core.testing import make_person
from silvershield.entities.models import AlertKind, GateAlert, HazardItem, Inspection, InspectionOfficer
from silvershield.entities.services import create_entity, record_inspection

pytestmark = pytest.mark.django_db
JSON = "application/json"


def code(n: int, division: str = "150402") -> str:
    body = f"92{division}MA{n:07d}"
    return body + uscc_check_character(body)


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def new_care_home(n=1, division="150402"):
    """A new elderly-related registration: flagged for a first visit."""
    return create_entity(
        actor=None,
        uscc=code(n, division),
        name=f"赤峰福康养老服务有限公司{n}",
        division=division,
        business_scope="养老服务；老年人养护服务",
        registration_date=timezone.localdate() - timedelta(days=5),
    )


def flag_of(entity):
    return GateAlert.objects.get(entity=entity, kind=AlertKind.FIRST_VISIT)


# --- the service -------------------------------------------------------------------------------------


def test_an_inspection_with_hazards_resolves_the_first_visit_and_enters_the_ledger(org, personas):
    home = new_care_home()
    inspection = record_inspection(
        entity=home,
        actor=personas.investigator,
        inspected_on=yesterday(),
        result="issues",
        note="消防通道堆放杂物；未公示收费标准",
        officers=[personas.investigator, personas.investigator2],
        hazards=["消防通道堆放杂物", "", "  未公示收费标准  "],
        rectify_by=yesterday() + timedelta(days=14),
    )
    assert inspection.inspector == personas.investigator
    flag = flag_of(home)
    assert flag.state == "resolved" and flag.detail["inspection"] == inspection.pk
    items = list(HazardItem.objects.filter(entity=home).order_by("id"))
    assert [i.description for i in items] == ["消防通道堆放杂物", "未公示收费标准"]
    assert {(i.source, i.found_on, i.due_on, i.owner_id) for i in items} == {
        ("inspection", yesterday(), yesterday() + timedelta(days=14), personas.investigator.pk)
    }
    created = [e for e in events_for(inspection) if e.action == "create"]
    assert created[0].actor == personas.investigator
    assert created[0].changes["officers"][1] == [personas.investigator.pk, personas.investigator2.pk]
    assert [e.transition for e in events_for(flag)][-1] == "resolved"
    home.refresh_from_db()
    assert any(f["factor"] == "inspection_issues" for f in home.risk_factors)


def test_the_officers_are_kept_in_the_order_given_the_leader_first(org, personas):
    home = new_care_home()
    officers = [personas.investigator2, personas.unit_head, personas.investigator]
    inspection = record_inspection(
        entity=home, actor=personas.investigator2, inspected_on=yesterday(), result="ok", officers=officers
    )
    assert inspection.inspector == personas.investigator2
    places = list(InspectionOfficer.objects.filter(inspection=inspection))
    assert [(p.position, p.officer) for p in places] == list(enumerate(officers))
    assert set(inspection.officers.all()) == set(officers)
    assert Inspection.objects.filter(officers=personas.unit_head).get() == inspection
    assert inspection.officer_names == ["刘执法", "赵所长", "张执法"]
    created = [e for e in events_for(inspection) if e.action == "create"]
    assert created[0].changes["officers"][1] == [p.pk for p in officers]  # the audit event still lists them


def test_the_migration_fills_the_officers_from_the_create_events(org, personas):
    home = new_care_home()
    listed = record_inspection(
        entity=home,
        actor=personas.investigator2,
        inspected_on=yesterday(),
        result="ok",
        officers=[personas.investigator2, personas.unit_head, personas.investigator],
    )
    # Written before the audit event listed the officers: the inspector alone.
    unlisted = Inspection.objects.create(
        entity=home, inspected_on=yesterday(), result="ok", inspector=personas.investigator
    )
    nobody = Inspection.objects.create(entity=home, inspected_on=yesterday(), result="ok")
    InspectionOfficer.objects.all().delete()
    migration = import_module("silvershield.entities.migrations.0007_inspection_officers")
    migration.fill_officers(django_apps, None)

    def officers(inspection):
        return list(
            InspectionOfficer.objects.filter(inspection=inspection).values_list(
                "officer__full_name", flat=True
            )
        )

    assert officers(listed) == ["刘执法", "赵所长", "张执法"]
    assert officers(unlisted) == ["张执法"]
    assert officers(nobody) == []


@pytest.mark.parametrize(
    "change, field",
    [
        ({"result": "unknown"}, "result"),
        ({"inspected_on": "2026-13-01"}, "inspected_on"),
        ({"inspected_on": timezone.localdate() + timedelta(days=1)}, "inspected_on"),
        ({"officers": []}, "officers"),
        ({"result": "issues", "note": "  "}, "note"),
        ({"result": "ok", "hazards": ["未公示收费标准"]}, "hazards"),
        ({"hazards": [], "rectify_by": timezone.localdate()}, "rectify_by"),
        ({"rectify_by": timezone.localdate() - timedelta(days=30)}, "rectify_by"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(org, personas, change, field):
    home = new_care_home()
    data = dict(
        inspected_on=yesterday(),
        result="issues",
        note="未公示收费标准",
        hazards=["未公示收费标准"],
        rectify_by=timezone.localdate() + timedelta(days=10),
        officers=[personas.investigator],
    )
    data.update(change)
    with pytest.raises(DomainError) as exc:
        record_inspection(entity=home, actor=personas.investigator, **data)
    assert exc.value.field == field
    assert not Inspection.objects.exists() and not HazardItem.objects.exists()
    assert flag_of(home).state == "open"


def test_an_officer_of_another_county_can_be_neither_recorder_nor_inspector(org, personas):
    home = new_care_home()
    with pytest.raises(DomainError) as exc:
        record_inspection(
            entity=home,
            actor=personas.investigator,
            inspected_on=yesterday(),
            result="ok",
            officers=[personas.investigator, personas.outsider_investigator],
        )
    assert exc.value.field == "officers" and "郑松山" in exc.value.message
    with pytest.raises(PermissionDenied):
        record_inspection(
            entity=home, actor=personas.outsider_investigator, inspected_on=yesterday(), result="ok"
        )
    with pytest.raises(PermissionDenied):  # a role that does not inspect
        record_inspection(entity=home, actor=personas.legal_officer, inspected_on=yesterday(), result="ok")
    assert not Inspection.objects.exists()


# --- the page ----------------------------------------------------------------------------------------


def test_the_page_records_an_inspection_and_names_the_wrong_field(client, org, personas):
    home = new_care_home()
    url = reverse("entities:record_inspection", args=[home.pk])
    client.force_login(personas.investigator)
    page = client.get(url)
    assert page.status_code == 200 and "刘执法" in page.content.decode()
    bad = client.post(
        url,
        {
            "inspected_on": yesterday().isoformat(),
            "result": "serious",
            "officers": [personas.investigator.pk],
            "note": "",
        },
    )
    assert bad.status_code == 400
    body = bad.content.decode()
    assert 'data-field-error="note"' in body and "请写明发现的问题" in body
    assert not Inspection.objects.exists()
    done = client.post(
        url,
        {
            "inspected_on": yesterday().isoformat(),
            "result": "issues",
            "officers": [personas.investigator2.pk, personas.investigator.pk],
            "note": "未公示收费标准",
            "hazards": "未公示收费标准\n护理员无健康证",
            "rectify_by": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert done.status_code == 302 and done["Location"].endswith(f"/entities/{home.pk}/#inspections")
    inspection = Inspection.objects.get()
    assert inspection.inspector == personas.investigator  # the recorder leads when among the officers
    assert HazardItem.objects.filter(entity=home).count() == 2
    assert flag_of(home).state == "resolved"
    detail = client.get(reverse("entities:detail", args=[home.pk])).content.decode()
    assert f'data-inspection-id="{inspection.pk}"' in detail and "张执法、刘执法" in detail


def test_the_page_is_404_outside_the_jurisdiction_and_403_for_other_roles(client, org, personas):
    home = new_care_home()
    url = reverse("entities:record_inspection", args=[home.pk])
    client.force_login(personas.outsider_investigator)
    assert client.get(url).status_code == 404
    assert client.post(url, {"result": "ok"}).status_code == 404
    client.force_login(personas.legal_officer)
    assert client.get(url).status_code == 403
    assert not Inspection.objects.exists()


def test_the_first_visit_flags_link_to_the_form(client, org, personas):
    home = new_care_home()
    registrar = make_person("hs_reg", Role.REGISTRATION_SECTION, org.hongshan, full_name="孙登记")
    client.force_login(registrar)
    alerts = client.get(reverse("entities:alerts") + "?kind=first_visit").content.decode()
    assert reverse("entities:record_inspection", args=[home.pk]) in alerts
    assert reverse("entities:inspections") in client.get(reverse("entities:list")).content.decode()


# --- the list and its export -------------------------------------------------------------------------


def test_the_list_filters_and_exports(client, org, personas):
    home = new_care_home(1)
    shop = create_entity(
        actor=None,
        uscc=code(2),
        name="赤峰市红山区百岁保健品店",
        division="150402",
        business_scope="保健食品销售",
        registration_date=timezone.localdate() - timedelta(days=900),
    )
    away = new_care_home(3, division="150404")
    first = record_inspection(entity=home, actor=personas.investigator, inspected_on=yesterday(), result="ok")
    later = record_inspection(
        entity=shop,
        actor=personas.investigator,
        inspected_on=yesterday() - timedelta(days=20),
        result="serious",
        note="销售过期保健食品",
        officers=[personas.investigator2],
    )
    record_inspection(
        entity=away, actor=personas.outsider_investigator, inspected_on=yesterday(), result="ok"
    )
    client.force_login(personas.unit_head)

    def ids(query=""):
        response = client.get(reverse("entities:inspections") + query)
        assert response.status_code == 200, response.content
        return [r.pk for r in response.context["rows"]]

    assert ids() == [first.pk, later.pk]  # 松山区's inspection is out of reach
    assert ids("?first_visit=yes") == [first.pk]
    assert ids("?first_visit=no") == [later.pk]
    assert ids("?result=serious") == [later.pk]
    assert ids(f"?date_from={(yesterday() - timedelta(days=5)).isoformat()}") == [first.pk]
    assert ids(f"?date_to={(yesterday() - timedelta(days=5)).isoformat()}") == [later.pk]
    assert ids("?division=150402") == [first.pk, later.pk]
    assert ids(f"?officer={personas.investigator2.pk}") == [later.pk]  # one of those who went
    assert ids(f"?officer={personas.investigator.pk}") == [first.pk]  # recorded the later one, did not go
    assert client.get(reverse("entities:inspections") + f"?officer={personas.outsider_investigator.pk}").status_code == 400
    bad = client.get(reverse("entities:inspections") + "?date_from=2026-11-10&date_to=2026-11-01")
    assert bad.status_code == 400 and "检查日期止" in bad.content.decode()
    assert client.get(reverse("entities:inspections") + "?division=150404").status_code == 400  # not in reach

    sheet = load_workbook(
        BytesIO(client.get(reverse("entities:export_inspections") + "?result=serious").content)
    ).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(rows) == 2 and "赤峰市红山区百岁保健品店" in rows[1] and "刘执法" in rows[1]
    assert "销售过期保健食品" in rows[1]


def test_the_list_export_and_api_name_the_officers_in_order_without_a_query_per_row(client, org, personas):
    officers = [personas.investigator2, personas.unit_head, personas.investigator]
    record_inspection(
        entity=new_care_home(1),
        actor=personas.investigator2,
        inspected_on=yesterday(),
        result="issues",
        note="未公示收费标准",
        officers=officers,
    )
    client.force_login(personas.unit_head)

    def queries(url):
        with CaptureQueriesContext(connection) as context:
            response = client.get(url)
        assert response.status_code == 200, response.content
        return response, len(context)

    page, one_row = queries(reverse("entities:inspections"))
    assert "刘执法、赵所长、张执法" in page.content.decode()
    api, one_item = queries("/api/v1/inspections")
    assert api.json()["items"][0]["officers"] == ["刘执法", "赵所长", "张执法"]
    sheet = load_workbook(BytesIO(client.get(reverse("entities:export_inspections")).content)).active
    assert "刘执法、赵所长、张执法" in [c.value for c in list(sheet.iter_rows())[1]]

    for n in (2, 3, 4):
        record_inspection(
            entity=new_care_home(n),
            actor=personas.investigator,
            inspected_on=yesterday(),
            result="ok",
            officers=[personas.investigator, personas.investigator2],
        )
    page, three_more = queries(reverse("entities:inspections"))
    assert three_more == one_row and len(page.context["rows"]) == 4
    assert page.content.decode().count("张执法、刘执法") == 3
    assert queries("/api/v1/inspections")[1] == one_item


# --- the API -----------------------------------------------------------------------------------------


def test_api_records_an_inspection_and_lists_first_visits(client, org, personas):
    home = new_care_home()
    client.force_login(personas.investigator)
    url = f"/api/v1/entities/{home.pk}/inspections"
    bad = client.post(
        url,
        {"inspected_on": yesterday().isoformat(), "result": "ok", "hazards": ["未公示收费标准"]},
        content_type=JSON,
    )
    assert bad.status_code == 400 and bad.json()["field"] == "hazards"
    response = client.post(
        url,
        {
            "inspected_on": yesterday().isoformat(),
            "result": "issues",
            "note": "未公示收费标准",
            "officers": [personas.investigator.pk, personas.investigator2.pk],
            "hazards": ["未公示收费标准"],
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["first_visit"] is True and body["officers"] == ["张执法", "刘执法"]
    assert flag_of(home).state == "resolved"
    listed = client.get("/api/v1/inspections?first_visit=true").json()
    assert [i["id"] for i in listed["items"]] == [body["id"]] and listed["next"] is None
    by_officer = client.get(f"/api/v1/inspections?officer={personas.investigator2.pk}").json()
    assert [i["id"] for i in by_officer["items"]] == [body["id"]]
    assert client.get(f"/api/v1/inspections?officer={personas.unit_head.pk}").json()["items"] == []


def test_api_is_404_outside_the_jurisdiction(client, org, personas):
    home = new_care_home()
    record_inspection(entity=home, actor=personas.investigator, inspected_on=yesterday(), result="ok")
    client.force_login(personas.outsider_investigator)
    response = client.post(
        f"/api/v1/entities/{home.pk}/inspections",
        {"inspected_on": yesterday().isoformat(), "result": "ok"},
        content_type=JSON,
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/api/v1/inspections").json()["items"] == []
    assert Inspection.objects.count() == 1
