"""Issue 5: risk kept in EntityRisk (the old names still read it), and the fast import paths
(COPY and a writer thread on PostgreSQL; hand-written audit hashes; cached detection)."""

import json

import pytest
from django.db.models import Count

from silvershield.core.audit import verify_chain
from silvershield.core.identifiers import uscc_check_character
from silvershield.core.models import AuditEvent
from silvershield.entities.detection import Detector
from silvershield.entities.importer import Importer, import_entities
from silvershield.entities.models import Entity, EntityRisk, ImportRun
from silvershield.entities.queries import search_entities
from silvershield.entities.risk import recompute_risk, tier_counts
from silvershield.entities.services import char_initials

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


def test_risk_lives_in_its_own_table_and_the_old_names_still_read_it(org):
    rows = [row(1), row(2, credit_status="严重违法失信"), row(3, name="顺达汽车修理部", business_scope="机动车修理")]
    import_entities(iter(rows), file_name="a.csv", actor=None)
    written = recompute_risk(None)
    assert written == 2  # the two elderly-related shops; the garage gets no row
    assert EntityRisk.objects.count() == 2
    shop, listed, garage = (Entity.objects.get(uscc=code(n)) for n in (1, 2, 3))
    assert (shop.risk_tier, shop.risk_score) == ("B", 10)
    assert shop.risk.tier == "B" and shop.get_risk_tier_display().startswith("B")
    assert listed.risk_tier == "C" and any(f["factor"] == "credit_serious" for f in listed.risk_factors)
    assert (garage.risk_tier, garage.risk_score, garage.risk_factors, garage.risk_computed_at) == ("", None, [], None)
    # Lookups by the old names (forms, board map, views) go to EntityRisk.
    assert list(Entity.objects.filter(risk_tier="C").values_list("uscc", flat=True)) == [code(2)]
    assert Entity.objects.filter(risk_tier__in=["C", "D"]).count() == 1
    assert Entity.objects.exclude(risk_tier="B").filter(is_elderly_related=True).count() == 1
    counted = {r["risk_tier"]: r["n"] for r in Entity.objects.values("risk_tier").annotate(n=Count("id")).order_by()}
    assert counted == {"B": 1, "C": 1, None: 1}
    ranked = Entity.objects.filter(is_elderly_related=True).order_by("-risk_score")
    assert list(ranked.values_list("uscc", flat=True)) == [code(2), code(1)]  # (PostgreSQL puts NULLs first)
    assert Entity._meta.get_field("risk_tier").verbose_name  # the export's header and the board's check
    assert tier_counts(Entity.objects.all()) == {"B": 1, "C": 1}
    # Nothing changed: nothing written. No longer elderly-related: the row goes.
    assert recompute_risk(None) == 0
    Entity.objects.filter(pk=shop.pk).update(is_elderly_related=False)
    recompute_risk([shop.pk])
    assert not EntityRisk.objects.filter(entity_id=shop.pk).exists()
    shop.refresh_from_db()
    assert shop.risk_tier == ""


def test_search_and_pages_still_select_the_risk_with_the_entity(org, django_assert_max_num_queries):
    import_entities(iter([row(n) for n in range(1, 6)]), file_name="a.csv", actor=None)
    recompute_risk(None)
    from silvershield.core.models import Role
    from silvershield.core.testing import make_person
    from silvershield.entities.queries import entities_visible_to

    registrar = make_person("hs_reg", Role.REGISTRATION_SECTION, org.hongshan)
    visible = entities_visible_to(registrar)
    with django_assert_max_num_queries(3):
        tiers = [e.risk_tier for e in search_entities(visible, "福寿源")]
    assert tiers == ["B"] * 5


def test_import_audit_hashes_match_compute_hash_and_history_shows_each_create(org):
    rows = [row(1, name='名称带"引号"\\和\t制表符'), row(2), row(3, address="第一行\n第二行")]
    run = import_entities(iter(rows), file_name="带{花括号}.csv", actor=None)
    assert run.status == ImportRun.Status.DONE and run.created == 3
    assert verify_chain() == (True, None)
    odd = Entity.objects.get(uscc=code(1))
    assert odd.name == '名称带"引号"\\和\t制表符' and Entity.objects.get(uscc=code(3)).address == "第一行\n第二行"
    event = AuditEvent.objects.get(subject_type="entities.entity", subject_id=odd.pk)
    assert event.changes == {"uscc": [None, code(1)], "name": [None, odd.name], "status": [None, "active"]}
    assert event.hash == event.compute_hash()
    assert "带{花括号}.csv" in event.reason


def test_import_rejected_midway_leaves_nothing(org, monkeypatch):
    import silvershield.entities.importer as importer

    monkeypatch.setattr(importer, "CHUNK", 2)  # several chunks written before the bad row
    entities, events = Entity.objects.count(), AuditEvent.objects.count()
    rows = [row(n) for n in range(1, 7)] + [row(7, division="999999")] + [row(8)]
    run = import_entities(iter(rows), file_name="a.csv", actor=None)
    assert run.status == ImportRun.Status.REJECTED and run.bad == 1 and run.report[0]["row"] == 8
    assert (Entity.objects.count(), AuditEvent.objects.count()) == (entities, events)
    again = import_entities(iter(rows), file_name="a.csv", actor=None, skip_bad=True)
    assert (again.created, again.bad) == (7, 1)
    assert verify_chain() == (True, None)


def test_cached_detection_equals_the_detector(org):
    importer = Importer(actor=None, skip_bad=False, run=ImportRun(file_name="x"))
    detector = Detector()
    cases = [
        ("福寿源保健品店", "保健食品销售"), ("顺达汽车修理部", "机动车修理"), ("康养旅居老年公寓", "日用百货"),
        ("老年人日间照料中心", ""), ("", "养老服务；老年人养护服务"), ("大药房", "药品零售；保健食品销售"),
    ]
    for name, scope in cases * 2:  # the second round comes from the cache
        expected = detector.detect(name, scope)
        found = importer.detect(name, scope)
        assert (found.elderly, found.category, found.reasons) == (expected.elderly, expected.category, expected.reasons)
        assert json.loads(found.json_reasons) == expected.reasons
    assert char_initials("赤峰顺康") == "cfsk"
