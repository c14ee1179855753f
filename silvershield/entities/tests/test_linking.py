"""Entity linking: each normalisation rule, the ranking, and the reasons given to the officer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from silvershield.core.identifiers import uscc_check_character
from silvershield.entities.linking import (
    branch_parent,
    core_name,
    find_entity_candidates,
    name_variants,
    normalise,
    trade_name,
)
from silvershield.entities.services import create_entity

_SEQ = iter(range(10**6))


def make(name, **overrides):
    body = f"92150402MA{next(_SEQ):07d}"
    fields = dict(uscc=body + uscc_check_character(body), name=name, division="150402")
    fields.update(overrides)
    return create_entity(actor=None, **fields)


@pytest.fixture
def registry(db):
    return {
        "shunkang": make("赤峰顺康健康科技有限公司", address="赤峰市红山区钢铁街12号", phone="13904761234"),
        "kangshou": make("赤峰市红山区康寿堂保健品店", address="红山区昭乌达路8号"),
        "fuyuan": make("内蒙古福源养老服务有限责任公司", address="赤峰市松山区玉龙大街1号"),
        "yinhe": make("银河（赤峰）投资管理有限公司"),
        "other": make("赤峰市松山区老李面馆"),
        "shunkang_typo": make("赤峰舜康商贸有限公司"),
    }


# --- the normalisation rules ------------------------------------------------------------------------


def test_full_and_half_width_brackets_and_digits_normalise_alike():
    assert normalise("银河（赤峰）投资管理有限公司") == normalise("银河(赤峰)投资管理有限公司")
    assert normalise("１２３ 号") == "123号"


def test_core_name_drops_region_legal_form_branch_and_shop_words():
    assert core_name("赤峰顺康健康科技有限公司") == "顺康健康科技"
    assert core_name("赤峰市顺康健康科技有限责任公司") == "顺康健康科技"
    assert core_name("顺康（赤峰）健康科技有限公司") == "顺康健康科技"
    assert core_name("赤峰顺康健康科技有限公司红山分公司") == "顺康健康科技"
    assert trade_name("顺康养生馆") == "顺康"
    assert trade_name("赤峰顺康健康科技有限公司") == "顺康"


def test_branch_name_gives_the_parent():
    assert branch_parent("北京福寿康宁健康科技有限公司赤峰分公司") == "北京福寿康宁健康科技有限公司"
    assert branch_parent("赤峰顺康健康科技有限公司") is None


def test_variants_cover_limited_liability_forms_and_dropped_youxian():
    variants = name_variants("内蒙古福源养老服务有限公司")
    assert variants["内蒙古福源养老服务有限责任公司"] == "“有限责任公司”与“有限公司”"
    assert name_variants("顺康科技公司")["顺康科技有限公司"] == "名称省略了“有限”"


# --- candidates, ranking and reasons -----------------------------------------------------------------


def _reasons(candidates, entity):
    for c in candidates:
        if c.entity.pk == entity.pk:
            return c.reasons
    raise AssertionError(f"{entity.name} not among {[c.entity.name for c in candidates]}")


def test_exact_uscc_ranks_first_with_its_reason(registry):
    target = registry["fuyuan"]
    found = find_entity_candidates(uscc=target.uscc.lower(), name="随便写的名字")
    assert found[0].entity == target and found[0].score == 100
    assert "统一社会信用代码一致" in found[0].reasons


def test_bracket_width_difference_is_an_exact_match(registry):
    found = find_entity_candidates(name="银河(赤峰)投资管理有限公司")
    assert found[0].entity == registry["yinhe"]
    assert found[0].score >= 90


def test_limited_company_forms_match(registry):
    found = find_entity_candidates(name="内蒙古福源养老服务有限公司")
    assert found[0].entity == registry["fuyuan"]
    assert "“有限责任公司”与“有限公司”" in found[0].reasons


def test_branch_links_to_parent(registry):
    found = find_entity_candidates(name="赤峰顺康健康科技有限公司红山分公司")
    assert found[0].entity == registry["shunkang"]
    assert "分支机构名称，对应总公司" in found[0].reasons


def test_abbreviation_without_region_and_form(registry):
    found = find_entity_candidates(name="顺康健康科技公司")
    assert found[0].entity == registry["shunkang"]
    assert any("名称主体一致" in r for r in found[0].reasons)


def test_a_name_under_several_region_words_is_found_by_its_short_form(registry):
    # Two region words and a bracketed city: the stored core name drops them all, so the short form finds it.
    stacked = make("内蒙古赤峰市红山区福寿康健康管理有限公司")
    bracketed = make("福寿康（赤峰）养老服务有限公司", division="150404")
    assert stacked.name_core == "福寿康健康管理" and bracketed.name_core == "福寿康养老服务"
    found = {c.entity.pk: c for c in find_entity_candidates(name="福寿康健康管理公司")}
    assert any("名称主体一致" in r for r in found[stacked.pk].reasons)
    by_trade = {c.entity.pk for c in find_entity_candidates(name="福寿康养生馆")}
    assert {stacked.pk, bracketed.pk} <= by_trade


def test_the_core_name_follows_renames(registry):
    entity = registry["other"]
    entity.name = "赤峰市松山区顺意养生馆"
    entity.save(update_fields=["name"])
    entity.refresh_from_db()
    assert entity.name_core == "顺意"


def test_store_name_sharing_the_trade_name(registry):
    found = find_entity_candidates(name="顺康养生馆")
    assert found[0].entity == registry["shunkang"]
    assert any("字号相同" in r for r in found[0].reasons)


def test_pinyin_initials_catch_a_homophone(registry):
    found = find_entity_candidates(name="顺康商贸")
    reasons = _reasons(found, registry["shunkang_typo"])
    assert "拼音首字母相同" in reasons


def test_address_and_phone_raise_the_score_and_say_so(registry):
    plain = find_entity_candidates(name="顺康养生馆")[0]
    richer = find_entity_candidates(name="顺康养生馆", address="红山区钢铁街12号", phone="13904761234")[0]
    assert richer.entity == registry["shunkang"]
    assert richer.score > plain.score
    assert any(r.startswith("地址相近") for r in richer.reasons)
    assert "电话一致" in richer.reasons


def test_unrelated_names_are_not_candidates(registry):
    assert find_entity_candidates(name="完全无关的企业名称有限公司") == []


def test_the_divisions_in_reach_are_respected(registry):
    from silvershield.entities.models import Entity

    elsewhere = Entity.objects.filter(pk=registry["shunkang"].pk).update(division="150404")
    assert elsewhere == 1
    assert find_entity_candidates(name="顺康养生馆", divisions=["150404"])[0].entity == registry["shunkang"]
    found = find_entity_candidates(name="顺康养生馆", divisions=["150402"])
    assert found and all(c.entity != registry["shunkang"] for c in found)
    assert find_entity_candidates(name="顺康养生馆", divisions=[]) == []


def test_lookups_are_few_and_indexed(registry):
    with CaptureQueriesContext(connection) as ctx:
        find_entity_candidates(name="顺康养生馆", uscc="", address="钢铁街")
    assert len(ctx.captured_queries) <= 4
    for q in ctx.captured_queries:
        assert "LIKE" not in q["sql"].upper()


def test_looser_lookups_only_when_no_name_matched_outright(registry):
    with CaptureQueriesContext(connection) as ctx:
        found = find_entity_candidates(name="赤峰顺康健康科技有限公司")
    assert found[0].entity == registry["shunkang"] and len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        found = find_entity_candidates(name="顺康商贸")
    assert len(ctx.captured_queries) == 3  # the name, then its trade name, then the initials
    assert "拼音首字母相同" in _reasons(found, registry["shunkang_typo"])


def test_homophones_are_found_by_the_initials_of_the_core_whatever_the_region_words(db):
    # Region words in brackets or several of them used to hide a name from the initials look-up, which
    # ranged over the whole name's initials after one region word.
    bracketed = make("舜康（赤峰）商贸有限公司")
    assert bracketed.core_initials == "sksm"
    twice = make("赤峰市红山区顺亢健康管理有限公司")
    assert twice.core_initials == "skjkgl"
    found = find_entity_candidates(name="顺康养生馆")
    assert "拼音首字母相同" in _reasons(found, bracketed)
    assert "拼音首字母相同" in _reasons(found, twice)


def test_the_migration_fills_core_initials_from_the_core_name(db):
    import importlib

    from django.apps import apps
    from django.db import connection as conn

    from silvershield.entities.models import Entity

    entity = make("赤峰顺康健康科技有限公司")
    Entity.objects.filter(pk=entity.pk).update(core_initials="")
    migration = importlib.import_module("silvershield.entities.migrations.0009_core_initials")

    class Editor:
        connection = conn
        quote_name = staticmethod(conn.ops.quote_name)

    migration.fill_core_initials(apps, Editor())
    assert Entity.objects.get(pk=entity.pk).core_initials == "skjkkj"
