"""Measure 4: import, elderly-related detection, risk tiers, gates, hazard ledger."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from silvershield.core.audit import verify_chain
from silvershield.core.identifiers import uscc_check_character
from silvershield.core.models import AuditEvent, Role
from silvershield.core.testing import make_lead, make_person
from silvershield.entities.detection import Detector
from silvershield.entities.gates import open_gate_alerts
from silvershield.entities.importer import import_entities
from silvershield.entities.models import AlertKind, Entity, GateAlert, HazardStatus, ImportRun, RiskWeight
from silvershield.entities.risk import recompute_risk
from silvershield.entities.services import add_hazard, create_entity, record_inspection, update_entity, update_hazard

pytestmark = pytest.mark.django_db


def code(n: int, division: str = "150402") -> str:
    body = f"92{division}MA{n:07d}"
    return body + uscc_check_character(body)


def row(n, **kw):
    base = {
        "uscc": code(n), "name": f"赤峰市红山区福寿源{n}保健品店", "legal_representative": "马德胜",
        "division": "150402", "business_scope": "保健食品（预包装）销售；日用百货销售", "status": "存续",
        "registration_date": "2020-03-01",
    }
    base.update(kw)
    return base


@pytest.fixture
def registrar(org):
    return make_person("hs_reg", Role.REGISTRATION_SECTION, org.hongshan, full_name="孙登记")


# --- import -----------------------------------------------------------------------------------------


def test_import_creates_and_reimport_is_safe(org):
    rows = [row(1), row(2, name="红山区顺达汽车修理部", business_scope="机动车修理和维护")]
    run = import_entities(iter(rows), file_name="a.csv", actor=None)
    assert (run.status, run.created, run.bad) == (ImportRun.Status.DONE, 2, 0)
    shop = Entity.objects.get(uscc=code(1))
    assert shop.is_elderly_related and shop.elderly_category == "health_food"
    assert "保健食品" in shop.elderly_keywords
    assert not Entity.objects.get(uscc=code(2)).is_elderly_related
    events = AuditEvent.objects.count()

    again = import_entities(iter(rows), file_name="a.csv", actor=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.count() == events  # unchanged rows untouched

    changed = import_entities(iter([row(1, address="内蒙古赤峰市红山区新华路1号")]), file_name="b.csv", actor=None)
    assert changed.updated == 1
    event = AuditEvent.objects.filter(subject_type="entities.entity", subject_id=shop.pk, action="update").get()
    assert event.changes == {"address": ["", "内蒙古赤峰市红山区新华路1号"]}
    assert verify_chain() == (True, None)


def test_bad_rows_reported_and_nothing_half_written(org):
    bad_code = code(3)[:-1] + ("0" if code(3)[-1] != "0" else "1")
    rows = [row(1), row(3, uscc=bad_code), row(4, division="999999"), row(5, name="")]
    run = import_entities(iter(rows), file_name="bad.csv", actor=None)
    assert run.status == ImportRun.Status.REJECTED
    assert Entity.objects.count() == 0
    report = {r["row"]: r for r in run.report}
    assert report[3]["field"] == "uscc" and "校验位" in report[3]["message"] and report[3]["uscc"] == bad_code
    assert report[4]["field"] == "division" and "999999" in report[4]["message"]
    assert report[5]["field"] == "name"
    assert 2 not in report


def test_skip_bad_imports_good_rows(org):
    run = import_entities(iter([row(1), row(4, division="未知县")]), file_name="x.csv", actor=None, skip_bad=True)
    assert (run.status, run.created, run.bad) == (ImportRun.Status.DONE, 1, 1)
    assert Entity.objects.filter(uscc=code(1)).exists()


def test_import_page_upload_and_report(client, org, registrar):
    client.force_login(registrar)
    content = "统一社会信用代码,名称,行政区划,经营范围\n" + f"{code(1)},赤峰市红山区康乐保健品店,150402,保健食品销售\n" + "123,坏行,150402,\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("entities:import"), {"file": SimpleUploadedFile("r.csv", content.encode())})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.status == "rejected"
    page = client.get(reverse("entities:import_run", args=[run.pk])).content.decode()
    assert "统一社会信用代码应为18位" in page


# --- detection ----------------------------------------------------------------------------------------


def test_detection_reasons(db):
    detector = Detector()
    found = detector.detect("赤峰康泰康养旅游有限公司", "旅游业务；养老服务")
    assert found.elderly and found.category == "wellness_travel"
    assert {(r["keyword"], r["where"]) for r in found.reasons} >= {("康养", "name"), ("养老", "scope")}
    assert not detector.detect("红山区鑫源便利店", "食品销售（仅销售预包装食品）").elderly  # rule inactive


# --- scoring ------------------------------------------------------------------------------------------


def test_scoring_explains_tier_and_recomputes_on_lead(org, personas, django_capture_on_commit_callbacks):
    shop = create_entity(actor=None, uscc=code(7), name="赤峰市红山区康寿堂保健品店", division="150402",
                         business_scope="保健食品销售", registration_date=date(2019, 1, 1))
    assert shop.risk_tier == "B" and shop.risk_score == 10  # category health food only, at the B threshold
    assert shop.risk_factors == [{"factor": "category", "category": "health_food", "count": 1, "weight": 10.0, "points": 10.0}]
    with django_capture_on_commit_callbacks(execute=True):
        make_lead(bureau=org.hongshan, actor=personas.legal_officer, party_entity=shop)
    shop.refresh_from_db()
    factors = {f["factor"]: f for f in shop.risk_factors}
    assert factors["complaints"]["count"] == 1 and factors["leads"]["points"] == 3.0
    assert shop.risk_score == 10 + 4 + 3 + 5
    assert shop.risk_tier == "B"
    RiskWeight.objects.filter(factor="category").update(weight=30)
    recompute_risk(None)
    shop.refresh_from_db()
    assert shop.risk_tier == "C"

    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(personas.legal_officer)
    page = client.get(reverse("entities:detail", args=[shop.pk])).content.decode()
    assert 'id="risk-factors"' in page and "tier-C" in page


# --- gates --------------------------------------------------------------------------------------------


def test_deregistration_with_open_lead_alerts_registration_section(org, personas, registrar):
    shop = create_entity(actor=None, uscc=code(8), name="赤峰市红山区颐和保健品店", division="150402",
                         business_scope="保健食品销售", registration_date=date(2018, 5, 1))
    make_lead(bureau=org.hongshan, actor=personas.legal_officer, party_entity=shop)
    update_entity(entity=shop, actor=registrar, status="deregistered")
    alert = GateAlert.objects.get(entity=shop, kind=AlertKind.DEREGISTRATION)
    assert alert.open_leads == 1
    assert list(open_gate_alerts(registrar)) == [alert]
    outsider = make_person("ss_reg", Role.REGISTRATION_SECTION, org.songshan)
    assert not open_gate_alerts(outsider).exists()
    from silvershield.core.models import Notification

    assert Notification.objects.filter(recipient=registrar).exists()


def test_import_deregistration_goes_through_gate(org, personas, registrar):
    import_entities(iter([row(9)]), file_name="a.csv", actor=None)
    shop = Entity.objects.get(uscc=code(9))
    make_lead(bureau=org.hongshan, actor=personas.legal_officer, party_entity=shop)
    run = import_entities(iter([row(9, status="注销")]), file_name="b.csv", actor=None)
    assert run.alerts == 1
    assert GateAlert.objects.filter(entity=shop, kind="deregistration").exists()


def test_alert_actions_and_page(client, org, personas, registrar):
    shop = create_entity(actor=None, uscc=code(10), name="赤峰市红山区松鹤保健品店", division="150402",
                         business_scope="保健食品销售", registration_date=date(2018, 5, 1))
    make_lead(bureau=org.hongshan, actor=personas.legal_officer, party_entity=shop)
    update_entity(entity=shop, actor=registrar, status="deregistering")
    alert = GateAlert.objects.get()
    client.force_login(registrar)
    assert "松鹤保健品店" in client.get(reverse("entities:alerts")).content.decode()
    client.post(reverse("entities:alert_action", args=[alert.pk]), {"action": "acknowledge"})
    client.post(reverse("entities:alert_action", args=[alert.pk]), {"action": "resolve", "resolution": "已告知暂缓注销"})
    alert.refresh_from_db()
    assert alert.state == "resolved" and alert.resolution == "已告知暂缓注销"
    client.force_login(personas.outsider)
    assert client.post(reverse("entities:alert_action", args=[alert.pk]), {"action": "acknowledge"}).status_code == 404


def test_first_visit_flag(org, personas):
    shop = create_entity(actor=None, uscc=code(11), name="赤峰福康养老服务有限公司", division="150402",
                         business_scope="养老服务；老年人养护服务", registration_date=date.today() - timedelta(days=5))
    flag = GateAlert.objects.get(entity=shop, kind=AlertKind.FIRST_VISIT)
    old = create_entity(actor=None, uscc=code(12), name="赤峰长青养老服务有限公司", division="150402",
                        business_scope="养老服务", registration_date=date(2010, 1, 1))
    assert not GateAlert.objects.filter(entity=old).exists()
    record_inspection(entity=shop, actor=personas.investigator, inspected_on=date.today(), result="ok")
    flag.refresh_from_db()
    assert flag.state == "resolved"


# --- hazard ledger ------------------------------------------------------------------------------------


def test_hazard_ledger_and_export(client, org, personas):
    shop = create_entity(actor=None, uscc=code(13), name="赤峰市红山区百岁保健品店", division="150402",
                         business_scope="保健食品销售", registration_date=date(2018, 1, 1))
    item = add_hazard(entity=shop, actor=personas.investigator, description="店内张贴“包治百病”宣传单",
                      found_on=date(2026, 11, 2), source="inspection", due_on=date(2026, 11, 20))
    shop.refresh_from_db()
    assert any(f["factor"] == "open_hazards" for f in shop.risk_factors)
    with pytest.raises(Exception) as exc:
        update_hazard(item=item, actor=personas.investigator, status=HazardStatus.RECTIFIED)
    assert getattr(exc.value, "field", "") == "done_on"
    update_hazard(item=item, actor=personas.investigator, status="rectified", done_on="2026-11-10")
    client.force_login(personas.legal_officer)
    response = client.get(reverse("entities:export_hazards"))
    sheet = load_workbook(BytesIO(response.content)).active
    values = [c.value for c in list(sheet.iter_rows())[1]]
    assert "赤峰市红山区百岁保健品店" in values and "店内张贴“包治百病”宣传单" in values


def test_scoping_404(client, org, personas):
    shop = create_entity(actor=None, uscc=code(14), name="赤峰市红山区延年保健品店", division="150402",
                         business_scope="保健食品销售")
    client.force_login(personas.outsider)
    assert client.get(reverse("entities:detail", args=[shop.pk])).status_code == 404
    assert client.post(reverse("entities:add_hazard", args=[shop.pk]), {}).status_code == 404


def test_api_deregistration_raises_alert(client, org, personas, registrar):
    shop = create_entity(actor=None, uscc=code(15), name="赤峰市红山区晚晴保健品店", division="150402",
                         business_scope="保健食品销售", registration_date=date(2018, 1, 1))
    make_lead(bureau=org.hongshan, actor=personas.legal_officer, party_entity=shop)
    client.force_login(registrar)
    response = client.patch(f"/api/v1/entities/{shop.pk}", {"status": "deregistered"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["risk_tier"] in "ABCD"
    alerts = client.get("/api/v1/entity-alerts").json()
    assert [a["entity_id"] for a in alerts if a["kind"] == "deregistration"] == [shop.pk]
