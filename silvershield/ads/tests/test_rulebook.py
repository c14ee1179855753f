"""The rulebook as data: seeded by migration, edited by an administrator, versioned and dated."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from silvershield.ads.models import AdRule
from silvershield.ads.queries import get_rulebook
from silvershield.ads.rulebook import DEFAULT_RULES
from silvershield.ads.services import save_rule, set_rule_enabled
from silvershield.core.audit import events_for
from silvershield.core.errors import InvalidInput

DAY = date(2026, 11, 28)


def articles(text, product_type="other", on=DAY):
    return {v.article for v in get_rulebook(on=on).check(text=text, product_type=product_type)}


def test_migration_seeds_the_default_rulebook_with_citations_and_unverified_food_law_numbers(db):
    assert AdRule.objects.count() == len(DEFAULT_RULES)
    rule = AdRule.objects.get(code="ad18_1_2_disease_claims")
    assert rule.article == "广告法第18条第1款第2项"
    # DOMAIN.md: whether the 2025 amendment renumbered 食品安全法 Arts. 73 and 79 is unverified.
    assert set(AdRule.objects.filter(verified=False).values_list("law", flat=True)) == {"food_safety_law"}


def test_disabling_a_rule_in_the_database_removes_its_findings(db, personas):
    assert "广告法第17条" in articles("专治糖尿病")
    rule = AdRule.objects.get(code="ad17_disease_treatment")
    set_rule_enabled(rule=rule, actor=personas.legal_officer, enabled=False, reason="测试")
    assert "广告法第17条" not in articles("专治糖尿病")
    rule.refresh_from_db()
    assert rule.version == 2
    event = events_for(rule).last()
    assert event.changes == {"enabled": [True, False]} and event.reason == "测试"


def test_an_edited_pattern_takes_effect_and_is_used_by_the_command(db, tmp_path):
    rule = AdRule.objects.get(code="ad9_8_superstition")
    rule.patterns = [*rule.patterns, "招财"]
    save_rule(rule=rule, actor=None)
    path = tmp_path / "ads.jsonl"
    path.write_text(json.dumps({"text": "招财手链", "product_type": "other"}, ensure_ascii=False) + "\n")
    out = io.StringIO()
    call_command("ads", "check", str(path), "--date", "2026-11-28", stdout=out)
    assert json.loads(out.getvalue())["violations"][0]["article"] == "广告法第9条第8项"


def test_effective_dates_are_honoured(db):
    rule = AdRule.objects.get(code="ad9_8_superstition")
    rule.effective_from = date(2027, 1, 1)
    save_rule(rule=rule, actor=None)
    assert "广告法第9条第8项" not in articles("开光手链", on=DAY)
    assert "广告法第9条第8项" in articles("开光手链", on=date(2027, 1, 2))
    rule.effective_from, rule.effective_to = date(2015, 9, 1), date(2020, 12, 31)
    save_rule(rule=rule, actor=None)
    assert "广告法第9条第8项" in articles("开光手链", on=date(2019, 5, 1))
    assert "广告法第9条第8项" not in articles("开光手链", on=DAY)


@pytest.mark.parametrize(
    "field, value",
    [
        ("patterns", ["re:(unclosed"]),
        ("patterns", []),
        ("product_types", ["food"]),
        ("effective_to", date(2000, 1, 1)),
    ],
)
def test_a_bad_rule_is_refused_naming_the_field_and_nothing_changes(db, field, value):
    rule = AdRule.objects.get(code="ad9_8_superstition")
    setattr(rule, field, value)
    with pytest.raises(InvalidInput) as raised:
        save_rule(rule=rule, actor=None)
    assert raised.value.field == field
    assert AdRule.objects.get(code="ad9_8_superstition").version == 1


def test_an_empty_table_falls_back_to_the_shipped_rulebook(db):
    AdRule.objects.all().delete()
    rulebook = get_rulebook(on=DAY)
    assert rulebook.version == "defaults"
    assert "广告法第17条" in {v.article for v in rulebook.check(text="专治糖尿病", product_type="other")}
